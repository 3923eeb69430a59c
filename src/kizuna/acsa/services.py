"""Every write of the acsa app: one function per step of an order's life, keyword-only,
atomic, audited in the same transaction, each refusing the wrong person, the wrong side, the
wrong moment and a stale version."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from datetime import date
from decimal import Decimal
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import BigIntegerField, F, Q, QuerySet, Sum
from django.db.models.expressions import RawSQL
from django.db.models.lookups import Exact
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from kizuna.core import bounds, formats, places
from kizuna.core.audit import record_event
from kizuna.core.models import Nation, Organization, Person, Role
from kizuna.sharing import policy as sharing_policy
from kizuna.sharing import services as sharing_services
from kizuna.sharing.marking import Marking
from kizuna.sharing.models import ClassificationLevel, MarkingSet

from . import policy, rules
from .models import (
    Category,
    ClaimNotice,
    Delivery,
    Idempotent,
    LedgerEntry,
    LedgerOutOfBalance,
    Offset,
    Order,
    OrderLine,
    OrderSeries,
    Settlement,
    SituationType,
    SourceDocument,
    money,
    series_code,
)

# Beyond these an entry is a typing slip, not an order.
MAX_QUANTITY = Decimal("1000000000")
MAX_UNIT_PRICE = Decimal("10000000000")
MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
SETTLEMENT_MONTHS = 12
GOODS_METHODS: set[str] = {
    Order.SettlementMethod.CURRENCY,
    Order.SettlementMethod.SAME_GOODS,
    Order.SettlementMethod.EQUIVALENT_GOODS,
}
SERVICE_METHODS: set[str] = {
    Order.SettlementMethod.CURRENCY,
    Order.SettlementMethod.EQUAL_VALUE_SERVICES,
}
# Where the settlement rules above come from (docs/sources/README.md lists each source).
_AUDIT_REPORT = (
    "Board of Audit of Japan, 令和4年度決算検査報告 (Audit Report for Fiscal Year 2022, "
    "November 2023), finding on the settlement of provisions under the Japan–US ACSA"
)
_USC = "United States Code, 2018 edition"
SETTLEMENT_RULES = (
    (
        "deadline",
        gettext_noop("Settled within 12 months of the date of delivery."),
        f"{_AUDIT_REPORT} (引渡しの日から12か月以内); 10 U.S.C. § 2345 (liquidation of accrued "
        f"credits and liabilities), {_USC}",
    ),
    (
        "goods",
        gettext_noop(
            "Goods: return of the same goods, of goods of the same type, quality and quantity, "
            "or reimbursement in currency."
        ),
        f"{_AUDIT_REPORT} (同種・同等・同量, 通貨による償還); 10 U.S.C. § 2344 (methods of "
        f"payment: reimbursement, replacement in kind, exchange of equal value), {_USC}",
    ),
    (
        "services",
        gettext_noop(
            "Services: reimbursement in currency, or services of the same type and equal value."
        ),
        f"{_AUDIT_REPORT}; 10 U.S.C. § 2344 (methods of payment), {_USC}",
    ),
    (
        "offset",
        gettext_noop(
            "What each side owes the other may be set off (相殺), or paid into a designated "
            "account."
        ),
        f"{_AUDIT_REPORT} (相殺); 10 U.S.C. § 2345 (liquidation of accrued credits and "
        f"liabilities), {_USC}",
    ),
)


R = TypeVar("R", bound=Idempotent)


class Conflict(Exception):
    """Someone acted on the order first: the version the caller saw is stale."""


@dataclass(frozen=True)
class LineInput:
    category: str
    description: str
    quantity: Decimal
    unit: str
    unit_price: Decimal
    delivery_place: str
    delivery_date: date


@dataclass(frozen=True)
class Document:
    name: str
    content: bytes


def add_months(day: date, months: int) -> date:
    """The same day `months` later, or the month's last day when it has no such day."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=candidate)
        except ValueError:
            continue
    raise ValueError(day)


