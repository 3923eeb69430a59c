"""Deliveries against an order's lines: recorded by the supplying side with their source
documents and due for settlement twelve months on, and signed for by the receiving side
(with the claim-occurrence notice when a Japanese unit's provision is received)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kizuna.core import places
from kizuna.core.models import Person, Role

from ..models import ClaimNotice, Delivery, LedgerEntry, Order, OrderLine, SourceDocument, money
from ._steps import (
    MAX_QUANTITY,
    _advance,
    _book,
    _digest,
    _expect,
    _lock,
    _replayed,
    _require,
    _within,
)
from .settlements import SETTLEMENT_MONTHS

# Beyond this a source document is a wrong file, not a delivery note or a slip.
MAX_DOCUMENT_BYTES = 10 * 1024 * 1024


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
