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

from kizuna.acsa import selectors, services
from kizuna.acsa.models import Category, Delivery, Order, OrderLine, SituationType
from kizuna.core.models import Membership, Organization, Person, Role
from kizuna.sharing import policy as sharing_policy

from ..marked_worlds import ClearanceSpec, MarkingSpec, allows, clear, clearances, mark, markings

pytestmark = pytest.mark.django_db

ROLES = [Role.ORDERING_OFFICIAL, Role.LOGISTICS_OFFICER, Role.AUDITOR, Role.COORDINATOR]
PARTIES = frozenset({"JPN", "USA"})


@dataclass(frozen=True)
class PersonSpec:
    clearance: ClearanceSpec
    role: str


@dataclass(frozen=True)
class OrderSpec:
    receiving: str  # the ordering nation; the other party supplies
    marking: MarkingSpec


@st.composite
def people(draw: st.DrawFn) -> PersonSpec:
    return PersonSpec(draw(clearances(("JPN", "USA", "AUS"))), draw(st.sampled_from(ROLES)))


@st.composite
def orders(draw: st.DrawFn) -> OrderSpec:
    receiving = draw(st.sampled_from(sorted(PARTIES)))
    # Both parties must be able to read the order; a third nation may be released to.
    return OrderSpec(receiving, draw(markings(receiving, must_release=PARTIES)))


def _may_see(person: PersonSpec, order: OrderSpec) -> bool:
    """Both rules, written again independently of the policy modules."""
    if person.role == Role.COORDINATOR:
        return False
    if person.role != Role.AUDITOR and person.clearance.nation not in PARTIES:
        return False
    return allows(person.clearance, order.marking)


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
        for nation in ("JPN", "USA", "AUS")
    }
    persons = []
    for n, spec in enumerate(world_people):
        person = Person.objects.create(username=f"p{n}")
        Membership.objects.create(
            person=person, organization=units[spec.clearance.nation], role=spec.role
        )
        clear(person, spec.clearance)
        persons.append(person)
    situation = SituationType.objects.get(code="warning-and-surveillance")
    fuel = Category.objects.get(code="petroleum")
    long_ago = timezone.localdate() - timedelta(days=800)
    made = []
    for spec in world_orders:
        receiving = units[spec.receiving]
        supplying = units["USA" if spec.receiving == "JPN" else "JPN"]
        marking = mark(spec.marking, receiving)
        series, [number] = services.draw_numbers(marking, supplying, receiving)
        order = Order.objects.create(
            marking=marking,
            series=series,
            number=number,
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
    max_examples=40,
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
