"""An order's own steps: made as a draft (its lines checked, its marking and its number in
its series), requested and accepted with the eligibility checked again at each signature,
cancelled before anything is delivered, and closed once settled in full."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kizuna.core import bounds, formats, places
from kizuna.core.audit import record_event
from kizuna.core.models import Nation, Organization, Person, Role
from kizuna.sharing import policy as sharing_policy
from kizuna.sharing import services as sharing_services
from kizuna.sharing.marking import Marking
from kizuna.sharing.models import ClassificationLevel, MarkingSet

from .. import policy, rules
from ..models import Category, Order, OrderLine, OrderSeries, SituationType, money, series_code
from ._steps import (
    MAX_QUANTITY,
    MAX_UNIT_PRICE,
    _advance,
    _digest,
    _expect,
    _lock,
    _replayed,
    _require,
    _within,
)


@dataclass(frozen=True)
class LineInput:
    category: str
    description: str
    quantity: Decimal
    unit: str
    unit_price: Decimal
    delivery_place: str
    delivery_date: date


def _check_eligibility(order: Order, on: date, categories: list[str]) -> None:
    """Every line's category must be allowed, on this date, in the order's situation."""
    situation = rules.situation_type_for(order, on)
    problems = []
    for category in categories:
        answer = rules.check(situation, category, on, order.supplying_org.nation_id)
        if answer.allowed is not True:
            problems.append(" ".join(str(r) for r in answer.reasons))
    if problems:
        raise ValidationError({"eligibility": problems})


def _lock_to_sign(order: Order, version: int | None) -> list[str]:
    """Lock the order for a signature, reading its lines' categories in the same query."""
    return [row["lines__category__code"] for row in _lock(order, version, "lines__category__code")]


def _validate_line(
    line: LineInput, categories: dict[str, Category], situation_type: SituationType
) -> dict[str, str]:
    """What is wrong with a line, by its field."""
    errors: dict[str, str] = {}
    category = categories.get(line.category)
    if category is None:
        unknown = rules.UnknownCode(
            "category", line.category, rules.suggest(line.category, list(categories))
        )
        errors["category"] = " ".join(unknown.messages)
    elif category.prohibited:
        # Weapons: the engine's own reason, so every entry point says the same thing.
        errors["category"] = str(
            rules.check(situation_type, category, line.delivery_date).reasons[0]
        )
    if not _within(line.quantity, MAX_QUANTITY):
        errors["quantity"] = _("The quantity must be more than 0 and at most 1,000,000,000.")
    if not _within(line.unit_price, MAX_UNIT_PRICE):
        errors["unit_price"] = _("The unit price must be more than 0 and at most 10,000,000,000.")
    for name in ("description", "unit", "delivery_place"):
        if not str(getattr(line, name)).strip():
            errors[name] = _("Each line needs a description, a unit and a delivery place.")
    problem = bounds.moment_problem("delivery", line.delivery_date)
    if problem:
        errors["delivery_date"] = problem
    elif rules.version_on(line.delivery_date) is None:
        errors["delivery_date"] = _(
            "The delivery date is before any version of the agreement took effect."
        )
    return errors


def default_marking(
    *, supplying_org: Organization, receiving_org: Organization
) -> sharing_services.ResolvedMarking:
    """What an order is marked when its creator names nothing: the receiving (ordering)
    nation's lowest level, releasable to both parties' nations; read as rows at once, since
    it holds no code anyone typed."""
    level = (
        ClassificationLevel.objects.filter(nation=receiving_org.nation_id).order_by("rank").first()
    )
    if level is None:
        raise ValidationError(
            {
                "level": _("%(nation)s has no classification level: give the order a marking.")
                % {"nation": receiving_org.nation_id}
            }
        )
    parties = {receiving_org.nation_id, supplying_org.nation_id}
    return sharing_services.ResolvedMarking(
        level, list(Nation.objects.filter(code__in=parties)), [], []
    )


