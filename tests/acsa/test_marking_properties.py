"""Property: for generated orders with generated markings and generated people (nation,
clearance, caveats, communities, role), every way of reading orders returns exactly what the
party/role rule and the marking rule together allow, and a hidden order's routes answer
exactly like a missing one's; every total (balances, their chart's series, netting, the
overdue list) counts only those orders, the order numbers a person sees have no gaps, and a
liability-cap warning names figures only to whoever sees every order the cap counts."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import transaction
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kizuna.acsa import policy, selectors, services
from kizuna.acsa.models import (
    Category,
    Delivery,
    ExchangeRate,
    LiabilityCap,
    Order,
    OrderLine,
    SituationType,
)
from kizuna.core.models import Membership, Organization, Person, Role
from kizuna.core.public_ids import new_public_id
from kizuna.sharing import policy as sharing_policy
from kizuna.sharing.models import Community, HandlingCaveat

from ..marked_worlds import ClearanceSpec, MarkingSpec, allows, clear, clearances, mark, markings

pytestmark = pytest.mark.django_db

ROLES = [
    Role.ORDERING_OFFICIAL,
    Role.APPROVING_OFFICIAL,
    Role.LOGISTICS_OFFICER,
    Role.AUDITOR,
    Role.COORDINATOR,
]
PARTIES = frozenset({"JPN", "USA"})


@dataclass(frozen=True)
class PersonSpec:
    clearance: ClearanceSpec
    role: str


@dataclass(frozen=True)
class OrderSpec:
    receiving: str  # the ordering nation; the other party supplies
    marking: MarkingSpec
    currency: str


@st.composite
def people(draw: st.DrawFn) -> PersonSpec:
    # Now and then a US person cleared for everything a US order can carry.
    if draw(st.integers(0, 4)) == 0:
        return PersonSpec(
            ClearanceSpec(
                "USA",
                "usa-u3",
                frozenset(HandlingCaveat.objects.values_list("code", flat=True)),
                frozenset(Community.objects.values_list("code", flat=True)),
            ),
            draw(st.sampled_from(ROLES)),
        )
    return PersonSpec(draw(clearances(("JPN", "USA", "AUS"))), draw(st.sampled_from(ROLES)))


@st.composite
def orders(draw: st.DrawFn) -> OrderSpec:
    receiving = draw(st.sampled_from(sorted(PARTIES)))
    # Both parties must be able to read the order; a third nation may be released to.
    return OrderSpec(
        receiving,
        draw(markings(receiving, must_release=PARTIES)),
        draw(st.sampled_from(["JPY", "USD"])),
    )


def _sees_every_us_order(person: PersonSpec) -> bool:
    """Cleared for every marking a US order can carry, and let in by the party rule."""
    return (
        person.role != Role.COORDINATOR
        and person.clearance.nation == "USA"
        and person.clearance.level == "usa-u3"
        and person.clearance.caveats == set(HandlingCaveat.objects.values_list("code", flat=True))
        and person.clearance.communities == set(Community.objects.values_list("code", flat=True))
    )


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
    # Yen orders count toward the US caps at a rate in force: one for every generated day.
    ExchangeRate.objects.create(
        base="USD", quote="JPY", rate=Decimal("150"), effective_from=date(1990, 1, 1),
        source="a rate for the generated worlds",
    )  # fmt: skip
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
    # Caps so low that every dollar order the US receives crosses both.
    LiabilityCap.objects.update(amount=Decimal(50))
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
            currency=spec.currency,
            settlement_method="currency",
            status=Order.Status.DELIVERED,
            created_by=persons[0],
            accepted_at=timezone.now(),
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
            receipt_signed_at=timezone.now(),
        )
        made.append(order)
    return persons, made


def _totals_within_sight(
    person: Person,
    spec: PersonSpec,
    made: list[Order],
    world_orders: list[OrderSpec],
    allowed: set[int],
) -> None:
    """Every total counts only the orders the person sees (each is owed 100), the numbers
    they see run without gaps in each series, and cap figures go only to whoever sees every
    order a cap counts."""
    series = selectors.balance_series(person=person)
    assert sum(points[-1][1] for points in series.values()) == 100 * len(allowed)
    currency_of = {o.pk: each.currency for o, each in zip(made, world_orders, strict=True)}
    if policy.may_net(person):
        for row in selectors.netting(person=person)["rows"]:
            seen = [pk for pk in allowed if currency_of[pk] == row["currency"]]
            assert row["owed_to_japan"] + row["owed_to_us"] == 100 * len(seen)
    serials: dict[str, list[int]] = defaultdict(list)
    for order in selectors.order_list(person=person):
        prefix, serial = order.number.rsplit("-", 1)
        serials[prefix].append(int(serial))
    for run in serials.values():
        assert sorted(run) == list(range(1, len(run) + 1))
    counted = {
        o.pk
        for o, each in zip(made, world_orders, strict=True)
        if each.receiving == "USA" and each.currency == "USD"
    }
    figures = _sees_every_us_order(spec)
    assert not figures or counted <= allowed  # the restated rule agrees with the policy
    for pk in counted & allowed:
        order = selectors.order_get(person=person, public_id=Order.objects.get(pk=pk).public_id)
        warnings = selectors.cap_warnings(order, person)
        assert len(warnings) == 2  # the supplies cap and the total, both crossed
        assert all(("$" in w) == figures for w in warnings), (spec, warnings)


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
        missing = new_public_id()
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
            _totals_within_sight(person, spec, made, world_orders, allowed)
            client.force_login(person)
            get = client.get
            if spec.role != Role.COORDINATOR:
                public = {o.public_id: o.pk for o in made}
                assert {public[o["id"]] for o in get("/api/acsa/orders").json()} == allowed
                exported = b"".join(get("/acsa/orders.csv").streaming_content)  # type: ignore[attr-defined]
                numbers = {row[0] for row in csv.reader(io.StringIO(exported.decode()))}
                assert {o.pk for o in made if o.number in numbers} == allowed
            missing_answers = [
                (r.status_code, r.content)
                for r in (get(f"/api/acsa/orders/{missing}"), get(f"/acsa/orders/{missing}/"))
            ]
            for order in made:
                api, page = (
                    get(f"/api/acsa/orders/{order.public_id}"),
                    get(f"/acsa/orders/{order.public_id}/"),
                )
                if order.pk in allowed:
                    assert (api.status_code, page.status_code) == (200, 200)
                else:
                    assert [(api.status_code, api.content), (page.status_code, page.content)] == (
                        missing_answers
                    )
        transaction.set_rollback(True)
