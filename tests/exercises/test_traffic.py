"""Exercise traffic on coordination's tools (issue 14 item 2): a situation of kind exercise
and everything in it carry EXERCISE EXERCISE EXERCISE on its pages, its entries (page, live
fetch, API, stream payload), its log export and its requests' pages, and the real world's
lists — the situations list and API, the map, the first page's situations — leave it out
unless asked, the exercises' own panel listing it under the banner instead."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import pytest
from django.test import Client
from django.urls import reverse

from kizuna.coordination import selectors
from kizuna.coordination import services as coordination
from kizuna.coordination.models import LogEntry, Situation
from kizuna.core.models import Organization
from kizuna.core.services import token_issue
from kizuna.core.traffic import EXERCISE_BANNER
from kizuna.sharing.selectors import map_places

from .scenario_helpers import Run

pytestmark = pytest.mark.django_db
MARK = 'data-testid="exercise-mark"'


@pytest.fixture
def both(run: Run) -> tuple[Situation, LogEntry]:
    """Beside the run's exercise situation, a real-world one the same people sit in, at the
    same place; and an entry the player posted in the exercise."""
    real = coordination.situation_open(
        actor=run.coordinator,
        organization=Organization.objects.get(code="joint-staff"),
        title_ja="実際の災害",
        title_en="Real disaster",
        kind=Situation.Kind.DISASTER,
        starts_at=datetime(2026, 10, 30, tzinfo=UTC),
        latitude=32.8,
        longitude=130.7,
    )
    run.situation.latitude, run.situation.longitude = 32.8, 130.7
    run.situation.save(update_fields=["latitude", "longitude"])
    entry = coordination.entry_post(
        actor=run.player, body=run.body, kind="information", text="演習中の報告", language="ja"
    )
    return real, entry


def test_the_situation_page_and_its_entries_carry_the_banner(
    client: Client, run: Run, both: tuple[Situation, LogEntry]
) -> None:
    real, entry = both
    client.force_login(run.player)
    page = client.get(reverse("coordination:situation", args=[run.situation])).content.decode()
    assert page.count('data-testid="exercise-banner"') == 2  # above and below
    assert page.count(MARK) >= 1
    fetched = client.get(reverse("coordination:entry", args=[entry])).content.decode()
    assert MARK in fetched  # what the live page fetches when the entry arrives
    client.force_login(run.coordinator)
    real_page = client.get(reverse("coordination:situation", args=[real])).content.decode()
    assert "exercise-banner" not in real_page
    assert MARK not in real_page


def test_the_entry_payload_and_the_log_export_say_exercise(
    client: Client, run: Run, both: tuple[Situation, LogEntry]
) -> None:
    _real, entry = both
    (payload,) = [
        p
        for p in selectors.entries_payloads(
            person=run.player, situation_id=run.situation.public_id
        ).entries
        if p["id"] == entry.public_id
    ]
    assert payload["traffic"] == EXERCISE_BANNER
    (live,) = [
        p for p in selectors.live_payloads(run.situation.pk, 0) if p["id"] == entry.public_id
    ]
    assert live["traffic"] == EXERCISE_BANNER  # the stream's payloads too
    client.force_login(run.player)
    exported = client.get(reverse("coordination:log_csv", args=[run.situation]))
    rows = list(csv.reader(io.StringIO(b"".join(exported.streaming_content).decode())))
    assert rows[0] == [EXERCISE_BANNER]
    assert rows[1][0] == "id"
    assert any(row[0] == entry.public_id for row in rows[2:])


def test_real_world_lists_leave_exercises_out_unless_asked(
    client: Client, run: Run, both: tuple[Situation, LogEntry]
) -> None:
    real, _entry = both
    client.force_login(run.coordinator)
    index = client.get(reverse("coordination:index")).content.decode()
    assert reverse("coordination:situation", args=[real]) in index
    assert reverse("coordination:situation", args=[run.situation]) not in index
    asked = client.get(reverse("coordination:index"), {"exercises": "1"}).content.decode()
    assert reverse("coordination:situation", args=[run.situation]) in asked
    assert asked.count(MARK) == 1  # the exercise's row, not the real one

    token = token_issue(person=run.coordinator, label="t").secret
    api = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    listed = api.get("/api/coordination/situations").json()
    assert [s["id"] for s in listed] == [real.public_id]
    assert listed[0]["traffic"] is None
    with_exercises = api.get("/api/coordination/situations?exercises=true").json()
    traffic = {s["id"]: s["traffic"] for s in with_exercises}
    assert traffic == {real.public_id: None, run.situation.public_id: EXERCISE_BANNER}

    layer = [p for p in map_places(person=run.coordinator) if p.layer == "situation"]
    assert [p.title for p in layer] == [real.title]


def test_the_first_page_lists_exercises_apart_under_the_banner(
    client: Client, run: Run, both: tuple[Situation, LogEntry]
) -> None:
    client.force_login(run.player)
    home = client.get(reverse("core:home")).content.decode()
    real_panel = home.split('data-testid="coordination-waiting"', 1)[1].split("</section>", 1)[0]
    assert "演習の事態" not in real_panel
    under_way = home.split('data-testid="exercises-under-way"', 1)[1].split("</section>", 1)[0]
    assert "exercise-banner" in under_way
    assert reverse("coordination:situation", args=[run.situation]) in under_way
