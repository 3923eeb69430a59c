"""Settlement (決済): the rules, each with its source, and their steps: the receiving side
settles a delivery in currency, which counts at once, or in kind, a counter-delivery that
counts once the original supplier signs for it."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from kizuna.core import places
from kizuna.core.models import Person, Role

from ..models import Category, Delivery, LedgerEntry, Order, Settlement, money
from ._steps import (
    MAX_QUANTITY,
    MAX_UNIT_PRICE,
    _advance,
    _book,
    _digest,
    _lock,
    _replayed,
    _require,
    _within,
)

# A delivery is due for settlement this many months after the day it was delivered.
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
