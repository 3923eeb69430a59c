"""The scenario on pages and the API: a run across Washington State's fall back shown in the
three zones, scenario times typed with their zone, and every route for the controller, a
player of the target cell, a cleared outsider, the uncleared and the anonymous."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client
from django.utils import translation

from kizuna.core.models import Person
from kizuna.core.services import token_issue
from kizuna.exercises import services
from kizuna.exercises.forms import aware
from kizuna.exercises.models import Inject

from .scenario_helpers import Run

pytestmark = pytest.mark.django_db
S = Inject.Status


def _zones(html: str, testid: str) -> dict[str, str]:
    """The times of the `{% zones %}` under data-testid, by zone: "2026-11-01 01:30 PDT"."""
    block = html.split(f'data-testid="{testid}"', 1)[1].split("</dd>", 1)[0]
    found = re.findall(
        r'data-zone="([^"]+)".*?class="zone-time">([^<]+)</span> <abbr[^>]*>([^<]+)</abbr>',
        block,
    )
    return {zone: f"{text} {abbr}" for zone, text, abbr in found}


# Around 2026-11-01 09:00 UTC Washington State falls back from PDT (UTC-7) to PST (UTC-8);
# Japan and Hawaii keep their offsets, so Japan–Washington goes from 16 to 17 hours.
ACROSS_FALL_BACK = [
    (
        datetime(2026, 11, 1, 8, 0, tzinfo=UTC),
        {
            "Asia/Tokyo": "2026-11-01 17:00 JST",
            "America/Los_Angeles": "2026-11-01 01:00 PDT",
            "Pacific/Honolulu": "2026-10-31 22:00 HST",
        },
    ),
    (
        datetime(2026, 11, 1, 8, 30, tzinfo=UTC),
        {
            "Asia/Tokyo": "2026-11-01 17:30 JST",
            "America/Los_Angeles": "2026-11-01 01:30 PDT",
            "Pacific/Honolulu": "2026-10-31 22:30 HST",
        },
    ),
    (
        datetime(2026, 11, 1, 9, 0, tzinfo=UTC),
        {
            "Asia/Tokyo": "2026-11-01 18:00 JST",
            "America/Los_Angeles": "2026-11-01 01:00 PST",
            "Pacific/Honolulu": "2026-10-31 23:00 HST",
        },
    ),
    (
        datetime(2026, 11, 1, 9, 30, tzinfo=UTC),
        {
            "Asia/Tokyo": "2026-11-01 18:30 JST",
            "America/Los_Angeles": "2026-11-01 01:30 PST",
            "Pacific/Honolulu": "2026-10-31 23:30 HST",
        },
    ),
    (
        datetime(2026, 11, 1, 10, 0, tzinfo=UTC),
        {
            "Asia/Tokyo": "2026-11-01 19:00 JST",
            "America/Los_Angeles": "2026-11-01 02:00 PST",
            "Pacific/Honolulu": "2026-11-01 00:00 HST",
        },
    ),
]


def test_a_run_across_the_fall_back_delivers_and_shows_every_inject_right(run: Run) -> None:
    """Scenario time is real time here (speed 1, started at the real instant), so each
    inject goes out at its own instant; the worker looks every 30 s through the switch."""
    injects = [run.add(at, str(n)) for n, (at, _shown) in enumerate(ACROSS_FALL_BACK, 1)]
    for inject in injects:
        services.inject_approve(actor=run.controller, inject=inject)
    start = datetime(2026, 11, 1, 7, 0, tzinfo=UTC)
    services.clock_start(
        actor=run.controller, exercise=run.exercise, scenario_at=start, speed=1, now=start
    )
    for tick in range(0, 4 * 3600, 30):
        services.deliver_due(now=start + timedelta(seconds=tick))
    client = Client()
    client.force_login(run.us_player)
    for inject, (at, shown) in zip(injects, ACROSS_FALL_BACK, strict=True):
        inject.refresh_from_db()
        assert inject.status == S.DELIVERED
        assert inject.delivered_at == at
        assert inject.due_at == at
        assert not inject.late
        assert inject.entry.event_at == at
        page = client.get(f"/exercises/{run.exercise.public_id}/injects/{inject.public_id}/")
        assert page.status_code == 200
        html = page.content.decode()
        assert _zones(html, "scheduled") == shown
        assert _zones(html, "delivered") == shown
        assert "EXERCISE EXERCISE EXERCISE" in html


def test_local_times_name_their_instant_on_both_sides_of_each_switch() -> None:
    la = "America/Los_Angeles"
    assert aware("2026-10-31T18:00", la) == datetime(2026, 11, 1, 1, 0, tzinfo=UTC)  # PDT
    assert aware("2026-11-01T03:00", la) == datetime(2026, 11, 1, 11, 0, tzinfo=UTC)  # PST
    assert aware("2027-03-14T01:30", la) == datetime(2027, 3, 14, 9, 30, tzinfo=UTC)  # PST
    assert aware("2027-03-14T03:30", la) == datetime(2027, 3, 14, 10, 30, tzinfo=UTC)  # PDT
    # Japan and Hawaii have no switch: the same hour every day of the year.
    assert aware("2027-03-14T02:30", "Asia/Tokyo") == datetime(2027, 3, 13, 17, 30, tzinfo=UTC)
    assert aware("2027-03-14T02:30", "Pacific/Honolulu") == datetime(
        2027, 3, 14, 12, 30, tzinfo=UTC
    )
    with translation.override("en"):
        with pytest.raises(Exception, match="does not exist in Washington State"):
            aware("2027-03-14T02:30", la)  # spring forward skips it
        with pytest.raises(Exception, match="happens twice in Washington State"):
            aware("2026-11-01T01:30", la)  # fall back repeats it


def _form(**changes: str) -> dict[str, str]:
    return {
        "scheduled_local": "2026-11-01T17:30",
        "zone": "Asia/Tokyo",
        "method": "log",
        "text_ja": "状況",
        "text_en": "Situation",
        "expected_action_ja": "報告",
        "expected_action_en": "Report",
        **changes,
    }


def test_the_console_form_wants_a_zone_and_says_so_beside_the_field(run: Run) -> None:
    client = Client()
    client.force_login(run.controller)
    url = f"/exercises/{run.exercise.public_id}/console/"
    target = {"target": f"body:{run.body.pk}"}
    refused = client.post(url, _form(zone="", **target), HTTP_ACCEPT_LANGUAGE="ja")
    assert refused.status_code == 400
    errors = refused.context["inject_form"].errors
    assert "zone" in errors
    assert "タイムゾーン" in errors["zone"][0]
    twice = client.post(
        url, _form(scheduled_local="2026-11-01T01:30", zone="America/Los_Angeles", **target)
    )
    assert twice.status_code == 400
    assert "scheduled_local" in twice.context["inject_form"].errors
    outside = client.post(url, _form(scheduled_local="2026-12-24T09:00", **target))
    assert outside.status_code == 400
    assert "scheduled_local" in outside.context["inject_form"].errors
    assert not Inject.objects.exists()
    made = client.post(url, _form(**target))
    assert made.status_code == 302
    assert Inject.objects.get().scheduled_at == datetime(2026, 11, 1, 8, 30, tzinfo=UTC)
    console = client.get(url)
    assert console.status_code == 200
    assert b'data-testid="inject-row"' in console.content


def test_the_clock_form_changes_the_clock_and_refuses_a_bare_time(run: Run) -> None:
    client = Client()
    client.force_login(run.controller)
    url = f"/exercises/{run.exercise.public_id}/console/clock/"
    bare = client.post(url, {"action": "start", "scenario_local": "2026-11-01T09:00", "speed": "1"})
    assert bare.status_code == 400
    assert "zone" in bare.context["clock_form"].errors
    started = client.post(
        url,
        {"action": "start", "scenario_local": "2026-11-01T09:00", "zone": "UTC", "speed": "720"},
    )
    assert started.status_code == 302
    assert run.exercise.clock.speed == 720
    assert client.post(url, {"action": "pause"}).status_code == 302
    run.exercise.clock.refresh_from_db()
    assert run.exercise.clock.paused


# --- every route, every kind of person ------------------------------------------------------


def _api(client: Client, person: Person) -> Callable[..., object]:
    secret = token_issue(person=person, label="t").secret

    def call(method: str, path: str, body: object = None) -> object:
        return getattr(client, method)(
            path, body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {secret}"
        )

    return call


@pytest.fixture
def staged(run: Run) -> tuple[Run, Inject, Inject]:
    """One inject still a draft, one delivered."""
    waiting = run.add(datetime(2026, 11, 1, 8, 0, tzinfo=UTC), "w")
    out = run.add(datetime(2026, 11, 1, 9, 0, tzinfo=UTC), "o")
    services.inject_approve(actor=run.controller, inject=out)
    services.inject_fire_now(actor=run.controller, inject=out)
    return run, waiting, Inject.objects.get(pk=out.pk)


@pytest.mark.parametrize(
    ("who", "console", "waiting", "out"),
    [
        ("controller", 200, 200, 200),
        ("player", 403, 404, 200),
        ("us_player", 403, 404, 200),
        ("outsider", 403, 404, 200),
        ("uncelled", 403, 404, 200),
    ],
)
def test_who_opens_which_page(
    staged: tuple[Run, Inject, Inject], who: str, console: int, waiting: int, out: int
) -> None:
    run, draft, delivered = staged
    client = Client()
    client.force_login(getattr(run, who))
    base = f"/exercises/{run.exercise.public_id}"
    assert client.get(f"{base}/console/").status_code == console
    assert client.get(f"{base}/injects/{draft.public_id}/").status_code == waiting
    assert client.get(f"{base}/injects/{delivered.public_id}/").status_code == out
    detail = client.get(f"{base}/").content.decode()
    assert (f"/injects/{draft.public_id}/" in detail) is (waiting == 200)
    assert ("/console/" in detail) is (console == 200)
    api = _api(Client(), getattr(run, who))
    assert api("get", f"/api/exercises{base}/injects/{draft.public_id}").status_code == waiting
    assert api("get", f"/api/exercises{base}/injects/{delivered.public_id}").status_code == out
    listed = [i["id"] for i in api("get", f"/api/exercises{base}/injects").json()]
    assert (draft.public_id in listed) is (waiting == 200)
    assert delivered.public_id in listed


def test_the_uncleared_and_the_anonymous_meet_nothing(
    staged: tuple[Run, Inject, Inject], make_person: Callable[..., Person]
) -> None:
    run, draft, delivered = staged
    uncleared = make_person("nobody", org="gsdf-western-army", role="information_manager")
    base = f"/exercises/{run.exercise.public_id}"
    client = Client()
    client.force_login(uncleared)
    for path in ("/console/", f"/injects/{draft.public_id}/", f"/injects/{delivered.public_id}/"):
        assert client.get(base + path).status_code == 404
        assert Client().get(base + path).status_code == 302  # to sign in
    assert client.post(f"{base}/console/clock/", {"action": "pause"}).status_code == 404
    assert Client().get(f"/api/exercises{base}/injects").status_code == 401


@pytest.mark.parametrize(
    ("who", "step", "status"),
    [
        ("player", "approve", 404),
        ("player", "hold", 404),
        ("player", "fire", 404),
        ("outsider", "approve", 404),
        ("controller", "approve", 302),
        ("controller", "hold", 302),
    ],
)
def test_only_controllers_step_a_waiting_inject(
    staged: tuple[Run, Inject, Inject], who: str, step: str, status: int
) -> None:
    run, draft, _out = staged
    client = Client()
    client.force_login(getattr(run, who))
    url = f"/exercises/{run.exercise.public_id}/injects/{draft.public_id}/{step}/"
    assert client.post(url).status_code == status
    draft.refresh_from_db()
    changed = {"approve": S.APPROVED, "hold": S.HELD, "fire": S.DELIVERED}[step]
    assert (draft.status == changed) is (status == 302)


def test_clock_and_reschedule_routes_refuse_players(staged: tuple[Run, Inject, Inject]) -> None:
    run, draft, _out = staged
    base = f"/exercises/{run.exercise.public_id}"
    client = Client()
    client.force_login(run.player)
    start = {"action": "start", "scenario_local": "2026-11-01T07:00", "zone": "UTC", "speed": "1"}
    assert client.post(f"{base}/console/clock/", start).status_code == 403
    api = _api(Client(), run.player)
    clock = api(
        "post",
        f"/api/exercises{base}/clock",
        {"action": "start", "scenario_at": "2026-11-01T07:00Z", "speed": 1},
    )
    assert clock.status_code == 403
    assert not hasattr(run.exercise, "clock")
    assert api("get", f"/api/exercises{base}/clock").status_code == 403
    reschedule = {"scheduled_local": "2026-11-01T18:00", "zone": "Asia/Tokyo"}
    assert (
        client.post(f"{base}/injects/{draft.public_id}/reschedule/", reschedule).status_code == 404
    )
    controller = Client()
    controller.force_login(run.controller)
    moved = controller.post(f"{base}/injects/{draft.public_id}/reschedule/", reschedule)
    assert moved.status_code == 302
    draft.refresh_from_db()
    assert draft.scheduled_at == datetime(2026, 11, 1, 9, 0, tzinfo=UTC)


def test_players_acknowledge_and_answer_a_delivered_inject(
    staged: tuple[Run, Inject, Inject],
) -> None:
    run, _draft, out = staged
    base = f"/exercises/{run.exercise.public_id}/injects/{out.public_id}"
    for who in ("controller", "outsider"):
        client = Client()
        client.force_login(getattr(run, who))
        assert client.post(f"{base}/acknowledge/").status_code == 403
        assert client.post(f"{base}/respond/", {"response": "x"}).status_code == 403
    player = Client()
    player.force_login(run.player)
    page = player.get(f"{base}/").content.decode()
    assert 'data-testid="player-actions"' in page
    assert player.post(f"{base}/acknowledge/").status_code == 302
    empty = player.post(f"{base}/respond/", {"response": ""})
    assert empty.status_code == 400
    assert "response" in empty.context["response_form"].errors
    api = _api(Client(), run.us_player)
    answered = api(
        "post",
        f"/api/exercises/exercises/{run.exercise.public_id}/injects/{out.public_id}/respond",
        {"response": "Reported to the BOCC"},
    )
    assert answered.status_code == 200
    assert answered.json()["status"] == S.RESPONDED
    console = Client()
    console.force_login(run.controller)
    board = console.get(f"/exercises/{run.exercise.public_id}/console/").content.decode()
    assert "Reported to the BOCC" in board


def test_the_api_refuses_a_bare_local_time_and_a_player_writing(run: Run) -> None:
    base = f"/api/exercises/exercises/{run.exercise.public_id}"
    body = {
        "scheduled_at": "2026-11-01T09:00:00",
        "target_body": run.body.code,
        "method": "log",
        "text_ja": "状況",
        "text_en": "Situation",
        "expected_action_ja": "報告",
        "expected_action_en": "Report",
        "objective": 1,
    }
    controller = _api(Client(), run.controller)
    bare = controller("post", f"{base}/injects", body)
    assert bare.status_code == 422
    assert bare.json()["detail"][0]["field"] == "scheduled_at"
    assert (
        _api(Client(), run.player)(
            "post", f"{base}/injects", {**body, "scheduled_at": "2026-11-01T09:00:00Z"}
        ).status_code
        == 403
    )
    made = controller(
        "post", f"{base}/injects", {**body, "scheduled_at": "2026-11-01T01:30:00-08:00"}
    )
    assert made.status_code == 201
    assert made.json()["scheduled_at"].startswith("2026-11-01T09:30:00")
    assert made.json()["traffic"] == "EXERCISE EXERCISE EXERCISE"
    assert made.json()["objective"] == 1
    assert Inject.objects.count() == 1


def test_the_api_edits_before_delivery_only_and_for_controllers_only(
    staged: tuple[Run, Inject, Inject],
) -> None:
    run, draft, out = staged
    base = f"/api/exercises/exercises/{run.exercise.public_id}/injects"
    body = {
        "method": "phone",
        "text_ja": "新しい状況",
        "text_en": "New situation",
        "expected_action_ja": "対処",
        "expected_action_en": "Respond",
        "objective": 1,
    }
    controller = _api(Client(), run.controller)
    edited = controller("post", f"{base}/{draft.public_id}/edit", body)
    assert edited.status_code == 200
    assert edited.json()["text_en"] == "New situation"
    assert edited.json()["method"] == "phone"
    refused = controller("post", f"{base}/{out.public_id}/edit", body)
    assert refused.status_code == 422
    assert (
        _api(Client(), run.player)("post", f"{base}/{draft.public_id}/edit", body).status_code
        == 404
    )
    assert (
        _api(Client(), run.player)("post", f"{base}/{out.public_id}/edit", body).status_code == 403
    )
    out.refresh_from_db()
    assert out.text_en.startswith("Situation")
