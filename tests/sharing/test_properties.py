"""Property: for generated nations, people, clearances, caveats, communities, equivalence
tables and items, every way of reading items returns exactly what the rule allows, and a
hidden item's routes answer exactly like a missing one's."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
from django.db import transaction
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kizuna.core.models import Membership, Organization, Person, Role
from kizuna.core.public_ids import new_public_id
from kizuna.sharing import policy
from kizuna.sharing.marking import Marking
from kizuna.sharing.models import (
    ClassificationLevel,
    Clearance,
    Community,
    HandlingCaveat,
    LevelEquivalence,
    SharedItem,
)
from kizuna.sharing.search import item_grams
from kizuna.sharing.services import marking_set, resolve_marking

pytestmark = pytest.mark.django_db

LEVELS = {
    "JPN": ["jpn-j1", "jpn-j2", "jpn-j3"],
    "USA": ["usa-u1", "usa-u2", "usa-u3"],
    "AUS": ["aus-a1"],
}
ALL_LEVELS = [code for codes in LEVELS.values() for code in codes]
NATIONS = list(LEVELS)
CAVEATS = ["originator-controlled", "no-copies", "exercise-only"]
COMMUNITIES = ["scwg", "cdpwg", "bmd"]
WORD = "標本"


@dataclass(frozen=True)
class PersonSpec:
    nation: str
    level: str
    caveats: frozenset[str]
    communities: frozenset[str]


@dataclass(frozen=True)
class ItemSpec:
    nation: str
    level: str
    releasable_to: frozenset[str]
    caveats: frozenset[str]
    communities: frozenset[str]
    positioned: bool


@st.composite
def people(draw: st.DrawFn) -> PersonSpec:
    nation = draw(st.sampled_from(NATIONS))
    return PersonSpec(
        nation=nation,
        level=draw(st.sampled_from(LEVELS[nation])),
        caveats=draw(st.frozensets(st.sampled_from(CAVEATS))),
        communities=draw(st.frozensets(st.sampled_from(COMMUNITIES))),
    )


@st.composite
def items(draw: st.DrawFn) -> ItemSpec:
    nation = draw(st.sampled_from(NATIONS))
    return ItemSpec(
        nation=nation,
        level=draw(st.sampled_from(LEVELS[nation])),
        releasable_to=draw(st.frozensets(st.sampled_from(NATIONS))) | {nation},
        caveats=draw(st.frozensets(st.sampled_from(CAVEATS), max_size=2)),
        communities=draw(st.frozensets(st.sampled_from(COMMUNITIES), max_size=2)),
        positioned=draw(st.booleans()),
    )


equivalences = st.frozensets(
    st.tuples(st.sampled_from(ALL_LEVELS), st.sampled_from(ALL_LEVELS)).filter(
        lambda pair: pair[0][:3] != pair[1][:3]
    ),
    max_size=8,
)


def _may_see(person: PersonSpec, item: ItemSpec, table: frozenset[tuple[str, str]]) -> bool:
    """The rule, written again independently of the policy module."""
    rank = {code: int(code[-1]) for code in ALL_LEVELS}

    def covers(level: str) -> bool:
        return level[:3] == person.level[:3] and rank[level] <= rank[person.level]

    covered = covers(item.level) or any(one == item.level and covers(other) for one, other in table)
    return (
        person.nation in item.releasable_to
        and covered
        and item.caveats <= person.caveats
        and item.communities <= person.communities
    )


def _build(
    world_people: list[PersonSpec], world_items: list[ItemSpec], table: frozenset
) -> tuple[list[Person], list[SharedItem]]:
    LevelEquivalence.objects.all().delete()
    level = {lv.code: lv for lv in ClassificationLevel.objects.all()}
    for one, other in table:
        LevelEquivalence.objects.create(level=level[one], equivalent=level[other])
    organizations = {
        nation: Organization.objects.create(
            code=f"org-{nation.lower()}",
            name_ja=nation,
            name_en=nation,
            kind="other",
            nation_id=nation,
        )
        for nation in NATIONS
    }
    caveat = {c.code: c for c in HandlingCaveat.objects.all()}
    community = {c.code: c for c in Community.objects.all()}
    persons = []
    for n, spec in enumerate(world_people):
        person = Person.objects.create(username=f"p{n}")
        Membership.objects.create(
            person=person, organization=organizations[spec.nation], role=Role.COORDINATOR
        )
        clearance = Clearance.objects.create(person=person, level=level[spec.level])
        clearance.caveats.set([caveat[c] for c in spec.caveats])
        clearance.communities.set([community[c] for c in spec.communities])
        persons.append(person)
    rows = []
    for n, spec in enumerate(world_items):
        item = SharedItem(
            kind="report",
            domain="space",
            originator=organizations[spec.nation],
            created_by=persons[0],
            created_at=timezone.now(),
            original_language="ja",
            title_ja=f"{WORD}第{n}号X",
            body_ja=f"{WORD}の本文{n}",
            marking=marking_set(
                resolve_marking(
                    Marking(
                        spec.level,
                        tuple(spec.releasable_to),
                        tuple(spec.caveats),
                        tuple(spec.communities),
                    ),
                    originator=organizations[spec.nation],
                )
            ),
            latitude=35.0 if spec.positioned else None,
            longitude=139.0 if spec.positioned else None,
            observed_at=datetime(2020, 11, 1, tzinfo=UTC) if spec.positioned else None,
        )
        item.search_grams = item_grams(item)
        item.save()
        rows.append(item)
    return persons, rows


def _ids(response: object, key: str = "items") -> set[str]:
    body = response.json()  # type: ignore[attr-defined]
    rows = body[key] if isinstance(body, dict) else body
    return {row["id"] for row in rows}


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    world_people=st.lists(people(), min_size=1, max_size=3),
    world_items=st.lists(items(), min_size=1, max_size=6),
    table=equivalences,
)
def test_nobody_gets_an_item_they_may_not_see(
    client: Client,
    world_people: list[PersonSpec],
    world_items: list[ItemSpec],
    table: frozenset[tuple[str, str]],
) -> None:
    with transaction.atomic():
        persons, rows = _build(world_people, world_items, table)
        missing = new_public_id()
        for person, spec in zip(persons, world_people, strict=True):
            allowed = {
                row.public_id
                for row, item in zip(rows, world_items, strict=True)
                if _may_see(spec, item, table)
            }
            policy.forget_reach(person)
            assert set(policy.visible(person).values_list("public_id", flat=True)) == allowed
            client.force_login(person)
            get = client.get
            assert _ids(get("/api/sharing/items")) == allowed
            assert _ids(get("/api/sharing/items", {"q": WORD})) == allowed
            assert get("/api/sharing/items/count", {"q": WORD}).json()["count"] == len(allowed)
            assert _ids(get("/api/sharing/items/titles", {"prefix": WORD})) == allowed
            positioned = {
                r.public_id for r, i in zip(rows, world_items, strict=True) if i.positioned
            }
            assert _ids(get("/api/sharing/map")) == allowed & positioned
            exported = get("/api/sharing/export/stix", {"q": WORD}).json().get("objects", [])
            titles = {o["x_kizuna_title_ja"] for o in exported if o["type"] == "report"}
            assert {r.public_id for r in rows if r.title_ja in titles} == allowed
            page = get("/sharing/", {"q": WORD}).content.decode()
            shown = {r.public_id for r in rows if f"/sharing/{r.public_id}/" in page}
            assert shown == allowed
            map_page = get("/sharing/map/").content.decode()
            assert {
                r.public_id for r in rows if f"/sharing/{r.public_id}/" in map_page
            } == allowed & positioned
            missing_api = get(f"/api/sharing/items/{missing}")
            missing_page = get(f"/sharing/{missing}/")
            for row in rows:
                api = get(f"/api/sharing/items/{row.public_id}")
                detail = get(f"/sharing/{row.public_id}/")
                if row.public_id in allowed:
                    assert (api.status_code, detail.status_code) == (200, 200)
                    assert _ids(get(f"/api/sharing/items/{row.public_id}/related"), "") <= allowed
                else:
                    assert (api.status_code, api.content) == (
                        missing_api.status_code,
                        missing_api.content,
                    )
                    assert (detail.status_code, detail.content) == (
                        missing_page.status_code,
                        missing_page.content,
                    )
                    for route in ("history", "related", "attachments"):
                        assert get(f"/api/sharing/items/{row.public_id}/{route}").status_code == 404
        transaction.set_rollback(True)
