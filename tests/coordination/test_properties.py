"""Property: for generated readers (nation, clearance, caveats, communities) and log entries
(body, marking), every way of reading the log returns exactly what the body rule and the
marking rule together allow, and a hidden entry's page and API answers are byte-identical
to a missing entry's."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.db import transaction
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kizuna.coordination import selectors
from kizuna.coordination.models import LogEntry
from kizuna.core.models import Membership, Person, Role
from kizuna.sharing.marking import Marking
from kizuna.sharing.models import ClassificationLevel, Clearance, Community, HandlingCaveat
from kizuna.sharing.services import marking_set, resolve_marking

from .conftest import Cast, org

pytestmark = pytest.mark.django_db

LEVELS = {"JPN": ["jpn-j1", "jpn-j2", "jpn-j3"], "USA": ["usa-u1", "usa-u2", "usa-u3"]}
NATIONS = list(LEVELS)
# The equivalences of the reference data (sharing migration 0002): jN <-> uN.
RANK = {code: int(code[-1]) for codes in LEVELS.values() for code in codes}
CAVEATS = ["originator-controlled", "no-copies"]
COMMUNITIES = ["scwg", "bmd"]
# Where the reader's organization sits: joint-staff in the ACG, BOCC and CCC, usfj in the
# ACG and BOCC only (tests/coordination/conftest.py).
BODIES = ["bocc", "ccc", None]
SEAT = {"JPN": "joint-staff", "USA": "usfj"}


@dataclass(frozen=True)
class ReaderSpec:
    nation: str
    level: str
    caveats: frozenset[str]
    communities: frozenset[str]


@dataclass(frozen=True)
class EntrySpec:
    nation: str
    level: str
    releasable_to: frozenset[str]
    caveats: frozenset[str]
    communities: frozenset[str]
    body: str | None


@st.composite
def readers(draw: st.DrawFn) -> ReaderSpec:
    nation = draw(st.sampled_from(NATIONS))
    return ReaderSpec(
        nation,
        draw(st.sampled_from(LEVELS[nation])),
        draw(st.frozensets(st.sampled_from(CAVEATS))),
        draw(st.frozensets(st.sampled_from(COMMUNITIES))),
    )


@st.composite
def entries(draw: st.DrawFn) -> EntrySpec:
    nation = draw(st.sampled_from(NATIONS))
    return EntrySpec(
        nation,
        draw(st.sampled_from(LEVELS[nation])),
        draw(st.frozensets(st.sampled_from(NATIONS))) | {nation},
        draw(st.frozensets(st.sampled_from(CAVEATS), max_size=1)),
        draw(st.frozensets(st.sampled_from(COMMUNITIES), max_size=1)),
        draw(st.sampled_from(BODIES)),
    )


def _may_read(reader: ReaderSpec, entry: EntrySpec) -> bool:
    """Both rules, written again independently of the policy modules."""
    return (
        (entry.body != "ccc" or reader.nation == "JPN")
        and reader.nation in entry.releasable_to
        and RANK[entry.level] <= RANK[reader.level]
        and entry.caveats <= reader.caveats
        and entry.communities <= reader.communities
    )


def _reader(n: int, spec: ReaderSpec) -> Person:
    person = Person.objects.create(username=f"reader{n}", language="ja")
    Membership.objects.create(
        person=person, organization=org(SEAT[spec.nation]), role=Role.INFORMATION_MANAGER
    )
    clearance = Clearance.objects.create(
        person=person, level=ClassificationLevel.objects.get(code=spec.level)
    )
    clearance.caveats.set(HandlingCaveat.objects.filter(code__in=spec.caveats))
    clearance.communities.set(Community.objects.filter(code__in=spec.communities))
    return person


def _entry(cast: Cast, n: int, spec: EntrySpec) -> LogEntry:
    organization = org(SEAT[spec.nation])
    marking = Marking(
        spec.level, tuple(spec.releasable_to), tuple(spec.caveats), tuple(spec.communities)
    )
    now = timezone.now()
    return LogEntry.objects.create(
        situation=cast.situation,
        seq=10_000 + n,
        rev=10_000 + n,
        body=getattr(cast, spec.body) if spec.body else None,
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
        marking=marking_set(resolve_marking(marking, originator=organization)),
    )


@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    world_readers=st.lists(readers(), min_size=1, max_size=2),
    world_entries=st.lists(entries(), min_size=1, max_size=5),
)
def test_nobody_reads_an_entry_the_rules_hide(
    cast: Cast, world_readers: list[ReaderSpec], world_entries: list[EntrySpec]
) -> None:
    situation = cast.situation
    with transaction.atomic():
        rows = [_entry(cast, n, spec) for n, spec in enumerate(world_entries)]
        missing = max(r.pk for r in rows) + 1000
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
            api = client.get(f"/api/coordination/situations/{situation.pk}/entries?limit=200")
            assert {e["id"] for e in api.json()["entries"]} & mine == allowed
            html = client.get(f"/coordination/situations/{situation.pk}/").content.decode()
            assert {r.pk for r in rows if f'id="entry-{r.pk}"' in html} == allowed
            missing_api = client.post(f"/api/coordination/entries/{missing}/vet")
            missing_row = client.get(f"/coordination/entries/{missing}/")
            for row in rows:
                if row.pk in allowed:
                    continue
                api_answer = client.post(f"/api/coordination/entries/{row.pk}/vet")
                row_answer = client.get(f"/coordination/entries/{row.pk}/")
                assert (api_answer.status_code, api_answer.content) == (
                    missing_api.status_code,
                    missing_api.content,
                )
                assert (row_answer.status_code, row_answer.content) == (
                    missing_row.status_code,
                    missing_row.content,
                )
        transaction.set_rollback(True)
