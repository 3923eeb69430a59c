"""Property: for generated orders with generated markings and generated people (nation,
clearance, caveats, communities, role), every way of reading orders returns exactly what the
party/role rule and the marking rule together allow, and a hidden order's routes answer
exactly like a missing one's."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import transaction
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kizuna.acsa import selectors
from kizuna.acsa.models import Category, Delivery, Order, OrderLine, SituationType
from kizuna.core.models import Membership, Organization, Person, Role
from kizuna.sharing import policy as sharing_policy
from kizuna.sharing.marking import Marking
from kizuna.sharing.models import ClassificationLevel, Clearance, Community, HandlingCaveat
from kizuna.sharing.services import marking_set, resolve_marking

pytestmark = pytest.mark.django_db

LEVELS = {"JPN": ["jpn-j1", "jpn-j2", "jpn-j3"], "USA": ["usa-u1", "usa-u2", "usa-u3"]}
PERSON_LEVELS = {**LEVELS, "AUS": ["aus-a1"]}
# Migration 0002 of sharing: each pair handled as equal, both ways.
EQUAL = {("jpn-j1", "usa-u1"), ("jpn-j2", "usa-u2"), ("jpn-j3", "usa-u3")}
EQUAL |= {("aus-a1", "jpn-j1"), ("aus-a1", "usa-u1")}
EQUAL |= {(b, a) for a, b in EQUAL}
CAVEATS = ["originator-controlled", "no-copies"]
COMMUNITIES = ["bmd", "joint-isr"]
ROLES = [Role.ORDERING_OFFICIAL, Role.LOGISTICS_OFFICER, Role.AUDITOR, Role.COORDINATOR]


@dataclass(frozen=True)
class PersonSpec:
    nation: str
    level: str
    caveats: frozenset[str]
    communities: frozenset[str]
    role: str


@dataclass(frozen=True)
class OrderSpec:
    receiving: str  # the ordering nation; the other party supplies
    level: str
    also_aus: bool
    caveats: frozenset[str]
    communities: frozenset[str]

    @property
    def parties(self) -> set[str]:
        return {"JPN", "USA"}


@st.composite
def people(draw: st.DrawFn) -> PersonSpec:
    nation = draw(st.sampled_from(list(PERSON_LEVELS)))
    return PersonSpec(
        nation=nation,
        level=draw(st.sampled_from(PERSON_LEVELS[nation])),
        caveats=draw(st.frozensets(st.sampled_from(CAVEATS))),
        communities=draw(st.frozensets(st.sampled_from(COMMUNITIES))),
        role=draw(st.sampled_from(ROLES)),
    )


@st.composite
def orders(draw: st.DrawFn) -> OrderSpec:
    receiving = draw(st.sampled_from(list(LEVELS)))
    return OrderSpec(
        receiving=receiving,
        level=draw(st.sampled_from(LEVELS[receiving])),
        also_aus=draw(st.booleans()),
        caveats=draw(st.frozensets(st.sampled_from(CAVEATS), max_size=1)),
        communities=draw(st.frozensets(st.sampled_from(COMMUNITIES), max_size=1)),
    )


def _may_see(person: PersonSpec, order: OrderSpec) -> bool:
    """Both rules, written again independently of the policy modules."""
    if person.role == Role.COORDINATOR:
        return False
    if person.role != Role.AUDITOR and person.nation not in order.parties:
        return False
    rank = {code: int(code[-1]) for codes in PERSON_LEVELS.values() for code in codes}

    def covers(level: str) -> bool:
        return level[:3] == person.level[:3] and rank[level] <= rank[person.level]

    released = order.parties | ({"AUS"} if order.also_aus else set())
    return (
        person.nation in released
        and (covers(order.level) or any(a == order.level and covers(b) for a, b in EQUAL))
        and order.caveats <= person.caveats
        and order.communities <= person.communities
    )


def _build(
    world_people: list[PersonSpec], world_orders: list[OrderSpec]
) -> tuple[list[Person], list[Order]]:
    units = {
        nation: Organization.objects.create(
            code=f"unit-{nation.lower()}",
            name_ja=nation,
            name_en=nation,
            kind="other",
            nation_id=nation,
        )
        for nation in PERSON_LEVELS
    }
    level = {lv.code: lv for lv in ClassificationLevel.objects.all()}
    caveat = {c.code: c for c in HandlingCaveat.objects.all()}
    community = {c.code: c for c in Community.objects.all()}
    persons = []
    for n, spec in enumerate(world_people):
        person = Person.objects.create(username=f"p{n}")
        Membership.objects.create(person=person, organization=units[spec.nation], role=spec.role)
        clearance = Clearance.objects.create(person=person, level=level[spec.level])
        clearance.caveats.set([caveat[c] for c in spec.caveats])
        clearance.communities.set([community[c] for c in spec.communities])
        persons.append(person)
    situation = SituationType.objects.get(code="warning-and-surveillance")
    fuel = Category.objects.get(code="petroleum")
    long_ago = timezone.localdate() - timedelta(days=800)
    made = []
    for spec in world_orders:
        receiving = units[spec.receiving]
        supplying = units["USA" if spec.receiving == "JPN" else "JPN"]
        nations = ("JPN", "USA", "AUS") if spec.also_aus else ("JPN", "USA")
        marking = Marking(spec.level, nations, tuple(spec.caveats), tuple(spec.communities))
        order = Order.objects.create(
            marking=marking_set(resolve_marking(marking, originator=receiving)),
            supplying_org=supplying,
            receiving_org=receiving,
            situation_type=situation,
            legal_basis="basis",
            currency="JPY",
            settlement_method="currency",
            status=Order.Status.DELIVERED,
            created_by=persons[0],
            amount_ordered=Decimal(100),
            amount_delivered=Decimal(100),
        )
        line = OrderLine.objects.create(
            order=order,
            position=1,
            category=fuel,
            description="fuel",
            quantity=Decimal(1),
            unit="L",
            unit_price=Decimal(100),
            delivery_place="x",
            delivery_date=long_ago,
            quantity_delivered=Decimal(1),
        )
        # Delivered long ago and unsettled: overdue, and owed in the balances.
        Delivery.objects.create(
            line=line,
            quantity=Decimal(1),
            amount=Decimal(100),
            delivered_on=long_ago,
            due_on=long_ago + timedelta(days=365),
            recorded_by=persons[0],
        )
        made.append(order)
    return persons, made


@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    world_people=st.lists(people(), min_size=1, max_size=3),
    world_orders=st.lists(orders(), min_size=1, max_size=5),
)
def test_nobody_reads_an_order_they_may_not_see(
    client: Client, world_people: list[PersonSpec], world_orders: list[OrderSpec]
) -> None:
    with transaction.atomic():
        persons, made = _build(world_people, world_orders)
        missing = max(o.pk for o in made) + 1000
        for person, spec in zip(persons, world_people, strict=True):
            allowed = {
                o.pk for o, each in zip(made, world_orders, strict=True) if _may_see(spec, each)
            }
            sharing_policy.forget_reach(person)
            person.__dict__.pop("_acsa_standing", None)
            assert {o.pk for o in selectors.order_list(person=person)} == allowed
            overdue = selectors.overdue_deliveries(person=person)
            assert {d.line.order_id for d in overdue} == allowed
            owed = sum(
                (row["total"] for row in selectors.outstanding_by(person=person)), Decimal(0)
            )
            assert owed == 100 * len(allowed)
            client.force_login(person)
            get = client.get
            if spec.role != Role.COORDINATOR:
                assert {o["id"] for o in get("/api/acsa/orders").json()} == allowed
                exported = b"".join(get("/acsa/orders.csv").streaming_content)  # type: ignore[attr-defined]
                numbers = {row[0] for row in csv.reader(io.StringIO(exported.decode()))}
                assert {o.pk for o in made if o.number in numbers} == allowed
            missing_answers = [
                (r.status_code, r.content)
                for r in (get(f"/api/acsa/orders/{missing}"), get(f"/acsa/orders/{missing}/"))
            ]
            for order in made:
                api, page = get(f"/api/acsa/orders/{order.pk}"), get(f"/acsa/orders/{order.pk}/")
                if order.pk in allowed:
                    assert (api.status_code, page.status_code) == (200, 200)
                else:
                    assert [(api.status_code, api.content), (page.status_code, page.content)] == (
                        missing_answers
                    )
        transaction.set_rollback(True)