def _within(value: Decimal, upper: Decimal) -> bool:
    """More than zero and at most `upper`; NaN and infinities are neither."""
    return value.is_finite() and Decimal(0) < value <= upper


def _require(person: Person, role: Role, nation: str) -> None:
    if not policy.holds(person, role, nation):
        raise PermissionDenied(
            _("Only the %(role)s of the %(nation)s side may take this step.")
            % {"role": role.label, "nation": nation}
        )


# What the steps decide on: read again, under the lock, at every step. The rest is fixed
# when the order is made (parties, situation, currency, marking, lines) or only written by
# the step that sets it.
_STEP_FIELDS = ("status", "version", "amount_delivered", "amount_settled", "accepted_at")


def _lock(order: Order, version: int | None, *also: str) -> list[dict[str, Any]]:
    """Lock the order's row and bring what the steps decide on up to date on the caller's
    object; the rest is taken from the object the caller holds (its selector loaded the
    parties and situation with it) rather than read again. `also` reads more through the
    same query, one row per related row (e.g. each line's category)."""
    rows = list(
        Order.objects.select_for_update(of=("self",))
        .filter(pk=order.pk)
        .values(*_STEP_FIELDS, *also)
    )
    if not rows:
        raise Order.DoesNotExist
    state = rows[0]
    if version is not None and state["version"] != version:
        raise Conflict(
            _("Someone else changed this order first (version %(now)s, you saw %(seen)s).")
            % {"now": state["version"], "seen": version}
        )
    for name in _STEP_FIELDS:
        setattr(order, name, state[name])
    return rows


def _expect(order: Order, *statuses: str) -> None:
    if order.status not in statuses:
        raise ValidationError(
            {
                "status": _("This step is not possible while the order is “%(status)s”.")
                % {"status": order.get_status_display()}
            }
        )


def _advance(order: Order, actor: Person, action: str, fields: dict[str, Any]) -> Order:
    """Write a step's changes and its audit event. An update that changes the amounts also
    compares them with the order's ledger in the same statement (`_ledger_matches`): an
    amount changed without its entries is refused as `Order.save()` refuses it."""
    before = {"status": order.status, "version": order.version}
    fields = {**fields, "version": order.version + 1}
    rows = Order.objects.filter(pk=order.pk)
    if {"amount_delivered", "amount_settled"} & fields.keys():
        delivered = fields.get("amount_delivered", order.amount_delivered)
        settled = fields.get("amount_settled", order.amount_settled)
        rows = rows.filter(_ledger_matches(delivered - settled))
    if rows.update(**fields) != 1:
        raise LedgerOutOfBalance(f"order {order.pk}: its ledger does not match its amounts")
    for name, value in fields.items():
        setattr(order, name, value)
    record_event(
        actor=actor,
        action=f"acsa.order.{action}",
        obj=order,
        before=before,
        after={"status": order.status, **_ids(fields)},
    )
    return order


# The sum of an order's ledger in cents (SQLite sums decimals in floating point), for the
# update of the order itself. Written as SQL: built from expressions, the subquery cost
# Django five times as long to compile as the rest of the update.
_BOOKED_CENTS = (
    "(SELECT ROUND(COALESCE(SUM(amount), 0) * 100) FROM acsa_ledgerentry"
    " WHERE order_id = acsa_order.id)"
)


def _ledger_matches(outstanding: Decimal) -> Q:
    """The order's ledger sums to `outstanding`."""
    booked = RawSQL(_BOOKED_CENTS, (), output_field=BigIntegerField())  # noqa: S611 - no input
    return Q(Exact(booked, int(outstanding * 100)))


def _ids(values: dict[str, Any]) -> dict[str, Any]:
    return {k: getattr(v, "pk", v) for k, v in values.items()}


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