def _order_marking(
    resolved: sharing_services.ResolvedMarking, *, actor: Person, supplying_org: Organization
) -> MarkingSet:
    """The marking row of a new order: within the creator's clearance (sharing's check), and
    releasable to the supplying nation too, since both sides sign the order and must see it.
    A marking the creator named has passed `resolve_marking` (known codes, a level of the
    ordering nation, releasable to it)."""
    if supplying_org.nation_id not in {n.code for n in resolved.nations}:
        raise ValidationError(
            {
                "releasable_to": _(
                    "An order must be releasable to both parties' nations: both sign it."
                )
            }
        )
    sharing_services.require_within_reach(actor, resolved)
    return sharing_services.marking_set(resolved)


def _free_code(parties: str, marking_key: str) -> str:
    """The series' code: the shortest digest no other series holds (they seldom clash)."""
    for length in range(5, 53):
        code = series_code(parties, marking_key, length)
        if not OrderSeries.objects.filter(code=code).exists():
            return code
    raise RuntimeError(f"no free series code for {parties} {marking_key}")


def draw_numbers(
    marking: MarkingSet, supplying_org: Organization, receiving_org: Organization, count: int = 1
) -> tuple[OrderSeries, list[str]]:
    """The next `count` numbers of the series of orders between these parties under this
    marking, drawn under the series' row lock; a rolled back creation gives them back, so
    a series has no gaps at all. Call inside the transaction that creates the orders."""
    parties = "-".join(sorted({supplying_org.nation_id, receiving_org.nation_id}))
    series, _created = OrderSeries.objects.select_for_update().get_or_create(
        marking=marking,
        parties=parties,
        defaults={"code": lambda: _free_code(parties, marking.key)},
    )
    first = series.last_serial + 1
    OrderSeries.objects.filter(pk=series.pk).update(last_serial=series.last_serial + count)
    return series, [series.number(serial) for serial in range(first, first + count)]


@transaction.atomic
def order_create(
    *,
    actor: Person,
    supplying_org: Organization,
    receiving_org: Organization,
    situation_type: SituationType,
    legal_basis: str,
    currency: str,
    settlement_method: str,
    lines: list[LineInput],
    marking: Marking | None = None,
    idempotency_key: str = "",
) -> Order:
    """A draft order, made by the receiving side's ordering official, marked with `marking`
    or, when none is given, `default_marking`. The same idempotency key with the same content
    gives back the order it made; with other content it is refused."""
    digest = _digest(
        {
            "supplying_org": supplying_org.code,
            "receiving_org": receiving_org.code,
            "situation_type": situation_type.code,
            "legal_basis": legal_basis,
            "currency": currency,
            "settlement_method": settlement_method,
            "lines": [asdict(line) for line in lines],
            "marking": marking.as_json() if marking else None,
        }
    )
    earlier = _replayed(Order.objects.filter(created_by=actor), idempotency_key, digest)
    if earlier is not None:
        return earlier
    _require(actor, Role.ORDERING_OFFICIAL, receiving_org.nation_id)
    errors: dict[str, list[str]] = {}
    if supplying_org.nation_id == receiving_org.nation_id:
        errors["supplying_org"] = [
            _("The supplying and receiving units must be of different sides.")
        ]
    if not legal_basis.strip():
        errors["legal_basis"] = [_("Name the legal basis of the provision.")]
    if not formats.is_currency(currency):
        errors["currency"] = [_("Give the currency as an ISO 4217 code, e.g. JPY or USD.")]
    if settlement_method not in Order.SettlementMethod.values:
        errors["settlement_method"] = [_("Unknown settlement method.")]
    if not lines:
        errors["lines"] = [_("An order needs at least one line.")]
    categories = rules.categories()
    for index, line in enumerate(lines):
        for field, problem in _validate_line(line, categories, situation_type).items():
            errors[f"lines.{index}.{field}"] = [problem]
    if errors:
        raise ValidationError(errors)
    if sharing_policy.reach_of(actor) is None:
        raise PermissionDenied(_("Only a person holding a clearance may create an order."))
    resolved = (
        sharing_services.resolve_marking(marking, originator=receiving_org)
        if marking
        else default_marking(supplying_org=supplying_org, receiving_org=receiving_org)
    )
    marking_row = _order_marking(resolved, actor=actor, supplying_org=supplying_org)
    series, [number] = draw_numbers(marking_row, supplying_org, receiving_org)
    order = Order.objects.create(
        marking=marking_row,
        series=series,
        number=number,
        supplying_org=supplying_org,
        receiving_org=receiving_org,
        situation_type=situation_type,
        legal_basis=legal_basis.strip(),
        currency=currency,
        settlement_method=settlement_method,
        created_by=actor,
        idempotency_key=idempotency_key,
        request_digest=digest,
        amount_ordered=sum((money(line.quantity * line.unit_price) for line in lines), Decimal(0)),
    )
    OrderLine.objects.bulk_create(
        OrderLine(
            order=order,
            position=index,
            category=categories[line.category],
            description=line.description.strip(),
            quantity=line.quantity,
            unit=line.unit.strip(),
            unit_price=line.unit_price,
            delivery_place=line.delivery_place.strip(),
            delivery_date=line.delivery_date,
        )
        for index, line in enumerate(lines, 1)
    )
    record_event(
        actor=actor,
        action="acsa.order.create",
        obj=order,
        after={
            "digest": digest,
            "amount": order.amount_ordered,
            "currency": currency,
            "marking": Marking.of(order).as_json(),
        },
    )
    return order


