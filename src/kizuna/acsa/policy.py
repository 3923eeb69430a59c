"""Who may see and do what with ACSA orders. Every page, API route and service asks here.

Sides are nations: an order's receiving side is its receiving unit's nation, its supplying
side the supplying unit's. Who takes each step (see docs/acsa.md):

- ordering official of the receiving side: creates the draft, requests (first signature),
  cancels before delivery;
- approving official of the supplying side: accepts and signs (second signature), cancels
  before delivery, closes a settled order;
- logistics officer of the supplying side: records deliveries and their documents;
- logistics officer of the receiving side: signs the receipt of each delivery;
- approving official of the receiving side: records settlements; a settlement in kind is a
  counter-delivery whose receipt the supplying side's logistics officer signs.

Orders are seen by the ACSA officials of either party's nation, and by auditors and
administrators, and by them only where the order's marking lets them in (sharing's one rule:
`sharing.policy.marking_filter`); anyone else gets 404, as for a missing order. Everything
derived from orders (lines, deliveries, settlements, ledger, notices, reports, exports)
reaches the order through `order_filter`.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404, HttpRequest
from django.utils.translation import gettext_lazy as _

from kizuna.core.auth import person_of
from kizuna.core.models import Person, Role
from kizuna.core.policy import is_auditor
from kizuna.sharing import policy as sharing_policy

from .models import Offset, Order, Settlement

ACSA_ROLES = (Role.ORDERING_OFFICIAL, Role.APPROVING_OFFICIAL, Role.LOGISTICS_OFFICER)


@dataclass(frozen=True)
class _Standing:
    auditor: bool
    roles: frozenset[tuple[str, str]]  # (role, nation)


def _standing(person: Person) -> _Standing:
    """The person's roles by nation, read once and kept on the person object, which lives as
    long as the request (or the command) that loaded it."""
    standing = person.__dict__.get("_acsa_standing")
    if standing is None:
        standing = _Standing(
            auditor=is_auditor(person),
            roles=frozenset((m.role, m.organization.nation_id) for m in person.membership_rows()),
        )
        person.__dict__["_acsa_standing"] = standing
    return standing


def acsa_nations(person: Person) -> set[str]:
    return {nation for role, nation in _standing(person).roles if role in ACSA_ROLES}


def may_use_acsa(person: Person) -> bool:
    return bool(acsa_nations(person)) or _standing(person).auditor


def acsa_person(request: HttpRequest) -> Person:
    """The signed-in person, for pages and API routes of ACSA; anyone who may not use ACSA
    gets 404, as for a page that is not there."""
    person = person_of(request)
    if not may_use_acsa(person):
        raise Http404
    return person


def order_filter(person: Person, via: str = "") -> Q:
    """The orders this person may see, as a condition on Order, or on a model reaching the
    order through `via` (e.g. "line__order__" from a delivery), so that reports filter on
    the join they already make instead of a subquery: the party/role rule AND the marking
    rule. Without a clearance the marking rule lets nothing in."""
    markings = sharing_policy.marking_filter(person, via)
    if _standing(person).auditor:
        return markings
    nations = acsa_nations(person)
    if not nations:
        return Q(pk__in=[])
    parties = Q(**{f"{via}supplying_org__nation_id__in": nations}) | Q(
        **{f"{via}receiving_org__nation_id__in": nations}
    )
    return parties & markings


def orders_visible(person: Person) -> QuerySet[Order]:
    return Order.objects.filter(order_filter(person))


def offsets_visible(person: Person) -> QuerySet[Offset]:
    """Offsets that name no order hidden from `person`: applied ones whose every settlement
    is on an order they see; pending ones (an amount over orders not yet named) only when
    they see every order."""
    seen = order_filter(person)
    hidden_settlement = Settlement.objects.filter(offset=OuterRef("pk")).exclude(
        order_filter(person, via="delivery__line__order__")
    )
    sees_all = not Order.objects.exclude(seen).exists()
    pending = Q(applied_at__isnull=True) if sees_all else Q(pk__in=[])
    return Offset.objects.filter(
        pending | (Q(applied_at__isnull=False) & ~Exists(hidden_settlement))
    )


def sees_every_order_received_by(person: Person, nation: str) -> bool:
    """Whether every order `nation` receives (and so every order a cap on its liabilities
    counts) is within the person's sight whatever orders exist: the party rule lets them in
    (auditor, or ACSA official of that nation) and their clearance covers every marking such
    an order could carry (orders are levelled by the receiving nation and releasable to it)."""
    standing = _standing(person)
    return (standing.auditor or nation in acsa_nations(person)) and sharing_policy.clears_all_of(
        person, nation
    )


def holds(person: Person, role: Role, nation: str) -> bool:
    return (role, nation) in _standing(person).roles


def may_create(person: Person, receiving_nation: str) -> bool:
    return holds(person, Role.ORDERING_OFFICIAL, receiving_nation)


def may_order(person: Person) -> bool:
    """The new-order page is for ordering officials (of the side that will receive)."""
    return any(role == Role.ORDERING_OFFICIAL for role, _nation in _standing(person).roles)


def awaiting_signature(person: Person) -> Q:
    """Orders waiting for this person's signature: drafts their side's ordering official
    requests, requests their side's approving official accepts (as next_steps offers)."""
    standing = _standing(person).roles
    ordering = [n for role, n in standing if role == Role.ORDERING_OFFICIAL]
    approving = [n for role, n in standing if role == Role.APPROVING_OFFICIAL]
    return Q(status=Order.Status.DRAFT, receiving_org__nation_id__in=ordering) | Q(
        status=Order.Status.REQUESTED, supplying_org__nation_id__in=approving
    )