def _digest(payload: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


def _replayed(mine: QuerySet[R], key: str, digest: str) -> R | None:
    """The record this person already made with this key, if the content is the same."""
    if not key:
        return None
    earlier = mine.filter(idempotency_key=key).first()
    if earlier is not None and earlier.request_digest != digest:
        raise ValidationError(
            {"idempotency_key": _("This idempotency key was already used for a different request.")}
        )
    return earlier


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


def _book(order: Order, delivery: Delivery, kind: str, amount: Decimal, actor: Person) -> None:
    LedgerEntry.objects.create(
        order=order,
        delivery=delivery,
        kind=kind,
        amount=amount,
        currency=order.currency,
        actor=actor,
    )


@transaction.atomic
def delivery_record(
    *,
    order: Order,
    line: OrderLine,
    actor: Person,
    quantity: Decimal,
    delivered_on: date,
    documents: list[Document],
    version: int | None = None,
    idempotency_key: str = "",
) -> Delivery:
    """The supplying side's logistics officer records a delivery with its source documents."""
    digest = _digest(
        {
            "line": line.pk,
            "quantity": quantity,
            "delivered_on": delivered_on,
            "documents": [hashlib.sha256(d.content).hexdigest() for d in documents],
        }
    )
    earlier = _replayed(
        Delivery.objects.filter(recorded_by=actor, line__order=order), idempotency_key, digest
    )
    if earlier is not None:
        return earlier
    # The lines' quantities come with the lock: their changes all happen under it.
    remaining = {
        row["lines__id"]: row["lines__quantity"] - row["lines__quantity_delivered"]
        for row in _lock(
            order, version, "lines__id", "lines__quantity", "lines__quantity_delivered"
        )
    }
    _require(actor, Role.LOGISTICS_OFFICER, order.supplying_org.nation_id)
    _expect(order, Order.Status.ACCEPTED)
    if line.pk not in remaining:
        raise OrderLine.DoesNotExist
    line.quantity_delivered = line.quantity - remaining.pop(line.pk)
    errors: dict[str, str] = {}
    if not _within(quantity, MAX_QUANTITY):
        errors["quantity"] = _("The quantity delivered must be more than 0.")
    elif quantity > line.quantity_remaining:
        errors["quantity"] = _("Only %(left)s %(unit)s remain to be delivered on this line.") % {
            "left": line.quantity_remaining,
            "unit": line.unit,
        }
    if order.accepted_at and delivered_on < places.date_of(order.accepted_at):
        errors["delivered_on"] = _("A delivery cannot precede the order's acceptance.")
    if delivered_on > places.today():
        errors["delivered_on"] = _("A delivery cannot be recorded before it happens.")
    if not documents:
        errors["documents"] = _("Attach the source documents of the delivery.")
    elif any(not d.content or len(d.content) > MAX_DOCUMENT_BYTES for d in documents):
        errors["documents"] = _("Each document must hold between 1 byte and 10 MB.")
    if errors:
        raise ValidationError(errors)
    # What the line is worth delivered up to now less what it was worth before: rounded one
    # delivery at a time, a line's deliveries could add up to more than the line (and the
    # order's amounts would break their constraint); this way they add up to it exactly.
    before = line.quantity_delivered
    amount = money((before + quantity) * line.unit_price) - money(before * line.unit_price)
    delivery = Delivery.objects.create(
        line=line,
        quantity=quantity,
        amount=amount,
        delivered_on=delivered_on,
        due_on=add_months(delivered_on, SETTLEMENT_MONTHS),
        recorded_by=actor,
        idempotency_key=idempotency_key,
        request_digest=digest,
    )
    SourceDocument.objects.bulk_create(
        SourceDocument(
            delivery=delivery,
            name=d.name[:200] or "document",
            content=d.content,
            sha256=hashlib.sha256(d.content).hexdigest(),
            size=len(d.content),
        )
        for d in documents
    )
    # Added here under the order's lock, not as F() + quantity: SQLite would add in floating
    # point.
    line.quantity_delivered = line.quantity_delivered + quantity
    OrderLine.objects.filter(pk=line.pk).update(quantity_delivered=line.quantity_delivered)
    _book(order, delivery, LedgerEntry.Kind.DELIVERY, amount, actor)
    fully = line.quantity_remaining <= 0 and not any(left > 0 for left in remaining.values())
    _advance(
        order,
        actor,
        "deliver",
        {
            "amount_delivered": order.amount_delivered + amount,
            "status": Order.Status.DELIVERED if fully else order.status,
        },
    )
    return delivery


@transaction.atomic
def receipt_sign(
    *, order: Order, delivery: Delivery, actor: Person, version: int | None = None
) -> Delivery:
    """The receiving side's logistics officer signs for a delivery. When a Japanese unit's
    provision is received, the claim-occurrence notice is issued in the same step."""
    # The order's deliveries, and which are unsigned, come with the lock: every receipt is
    # signed under it.
    signed = "lines__deliveries__receipt_signed_at"
    unsigned = {
        row["lines__deliveries__id"]: row[signed] is None
        for row in _lock(order, version, "lines__deliveries__id", signed)
        if row["lines__deliveries__id"] is not None
    }
    _require(actor, Role.LOGISTICS_OFFICER, order.receiving_org.nation_id)
    if delivery.pk not in unsigned:
        raise Delivery.DoesNotExist
    if not unsigned.pop(delivery.pk):
        raise ValidationError({"delivery": _("This delivery's receipt is already signed.")})
    # Its amount and due date never change: the notice takes them from the caller's delivery.
    now = timezone.now()
    Delivery.objects.filter(pk=delivery.pk).update(receipt_signed_by=actor, receipt_signed_at=now)
    delivery.receipt_signed_by, delivery.receipt_signed_at = actor, now
    if order.supplying_org.nation_id == "JPN":
        ClaimNotice.objects.create(
            delivery=delivery,
            amount=delivery.amount,
            currency=order.currency,
            due_on=delivery.due_on,
        )
    all_received = order.status == Order.Status.DELIVERED and not any(unsigned.values())
    _advance(
        order,
        actor,
        "receipt",
        {"status": Order.Status.RECEIVED if all_received else order.status},
    )
    return delivery


@transaction.atomic
def settlement_record(
    *,
    order: Order,
    delivery: Delivery,
    actor: Person,
    method: str,
    amount: Decimal,
    currency: str,
    settled_on: date,
    quantity: Decimal | None = None,
    version: int | None = None,
    idempotency_key: str = "",
) -> Settlement:
    """The receiving side's approving official settles (part of) a delivery. In currency it
    counts at once; in kind it is a counter-delivery counting once its receipt is signed."""
    digest = _digest(
        {
            "delivery": delivery.pk,
            "method": method,
            "amount": amount,
            "currency": currency,
            "settled_on": settled_on,
            "quantity": quantity,
        }
    )
    earlier = _replayed(
        Settlement.objects.filter(recorded_by=actor, delivery__line__order=order),
        idempotency_key,
        digest,
    )
    if earlier is not None:
        return earlier
    kinds = {
        row["lines__id"]: row["lines__category__kind"]
        for row in _lock(order, version, "lines__id", "lines__category__kind")
    }
    _require(actor, Role.APPROVING_OFFICIAL, order.receiving_org.nation_id)
    if delivery.line_id not in kinds:
        raise Delivery.DoesNotExist
    # What settlements and receipts change, read again (every change of a delivery is made
    # under its order's lock), with the counter-deliveries not yet signed for, which already
    # speak for part of what is owed. The rest of the delivery never changes.
    in_kind_unsigned = Q(settlements__receipt_signed_at__isnull=True) & ~Q(
        settlements__method=Order.SettlementMethod.CURRENCY
    )
    state = (
        Delivery.objects.filter(pk=delivery.pk)
        .values("amount_settled", "receipt_signed_at")
        .annotate(pending=Sum("settlements__amount", filter=in_kind_unsigned))
        .get()
    )
    pending = money(Decimal(state["pending"] or 0))
    delivery.amount_settled = state["amount_settled"]
    delivery.receipt_signed_at = state["receipt_signed_at"]
    errors: dict[str, str] = {}
    if delivery.receipt_signed_at is None:
        errors["delivery"] = _("Sign the delivery's receipt before settling it.")
    kind = kinds[delivery.line_id]
    allowed_methods: set[str] = {
        Category.Kind.GOODS.value: GOODS_METHODS,
        Category.Kind.SERVICES.value: SERVICE_METHODS,
    }.get(kind, GOODS_METHODS | SERVICE_METHODS)
    if method not in allowed_methods:
        errors["method"] = (
            _("Goods are settled by return of goods or in currency, never with a service.")
            if kind == Category.Kind.GOODS
            else _(
                "Services are settled in currency or by services of the same type and equal value."
            )
        )
    if currency != order.currency:
        errors["currency"] = _("Settle in the order's currency, %(currency)s.") % {
            "currency": order.currency
        }
    if not _within(amount, MAX_QUANTITY * MAX_UNIT_PRICE):
        errors["amount"] = _("The amount settled must be more than 0.")
    elif amount > delivery.outstanding - pending:
        errors["amount"] = _("Only %(owed)s %(currency)s is owed on this delivery.") % {
            "owed": delivery.outstanding - pending,
            "currency": order.currency,
        }
    returns_goods = method in (
        Order.SettlementMethod.SAME_GOODS,
        Order.SettlementMethod.EQUIVALENT_GOODS,
    )
    if returns_goods and (quantity is None or not _within(quantity, delivery.quantity)):
        errors["quantity"] = _("Give the quantity returned, at most what was delivered.")
    if settled_on < delivery.delivered_on or settled_on > places.today():
        errors["settled_on"] = _("A settlement falls between the delivery and today.")
    if errors:
        raise ValidationError(errors)
    settlement = Settlement.objects.create(
        delivery=delivery,
        method=method,
        amount=amount,
        quantity=quantity,
        settled_on=settled_on,
        recorded_by=actor,
        idempotency_key=idempotency_key,
        request_digest=digest,
    )
    if not settlement.in_kind:
        _apply_settlement(order, delivery, settlement, actor)
    else:
        _advance(order, actor, "settlement.counter_delivery", {})
    return settlement


@transaction.atomic
def counter_receipt_sign(
    *, order: Order, settlement: Settlement, actor: Person, version: int | None = None
) -> Settlement:
    """The original supplier's logistics officer signs for goods or services returned."""
    _lock(order, version)
    _require(actor, Role.LOGISTICS_OFFICER, order.supplying_org.nation_id)
    settlement = Settlement.objects.select_for_update().get(
        pk=settlement.pk, delivery__line__order=order
    )
    if not settlement.in_kind or settlement.receipt_signed_at:
        raise ValidationError({"settlement": _("Nothing here waits for a receipt.")})
    settlement.receipt_signed_by = actor
    settlement.receipt_signed_at = timezone.now()
    settlement.save(update_fields=["receipt_signed_by", "receipt_signed_at"])
    delivery = Delivery.objects.select_for_update().get(pk=settlement.delivery_id)
    _apply_settlement(order, delivery, settlement, actor)
    return settlement


def _apply_settlement(
    order: Order, delivery: Delivery, settlement: Settlement, actor: Person
) -> None:
    delivery.amount_settled += settlement.amount
    Delivery.objects.filter(pk=delivery.pk).update(amount_settled=delivery.amount_settled)
    _book(order, delivery, LedgerEntry.Kind.SETTLEMENT, -settlement.amount, actor)
    settled = order.amount_settled + settlement.amount
    everything = order.status == Order.Status.RECEIVED and settled == order.amount_delivered
    _advance(
        order,
        actor,
        "settle",
        {"amount_settled": settled, "status": Order.Status.SETTLED if everything else order.status},
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


# Offsets (相殺) are between the two parties of the agreement.
PARTIES = ("JPN", "USA")


def _offsettable(
    currency: str, creditor: str, *people: Person, lock: bool = True
) -> list[Delivery]:
    """Signed-for deliveries still owed to `creditor` in `currency`, the soonest due first,
    on orders every one of `people` may see: nobody sets off what they cannot see."""
    deliveries = Delivery.objects.select_for_update() if lock else Delivery.objects.all()
    for person in people:
        deliveries = deliveries.filter(policy.order_filter(person, via="line__order__"))
    return list(
        deliveries.filter(
            line__order__currency=currency,
            line__order__supplying_org__nation_id=creditor,
            receipt_signed_at__isnull=False,
            amount_settled__lt=F("amount"),
        ).order_by("due_on", "id")
    )


def offsettable_amounts(currency: str, person: Person, *, lock: bool = False) -> dict[str, Decimal]:
    """What each party is owed in this currency, over deliveries that may be offset, on the
    orders `person` may see."""
    return {
        creditor: sum(
            (d.outstanding for d in _offsettable(currency, creditor, person, lock=lock)),
            Decimal(0),
        )
        for creditor in PARTIES
    }


def _approving_side(actor: Person) -> str:
    sides = [n for n in PARTIES if policy.holds(actor, Role.APPROVING_OFFICIAL, n)]
    if not sides:
        raise PermissionDenied(_("Only an approving official of either party may do this."))
    return sides[0]


@transaction.atomic
def offset_propose(*, actor: Person, currency: str) -> Offset:
    """One side's approving official proposes setting off what each side owes the other in
    one currency: the smaller of the two amounts. The proposer's approval is recorded."""
    side = _approving_side(actor)
    amount = min(offsettable_amounts(currency, actor, lock=True).values())
    if amount <= 0:
        raise ValidationError({"currency": _("Nothing is owed both ways in this currency.")})
    offset = Offset.objects.create(
        currency=currency,
        amount=amount,
        proposed_by=actor,
        approved_by_japan=actor if side == "JPN" else None,
        approved_by_us=actor if side == "USA" else None,
    )
    record_event(
        actor=actor,
        action="acsa.offset.propose",
        obj=offset,
        after={"currency": currency, "amount": amount, "side": side},
    )
    return offset


@transaction.atomic
def offset_approve(*, actor: Person, offset: Offset) -> Offset:
    """The other side's approving official approves; the offset is then applied as currency
    settlements of the soonest-due deliveries on both sides."""
    offset = Offset.objects.select_for_update().get(pk=offset.pk)
    side = _approving_side(actor)
    if offset.applied_at:
        raise ValidationError({"offset": _("This offset is already applied.")})
    field = "approved_by_japan" if side == "JPN" else "approved_by_us"
    if getattr(offset, field) is not None:
        raise ValidationError({"offset": _("The other party's approving official must approve.")})
    setattr(offset, field, actor)
    offset.applied_at = timezone.now()
    offset.save(update_fields=[field, "applied_at"])
    for creditor in PARTIES:
        remaining = offset.amount
        for delivery in _offsettable(offset.currency, creditor, offset.proposed_by, actor):
            take = min(remaining, delivery.outstanding)
            order = Order.objects.get(pk=delivery.line.order_id)
            _lock(order, None)
            settlement = Settlement.objects.create(
                delivery=delivery,
                method=Order.SettlementMethod.CURRENCY,
                amount=take,
                settled_on=places.today(),
                recorded_by=actor,
                offset=offset,
            )
            _apply_settlement(order, delivery, settlement, actor)
            remaining -= take
            if not remaining:
                break
        if remaining:
            raise ValidationError(
                {"offset": _("The balances changed since the proposal: propose it again.")}
            )
    record_event(
        actor=actor,
        action="acsa.offset.apply",
        obj=offset,
        after={"currency": offset.currency, "amount": offset.amount},
    )
    return offset


# The steps that take nothing but the order and its version, by the name pages and API use.
SIGNATURE_STEPS = {"request": order_request, "accept": order_accept, "close": order_close}