@transaction.atomic
def order_request(*, order: Order, actor: Person, version: int | None = None) -> Order:
    """The receiving side's ordering official signs and sends the request."""
    categories = _lock_to_sign(order, version)
    _require(actor, Role.ORDERING_OFFICIAL, order.receiving_org.nation_id)
    _expect(order, Order.Status.DRAFT)
    _check_eligibility(order, places.today(), categories)
    return _advance(
        order,
        actor,
        "request",
        {
            "status": Order.Status.REQUESTED,
            "ordering_official": actor,
            "requested_at": timezone.now(),
        },
    )


@transaction.atomic
def order_accept(*, order: Order, actor: Person, version: int | None = None) -> Order:
    """The supplying side's approving official accepts and signs: the order now binds."""
    categories = _lock_to_sign(order, version)
    _require(actor, Role.APPROVING_OFFICIAL, order.supplying_org.nation_id)
    _expect(order, Order.Status.REQUESTED)
    _check_eligibility(order, places.today(), categories)
    return _advance(
        order,
        actor,
        "accept",
        {
            "status": Order.Status.ACCEPTED,
            "approving_official": actor,
            "accepted_at": timezone.now(),
        },
    )


@transaction.atomic
def order_cancel(*, order: Order, actor: Person, reason: str, version: int | None = None) -> Order:
    """Before anything is delivered, either signatory's side may withdraw."""
    _lock(order, version)
    if not (
        policy.holds(actor, Role.ORDERING_OFFICIAL, order.receiving_org.nation_id)
        or policy.holds(actor, Role.APPROVING_OFFICIAL, order.supplying_org.nation_id)
    ):
        raise PermissionDenied(
            _(
                "Only the receiving side's ordering official or the supplying side's "
                "approving official may cancel."
            )
        )
    _expect(order, Order.Status.DRAFT, Order.Status.REQUESTED, Order.Status.ACCEPTED)
    if order.amount_delivered:
        raise ValidationError({"status": _("Something was already delivered: settle it instead.")})
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the order is cancelled.")})
    return _advance(
        order,
        actor,
        "cancel",
        {
            "status": Order.Status.CANCELLED,
            "cancelled_at": timezone.now(),
            "cancel_reason": reason.strip(),
        },
    )


@transaction.atomic
def order_close(*, order: Order, actor: Person, version: int | None = None) -> Order:
    """The supplying side's approving official closes an order settled in full."""
    _lock(order, version)
    _require(actor, Role.APPROVING_OFFICIAL, order.supplying_org.nation_id)
    _expect(order, Order.Status.SETTLED)
    return _advance(
        order, actor, "close", {"status": Order.Status.CLOSED, "closed_at": timezone.now()}
    )


# The steps that take nothing but the order and its version, by the name pages and API use.
SIGNATURE_STEPS = {"request": order_request, "accept": order_accept, "close": order_close}
