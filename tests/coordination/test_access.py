"""Who may use each coordination page and API route: one allowed and one refused person per
route, and a refused write changes nothing (not one audit event)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from kizuna.coordination import services
from kizuna.coordination.models import Body, LogEntry, SupportRequest
from kizuna.core import access
from kizuna.core.models import AuditEvent
from kizuna.core.public_ids import new_public_id

from .conftest import Cast, hours_ago, org

pytestmark = pytest.mark.django_db


@dataclass
class World:
    cast: Cast
    entry: LogEntry
    flagged: LogEntry
    request: SupportRequest
    working_group: Body
    action_item_id: str


@pytest.fixture
def world(cast: Cast) -> World:
    entry = services.entry_post(
        actor=cast.wa_officer, body=cast.ccc, kind="report", text="報告", language="ja"
    )
    flagged = services.entry_post(
        actor=cast.wa_officer,
        body=cast.ccc,
        kind="report",
        text="重要",
        language="ja",
        significant=True,
    )
    request = services.request_create(
        actor=cast.wa_officer,
        body=cast.ccc,
        requesting_organization=org("western-army"),
        supporting_organization=org("iii-mef"),
        summary="給水支援",
        language="ja",
        place_name="益城町",
        needed_by=timezone.now() + timedelta(hours=5),
        priority="priority",
        lines=[services.LineInput("water", "water", Decimal(1000), "litres")],
    )
    services.request_submit(actor=cast.wa_officer, request=request)
    group = services.body_stand_up(
        actor=cast.jp_coordinator,
        situation=None,
        kind=Body.Kind.WORKING_GROUP,
        code="t-scwg",
        name_ja="宇宙協力WG",
        name_en="Space Cooperation Working Group",
        organizations=[org("joint-staff"), org("usfj")],
    )
    meeting = services.meeting_record(
        actor=cast.jp_coordinator, body=group, number=1, held_on=date(2015, 10, 1)
    )
    item = services.action_item_add(
        actor=cast.jp_coordinator, meeting=meeting, owner=org("usfj"), title_en="Draft"
    )
    return World(cast, entry, flagged, request, group, item.public_id)


@dataclass(frozen=True)
class Route:
    method: str
    path: Callable[[World], str]
    allowed: str
    refused: str
    refused_status: int
    payload: Callable[[World], dict[str, Any]] = lambda w: {}
    ok: int = 200


S = "/api/coordination/situations/{w.cast.situation.public_id}"


def p(template: str) -> Callable[[World], str]:
    return lambda w: template.format(w=w)


API = [
    Route("get", p("/api/coordination/situations"), "wa_officer", "outsider", 200),
    Route(
        "post",
        p("/api/coordination/situations"),
        "jp_coordinator",
        "wa_officer",
        403,
        lambda w: {
            "organization": "joint-staff",
            "title_ja": "訓練",
            "kind": "exercise",
            "starts_at": timezone.now().isoformat(),
        },
        ok=201,
    ),
    Route("get", p(S), "mef_officer", "outsider", 404),
    Route(
        "post",
        p(S + "/close"),
        "jp_coordinator",
        "wa_officer",
        403,
        lambda w: {"text": "x"},
        ok=422,
    ),
    Route("get", p(S + "/designations"), "auditor", "outsider", 404),
    Route(
        "post",
        p(S + "/designations"),
        "jp_coordinator",
        "us_coordinator",
        403,
        lambda w: {"situation_type": "disaster-relief", "starts_at": hours_ago(1).isoformat()},
        ok=201,
    ),
    Route(
        "post",
        p(S + "/designations/change"),
        "jp_coordinator",
        "us_coordinator",
        403,
        lambda w: {"situation_type": "armed-attack", "at": hours_ago(1).isoformat()},
        ok=422,  # nothing in force to change: allowed to ask, told why not
    ),
    Route(
        "post",
        p(S + "/designations/end"),
        "jp_coordinator",
        "outsider",
        404,
        lambda w: {"at": hours_ago(1).isoformat()},
        ok=422,
    ),
    Route("get", p(S + "/bodies"), "mef_officer", "outsider", 404),
    Route(
        "post",
        p(S + "/bodies"),
        "us_coordinator",
        "wa_officer",
        403,
        lambda w: {
            "kind": "ccc",
            "code": "t-ccc-air",
            "name_ja": "航空調整所",
            "name_en": "Air CCC",
            "parent": "t-bocc",
            "organizations": ["usfj"],
        },
        ok=201,
    ),
    Route(
        "post", p("/api/coordination/bodies/t-ccc/stand-down"), "jp_coordinator", "mef_officer", 403
    ),
    Route("get", p(S + "/entries"), "mef_officer", "outsider", 404),
    Route(
        "post",
        p("/api/coordination/bodies/t-ccc/entries"),
        "mef_officer",
        "us_coordinator",
        403,
        lambda w: {"kind": "report", "text": "Road open", "language": "en"},
        ok=201,
    ),
    Route(
        "post",
        p("/api/coordination/entries/{w.entry.public_id}/translation"),
        "jp_liaison",
        "mef_officer",
        403,
        lambda w: {"text": "Report", "language": "en"},
    ),
    Route(
        "post",
        p("/api/coordination/entries/{w.flagged.public_id}/vet"),
        "jp_coordinator",
        "wa_officer",
        403,
    ),
    Route(
        "patch",
        p("/api/coordination/entries/{w.entry.public_id}/event-time"),
        "wa_officer",
        "mef_officer",
        403,
        lambda w: {"event_at": hours_ago(2).isoformat(), "reason": "誤記"},
    ),
    Route("get", p("/api/coordination/translation-queue"), "jp_liaison", "outsider", 200),
    Route("get", p(S + "/requests"), "wa_officer", "outsider", 404),
    Route(
        "post",
        p("/api/coordination/bodies/t-ccc/requests"),
        "wa_officer",
        "us_coordinator",
        403,
        lambda w: {
            "requesting_organization": "western-army",
            "supporting_organization": "iii-mef",
            "summary": "燃料",
            "language": "ja",
            "place_name": "熊本",
            "needed_by": (timezone.now() + timedelta(hours=3)).isoformat(),
            "lines": [{"category": "petroleum", "quantity": "500", "unit": "litres"}],
        },
        ok=201,
    ),
    Route(
        "get", p("/api/coordination/requests/{w.request.public_id}"), "mef_officer", "outsider", 404
    ),
    Route(
        "post",
        p("/api/coordination/requests/{w.request.public_id}/submit"),
        "wa_officer",
        "mef_officer",
        403,
        ok=422,
    ),
    Route(
        "post",
        p("/api/coordination/requests/{w.request.public_id}/acknowledge"),
        "mef_officer",
        "wa_officer",
        403,
    ),
    Route(
        "post",
        p("/api/coordination/requests/{w.request.public_id}/accept"),
        "mef_officer",
        "wa_officer",
        403,
    ),
    Route(
        "post",
        p("/api/coordination/requests/{w.request.public_id}/decline"),
        "mef_officer",
        "wa_officer",
        403,
        lambda w: {"reason": "不可"},
    ),
    Route(
        "post",
        p("/api/coordination/requests/{w.request.public_id}/progress"),
        "mef_officer",
        "wa_officer",
        403,
        lambda w: {
            "line": w.request.lines.get().public_id,
            "committed": "1",
            "in_transit": "0",
            "fulfilled": "0",
        },
        ok=422,  # not accepted yet: allowed to ask, told why not
    ),
    Route(
        "post",
        p("/api/coordination/requests/{w.request.public_id}/complete"),
        "mef_officer",
        "outsider",
        404,
        ok=422,
    ),
    Route(
        "post",
        p("/api/coordination/requests/{w.request.public_id}/escalate"),
        "jp_coordinator",
        "wa_officer",
        403,
        lambda w: {"note": "上位で調整"},
    ),
    Route("get", p(S + "/resources"), "mef_officer", "outsider", 404),
    Route(
        "post",
        p(S + "/resources"),
        "mef_officer",
        "wa_officer",
        403,
        lambda w: {
            "organization": "iii-mef",
            "as_of": hours_ago(1).isoformat(),
            "personnel": 300,
            "ships": 0,
            "aircraft": 8,
        },
        ok=201,
    ),
    Route("get", p("/api/coordination/working-groups"), "outsider", "outsider", 200),
    Route(
        "get",
        p("/api/coordination/working-groups/t-scwg/meetings"),
        "us_coordinator",
        "wa_officer",
        404,
    ),
    Route(
        "post",
        p("/api/coordination/working-groups/t-scwg/meetings"),
        "jp_coordinator",
        "jp_liaison",
        403,
        lambda w: {"number": 2, "held_on": "2016-03-01"},
        ok=201,
    ),
    Route(
        "post",
        p("/api/coordination/action-items/{w.action_item_id}/close"),
        "us_coordinator",
        "mef_officer",
        404,
        lambda w: {"note": "完了"},
    ),
]


def call(client: Client, route: Route, world: World, who: str) -> tuple[int, Any]:
    client.force_login(getattr(world.cast, who))
    response = getattr(client, route.method)(
        route.path(world), data=route.payload(world), content_type="application/json"
    )
    return response.status_code, response.json()


def route_id(route: Route) -> str:
    return f"{route.method} {route.path.__closure__[0].cell_contents}"  # type: ignore[index]


@pytest.mark.parametrize("route", API, ids=route_id)
def test_api_route_allows_its_people(client: Client, world: World, route: Route) -> None:
    status, body = call(client, route, world, route.allowed)
    assert status == route.ok, body


@pytest.mark.parametrize(
    "route", [r for r in API if r.method != "get" or r.refused_status != 200], ids=route_id
)
def test_api_route_refuses_the_others_and_changes_nothing(
    client: Client, world: World, route: Route
) -> None:
    before = AuditEvent.objects.count()
    status, body = call(client, route, world, route.refused)
    assert status == route.refused_status
    assert body["code"] == {403: "forbidden", 404: "not_found"}[status]
    assert AuditEvent.objects.count() == before


@pytest.mark.parametrize("route", API, ids=route_id)
def test_api_route_refuses_an_anonymous_client(client: Client, world: World, route: Route) -> None:
    response = getattr(client, route.method)(
        route.path(world), data=route.payload(world), content_type="application/json"
    )
    assert response.status_code == 401


def test_lists_show_only_what_the_reader_may_see(client: Client, world: World) -> None:
    client.force_login(world.cast.outsider)
    assert client.get("/api/coordination/situations").json() == []
    assert client.get("/api/coordination/translation-queue").json() == []
    client.force_login(world.cast.us_coordinator)
    ids = {e["id"] for e in client.get(S.format(w=world) + "/entries").json()["entries"]}
    assert world.entry.public_id not in ids  # a CCC entry; USFJ does not sit in the CCC
    assert world.entry.public_id in {
        e["id"]
        for e in _as(client, world, "auditor").get(S.format(w=world) + "/entries").json()["entries"]
    }


def test_a_change_of_access_written_anywhere_counts_from_the_next_request(
    client: Client, world: World
) -> None:
    """The reach is remembered between requests (core.access); a change made outside the
    application, in plain SQL as a script or another process would, still counts at once."""
    client.force_login(world.cast.mef_officer)  # III MEF sits in the CCC only
    url = S.format(w=world) + "/entries"

    def seqs() -> set[str] | int:
        response = client.get(url)
        return (
            {e["id"] for e in response.json()["entries"]}
            if response.status_code == 200
            else response.status_code
        )

    assert world.entry.public_id in seqs()  # type: ignore[operator]
    assert world.entry.public_id in seqs()  # type: ignore[operator]  # remembered
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM coordination_body_organizations WHERE body_id = %s "
            "AND organization_id = %s",
            [world.cast.ccc.pk, org("iii-mef").pk],
        )
    assert seqs() == 404  # no body of the situation left: the situation is hidden
    world.cast.ccc.organizations.add(org("iii-mef"))
    assert world.entry.public_id in seqs()  # type: ignore[operator]
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM sharing_clearance_caveats WHERE clearance_id IN "
            "(SELECT id FROM sharing_clearance WHERE person_id = %s)",
            [world.cast.mef_officer.pk],
        )
        cursor.execute(
            "DELETE FROM sharing_clearance WHERE person_id = %s", [world.cast.mef_officer.pk]
        )
    assert seqs() == set()  # no clearance: no marked entry


def _as(client: Client, world: World, who: str) -> Client:
    client.force_login(getattr(world.cast, who))
    return client


PAGES = [
    (p("/coordination/"), "outsider", None),
    (p("/coordination/situations/{w.cast.situation.public_id}/"), "mef_officer", "outsider"),
    (
        p("/coordination/situations/{w.cast.situation.public_id}/requests/"),
        "wa_officer",
        "outsider",
    ),
    (
        p("/coordination/situations/{w.cast.situation.public_id}/resources/personnel.svg"),
        "auditor",
        "outsider",
    ),
    (p("/coordination/entries/{w.entry.public_id}/"), "mef_officer", "us_coordinator"),
    (p("/coordination/requests/{w.request.public_id}/"), "mef_officer", "outsider"),
    (p("/coordination/translations/"), "jp_liaison", None),
    (p("/coordination/working-groups/t-scwg/"), "us_coordinator", "wa_officer"),
]


@pytest.mark.parametrize(("path", "allowed", "refused"), PAGES)
def test_pages_allow_their_people_and_hide_from_the_others(
    client: Client, world: World, path: Callable[[World], str], allowed: str, refused: str | None
) -> None:
    assert _as(client, world, allowed).get(path(world)).status_code == 200
    if refused is not None:
        assert _as(client, world, refused).get(path(world)).status_code == 404
    client.logout()
    response = client.get(path(world))
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


POSTS = [
    (
        p("/coordination/situations/{w.cast.situation.public_id}/entries/"),
        "wa_officer",
        "us_coordinator",
        lambda w: {"body": w.cast.ccc.code, "kind": "report", "language": "ja", "text": "道路復旧"},
    ),
    (
        p("/coordination/entries/{w.entry.public_id}/translate/"),
        "jp_liaison",
        "wa_officer",
        lambda w: {"text": "Report"},
    ),
    (
        p("/coordination/entries/{w.flagged.public_id}/vet/"),
        "jp_coordinator",
        "mef_officer",
        lambda w: {},
    ),
    (
        p("/coordination/entries/{w.entry.public_id}/event-time/"),
        "wa_officer",
        "mef_officer",
        lambda w: {"event_at": hours_ago(3).strftime("%Y-%m-%dT%H:%M"), "reason": "誤記"},
    ),
    (
        p("/coordination/situations/{w.cast.situation.public_id}/designations/add/"),
        "jp_coordinator",
        "us_coordinator",
        lambda w: {"situation_type": 12, "at": hours_ago(3).strftime("%Y-%m-%dT%H:%M")},
    ),
    (
        p("/coordination/requests/{w.request.public_id}/acknowledge/"),
        "mef_officer",
        "wa_officer",
        lambda w: {},
    ),
    (
        p("/coordination/requests/{w.request.public_id}/escalate/"),
        "jp_coordinator",
        "wa_officer",
        lambda w: {"reason": "上位へ"},
    ),
]


@pytest.mark.parametrize(("path", "allowed", "refused", "data"), POSTS)
def test_page_forms_act_for_their_people_and_refuse_the_others_with_a_reason(
    client: Client,
    world: World,
    path: Callable[[World], str],
    allowed: str,
    refused: str,
    data: Callable[[World], dict[str, Any]],
) -> None:
    if "designations" in path(world):
        from kizuna.acsa.models import SituationType

        data = lambda w: {  # noqa: E731
            "situation_type": SituationType.objects.get(code="disaster-relief").pk,
            "at": hours_ago(3).strftime("%Y-%m-%dT%H:%M"),
        }
    before = AuditEvent.objects.count()
    response = _as(client, world, refused).post(path(world), data(world), follow=True)
    assert AuditEvent.objects.count() == before
    # A refused form shows its error on the form (the page again, 422); an action, a flash.
    assert ("flash-error" if response.status_code == 200 else "errorlist") in (
        response.content.decode()
    )
    if path(world).endswith("/entries/"):
        assert "CCC" in response.content.decode()  # says which body they do not sit in
    response = _as(client, world, allowed).post(path(world), data(world), follow=True)
    assert AuditEvent.objects.count() > before
    assert "flash-success" in response.content.decode()


def test_closing_on_the_page_names_the_open_request(client: Client, world: World) -> None:
    response = _as(client, world, "jp_coordinator").post(
        f"/coordination/situations/{world.cast.situation.public_id}/close/",
        {"text": "終了"},
        follow=True,
    )
    assert f"#{world.request.reference}" in response.content.decode()
    world.cast.situation.refresh_from_db()
    assert world.cast.situation.is_open


def test_the_situation_page_keeps_its_query_count(
    client: Client, world: World, django_assert_max_num_queries: Any
) -> None:
    for n in range(30):
        services.entry_post(
            actor=world.cast.wa_officer,
            body=world.cast.ccc,
            kind="report",
            text=f"{n}",
            language="ja",
        )
    _as(client, world, "jp_coordinator")
    access.forget_all()
    # Constant, whatever the number of entries: the reader's clearance (2 queries), the
    # situations, bodies and markings they may read (decided once for the page's three
    # lists; the reach and the markings within it each read the access token), the marking
    # form's four choice lists.
    with django_assert_max_num_queries(48):
        response = client.get(f"/coordination/situations/{world.cast.situation.public_id}/")
    assert response.content.decode().count('data-testid="entry"') == 34 + 3
    # The next visit finds the reach remembered: one read of the access token instead of
    # the five queries that decide it.
    with django_assert_max_num_queries(42):
        client.get(f"/coordination/situations/{world.cast.situation.public_id}/")


def test_the_coordination_index_keeps_its_query_count(
    client: Client, world: World, django_assert_max_num_queries: Any
) -> None:
    for n in range(5):
        services.situation_open(
            actor=world.cast.jp_coordinator,
            organization=org("joint-staff"),
            title_ja=f"訓練{n}",
            title_en="",
            kind="exercise",
            starts_at=hours_ago(n + 1),
        )
    _as(client, world, "jp_coordinator")
    with django_assert_max_num_queries(12):
        response = client.get("/coordination/?exercises=1")  # the exercises asked for too
    assert response.content.decode().count('href="/coordination/situations/') == 6


def test_a_coordinator_opens_a_situation_on_the_page_and_others_cannot(
    client: Client, world: World
) -> None:
    data = {
        "organization": org("joint-staff").pk,
        "title_ja": "弾道ミサイル発射",
        "title_en": "",
        "kind": "missile_launch",
        "starts_at": hours_ago(1).strftime("%Y-%m-%dT%H:%M"),
        "place_name": "日本海",
    }
    response = _as(client, world, "jp_coordinator").post("/coordination/situations/new/", data)
    opened = world.cast.situation.__class__.objects.get(title_ja="弾道ミサイル発射")
    assert response["Location"] == f"/coordination/situations/{opened.public_id}/"
    refused = _as(client, world, "wa_officer").post("/coordination/situations/new/", data)
    assert refused.status_code == 403
    assert world.cast.situation.__class__.objects.filter(title_ja="弾道ミサイル発射").count() == 1


def test_a_request_is_drafted_on_the_page_and_a_line_without_quantity_is_refused(
    client: Client, world: World
) -> None:
    from kizuna.acsa.models import Category

    water = Category.objects.get(code="water").pk
    base = {
        "body": world.cast.ccc.code,
        "requesting_organization": org("western-army").pk,
        "supporting_organization": org("iii-mef").pk,
        "summary": "給水",
        "language": "ja",
        "place_name": "益城町",
        "needed_by": (timezone.now() + timedelta(hours=4)).strftime("%Y-%m-%dT%H:%M"),
        "priority": "immediate",
        "lines-TOTAL_FORMS": "3",
        "lines-INITIAL_FORMS": "0",
        "lines-0-category": water,
        "lines-0-description": "飲料水",
        "lines-0-unit": "リットル",
    }
    path = f"/coordination/situations/{world.cast.situation.public_id}/requests/new/"
    count = SupportRequest.objects.count()
    response = _as(client, world, "wa_officer").post(path, base, follow=True)
    assert "0より大きい数量を入力してください。" in response.content.decode()
    assert SupportRequest.objects.count() == count
    response = client.post(path, base | {"lines-0-quantity": "3000"})
    created = SupportRequest.objects.latest("pk")
    assert response["Location"] == f"/coordination/requests/{created.public_id}/"
    assert created.lines.get().quantity == 3000
    assert created.status == SupportRequest.Status.DRAFT
    assert _as(client, world, "outsider").post(path, base).status_code == 404


def test_a_stream_asked_of_a_wsgi_server_answers_no_content_at_once(
    client: Client, world: World
) -> None:
    """Under WSGI Django would read an endless stream to its end before sending any of it,
    holding the thread for good: the stream answers 204 there, which browsers do not retry,
    the same for every situation (nothing said of which exist)."""
    client.force_login(world.cast.us_coordinator)
    for situation_id in (world.cast.situation.public_id, new_public_id()):
        response = client.get(f"/coordination/situations/{situation_id}/events")
        assert response.status_code == 204
        assert not response.streaming
