"""Property: for generated readers (nation, clearance, caveats, communities) and log entries
(body, marking), every way of reading the log (page, board, translation queue, API, live
stream) returns exactly what the body rule and the marking rule together allow, and a
hidden entry's page and API answers are byte-identical to a missing entry's."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.db import transaction
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kizuna.coordination import live, policy, selectors, services
from kizuna.coordination.models import LogEntry
from kizuna.core.models import Membership, Person, Role
from kizuna.core.public_ids import new_public_id

from ..marked_worlds import ClearanceSpec, MarkingSpec, allows, clear, clearances, mark, markings
from .conftest import Cast, org

pytestmark = pytest.mark.django_db

# Where the reader's organization sits: joint-staff in the ACG, BOCC and CCC, usfj in the
# ACG and BOCC only (tests/coordination/conftest.py).
BODIES = ["bocc", "ccc", None]
SEAT = {"JPN": "joint-staff", "USA": "usfj"}


@dataclass(frozen=True)
class EntrySpec:
    nation: str
    marking: MarkingSpec
    body: str | None


@st.composite
def entries(draw: st.DrawFn) -> EntrySpec:
    nation = draw(st.sampled_from(sorted(SEAT)))
    return EntrySpec(nation, draw(markings(nation)), draw(st.sampled_from(BODIES)))


def _may_read(reader: ClearanceSpec, entry: EntrySpec) -> bool:
    """Both rules, written again independently of the policy modules."""
    return (entry.body != "ccc" or reader.nation == "JPN") and allows(reader, entry.marking)


def _reader(n: int, spec: ClearanceSpec) -> Person:
    person = Person.objects.create(username=f"reader{n}", language="ja")
    Membership.objects.create(
        person=person, organization=org(SEAT[spec.nation]), role=Role.INFORMATION_MANAGER
    )
    clear(person, spec)
    return person


def _entry(cast: Cast, n: int, spec: EntrySpec) -> LogEntry:
    organization = org(SEAT[spec.nation])
    now = timezone.now()
    body = getattr(cast, spec.body) if spec.body else None
    marking = mark(spec.marking, organization)
    series = services.draw_number(cast.situation, body, marking)
    return LogEntry.objects.create(
        situation=cast.situation,
        seq=10_000 + n,
        rev=10_000 + n,
        series=series,
        number=series.last_number,
        label=f"{series.code}-{series.last_number}",
        body=body,
        kind="report",
        author=cast.jp_coordinator,
        author_organization=organization,
        recorded_at=now,
        event_at=now,
        language="ja",
        text=f"標本{n}",
        significant=True,
        vetted_at=now,
        vetted_by=cast.jp_coordinator,
        marking=marking,
    )


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    world_readers=st.lists(clearances(), min_size=1, max_size=2),
    world_entries=st.lists(entries(), min_size=1, max_size=5),
)
def test_nobody_reads_an_entry_the_rules_hide(
    cast: Cast, world_readers: list[ClearanceSpec], world_entries: list[EntrySpec]
) -> None:
    situation = cast.situation
    with transaction.atomic():
        rows = [_entry(cast, n, spec) for n, spec in enumerate(world_entries)]
        missing = new_public_id()
        for n, spec in enumerate(world_readers):
            person = _reader(n, spec)
            allowed = {
                row.pk
                for row, entry in zip(rows, world_entries, strict=True)
                if _may_read(spec, entry)
            }
            mine = {r.pk for r in rows}
            page = selectors.entries_page(person=person, situation=situation, limit=200)
            assert {e.pk for e in page} & mine == allowed
            board = selectors.board(person=person, situation=situation, limit=200)
            assert {e.pk for e in board} & mine == allowed
            queue = selectors.translation_queue(person=person, limit=500)
            assert {e.pk for e in queue} & mine == {
                r.pk for r in rows if r.pk in allowed and r.body_id is not None
            }
            client = Client()
            client.force_login(person)
            api = client.get(
                f"/api/coordination/situations/{situation.public_id}/entries?limit=200"
            )
            public = {r.public_id: r.pk for r in rows}
            listed = {public[e["id"]] for e in api.json()["entries"] if e["id"] in public}
            assert listed == allowed
            # The numbers read run without gaps in every series: no hidden entry shows.
            series: dict[str, list[int]] = {}
            for e in api.json()["entries"]:
                code, number = e["number"].rsplit("-", 1)
                series.setdefault(code, []).append(int(number))
            for numbers in series.values():
                assert sorted(numbers) == list(range(1, len(numbers) + 1))
            # The live stream sends what the API lists, and no position that counts the rest.
            streamed = live.visible(
                selectors.live_payloads(situation.pk, 0, limit=500), 0, policy.log_reach(person)
            )
            assert {public[p["id"]] for _, p in streamed if p["id"] in public} == allowed
            assert all(not {"seq", "rev"} & set(p) for _, p in streamed)
            html = client.get(f"/coordination/situations/{situation.public_id}/").content.decode()
            assert {r.pk for r in rows if f'id="entry-{r.public_id}"' in html} == allowed
            missing_api = client.post(f"/api/coordination/entries/{missing}/vet")
            missing_row = client.get(f"/coordination/entries/{missing}/")
            for row in rows:
                if row.pk in allowed:
                    continue
                api_answer = client.post(f"/api/coordination/entries/{row.public_id}/vet")
                row_answer = client.get(f"/coordination/entries/{row.public_id}/")
                assert (api_answer.status_code, api_answer.content) == (
                    missing_api.status_code,
                    missing_api.content,
                )
                assert (row_answer.status_code, row_answer.content) == (
                    missing_row.status_code,
                    missing_row.content,
                )
        transaction.set_rollback(True)
