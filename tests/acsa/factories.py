"""A fixed cast for ACSA tests: Japan supplies, the United States receives (food and fuel to US
forces on warning and surveillance, as in the seed), and one official of each role per side."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils import timezone

from kizuna.acsa import services
from kizuna.acsa.models import Delivery, Order, SituationType
from kizuna.core.models import Membership, Nation, Organization, Person, Role
from kizuna.sharing.marking import Marking
from kizuna.sharing.models import Community, HandlingCaveat
from kizuna.sharing.services import clearance_grant

ROLES = {
    "ordering": Role.ORDERING_OFFICIAL,
    "approving": Role.APPROVING_OFFICIAL,
    "logistics": Role.LOGISTICS_OFFICER,
}


@dataclass
class Cast:
    jp_ordering: Person
    jp_approving: Person
    jp_logistics: Person
    us_ordering: Person
    us_approving: Person
    us_logistics: Person
    outsider: Person
    jp_unit: Organization
    us_unit: Organization

    def everyone(self) -> list[Person]:
        return [
            self.jp_ordering,
            self.jp_approving,
            self.jp_logistics,
            self.us_ordering,
            self.us_approving,
            self.us_logistics,
            self.outsider,
        ]


# Each nation's lowest level: what an order is marked by default, equivalent across nations.
LOWEST_LEVEL = {"JPN": "jpn-j1", "USA": "usa-u1", "AUS": "aus-a1"}


def official(
    username: str, *, nation: str, org: str, role: str | None, clearance: str | None = ""
) -> Person:
    """A person holding one role in one unit, cleared at their nation's lowest level unless
    `clearance` names another (None: no clearance); no password (hashing one costs a
    second)."""
    person = Person.objects.create(username=username)
    if role is not None:
        organization, _ = Organization.objects.get_or_create(
            code=org,
            defaults={
                "name_ja": f"{org}（部隊）",
                "name_en": f"{org} unit",
                "kind": "other",
                "nation": Nation.objects.get(code=nation),
            },
        )
        Membership.objects.create(person=person, organization=organization, role=role)
        if clearance is not None:
            clearance_grant(actor=None, person=person, level=clearance or LOWEST_LEVEL[nation])
    return person


def cleared_for_everything(username: str, role: str) -> Person:
    """A US official whose clearance covers every marking a US order can carry: the top
    US level, every handling caveat and every community of interest an order may carry
    (not those reserved for another app's records, such as the exercise control cell)."""
    person = official(username, nation="USA", org="usfj", role=role, clearance=None)
    clearance_grant(
        actor=None,
        person=person,
        level="usa-u3",
        caveats=HandlingCaveat.objects.values_list("code", flat=True),
        communities=Community.objects.filter(reserved_for="").values_list("code", flat=True),
    )
    return Person.objects.get(pk=person.pk)


def make_cast(make_person: Callable[..., Person] = official) -> Cast:
    people = {
        f"{side}_{role}": make_person(
            f"{side}-{role}",
            nation="JPN" if side == "jp" else "USA",
            org="asdf-6aw" if side == "jp" else "usfj",
            role=role_value,
            clearance=LOWEST_LEVEL["JPN" if side == "jp" else "USA"],
        )
        for side in ("jp", "us")
        for role, role_value in ROLES.items()
    }
    outsider = make_person(
        "outsider", nation="USA", org="usfj", role=Role.COORDINATOR, clearance="usa-u1"
    )
    return Cast(
        **people,
        outsider=outsider,
        jp_unit=Organization.objects.get(code="asdf-6aw"),
        us_unit=Organization.objects.get(code="usfj"),
    )


def fuel_line(
    quantity: str = "1000", price: str = "120", on: date | None = None
) -> services.LineInput:
    return services.LineInput(
        category="petroleum",
        description="JP-5 航空燃料 / JP-5 aviation fuel",
        quantity=Decimal(quantity),
        unit="L",
        unit_price=Decimal(price),
        delivery_place="三沢基地 / Misawa Air Base",
        delivery_date=on or date(2024, 5, 1),
    )


def draft(
    cast: Cast,
    *lines: services.LineInput,
    key: str = "",
    situation: str = "warning-and-surveillance",
    marking: Marking | None = None,
    actor: Person | None = None,
) -> Order:
    """A draft for Japan to supply the US, made by the US ordering official (or `actor`),
    with the default marking unless `marking` names one."""
    return services.order_create(
        actor=actor or cast.us_ordering,
        supplying_org=cast.jp_unit,
        receiving_org=cast.us_unit,
        situation_type=SituationType.objects.get(code=situation),
        legal_basis="自衛隊法第100条の6 / SDF Act Art. 100-6",
        currency="JPY",
        settlement_method=Order.SettlementMethod.CURRENCY,
        lines=list(lines) or [fuel_line()],
        marking=marking,
        idempotency_key=key,
    )


def accepted(cast: Cast, *lines: services.LineInput) -> Order:
    """A draft requested by the US ordering official and signed by Japan's approving one."""
    order = draft(cast, *lines)
    services.order_request(order=order, actor=cast.us_ordering)
    services.order_accept(order=order, actor=cast.jp_approving)
    order.refresh_from_db()
    return order


def deliver(cast: Cast, order: Order, quantity: str) -> Delivery:
    """Japan's logistics officer delivers on the order's first line today, with a slip."""
    return services.delivery_record(
        order=order,
        line=order.lines.first(),  # type: ignore[arg-type]
        actor=cast.jp_logistics,
        quantity=Decimal(quantity),
        delivered_on=timezone.localdate(),
        documents=[services.Document("slip.pdf", b"%PDF slip")],
    )