def awaiting_receipt(person: Person, via: str = "") -> Q:
    """Deliveries whose receipt this person signs: their side's logistics officer, receiving."""
    receiving = [n for role, n in _standing(person).roles if role == Role.LOGISTICS_OFFICER]
    return Q(
        **{
            "receipt_signed_at__isnull": True,
            f"{via}receiving_org__nation_id__in": receiving,
        }
    )


def next_steps(order: Order, person: Person) -> list[tuple[str, str]]:
    """The page's step buttons this person may press now: (step, label)."""
    steps = [
        (
            Order.Status.DRAFT,
            "request",
            Role.ORDERING_OFFICIAL,
            order.receiving_org.nation_id,
            _("Request and sign"),
        ),
        (
            Order.Status.REQUESTED,
            "accept",
            Role.APPROVING_OFFICIAL,
            order.supplying_org.nation_id,
            _("Accept and sign"),
        ),
        (
            Order.Status.SETTLED,
            "close",
            Role.APPROVING_OFFICIAL,
            order.supplying_org.nation_id,
            _("Close"),
        ),
    ]
    return [
        (step, str(label))
        for status, step, role, nation, label in steps
        if order.status == status and holds(person, role, nation)
    ]


def may_net(person: Person) -> bool:
    """Offsets set both parties' balances against each other: their approving officials
    propose and approve them; auditors may look."""
    return _standing(person).auditor or any(
        holds(person, Role.APPROVING_OFFICIAL, nation) for nation in ("JPN", "USA")
    )


def delivery_powers(order: Order, person: Person) -> dict[str, bool]:
    """Which of the per-delivery forms the order page offers this person."""
    supplying, receiving = order.supplying_org.nation_id, order.receiving_org.nation_id
    return {
        "deliver": order.status == Order.Status.ACCEPTED
        and holds(person, Role.LOGISTICS_OFFICER, supplying),
        "receipt": holds(person, Role.LOGISTICS_OFFICER, receiving),
        "settle": holds(person, Role.APPROVING_OFFICIAL, receiving),
    }
