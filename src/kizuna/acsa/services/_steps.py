"""What every step of an order shares: the lock on the order's row and the version it names,
the check of its status and of the person's role, the advance that writes a step with its
audit event (and compares the amounts with the ledger in the same update), the ledger's
entries, the bounds of an entry and idempotent replay of a request made twice."""

from __future__ import annotations

import hashlib
import json
from decimal import Decimal
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import BigIntegerField, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.db.models.lookups import Exact
from django.utils.translation import gettext as _

from kizuna.core.audit import record_event
from kizuna.core.models import Person, Role

from .. import policy
from ..models import Delivery, Idempotent, LedgerEntry, LedgerOutOfBalance, Order

# Beyond these an entry is a typing slip, not an order.
MAX_QUANTITY = Decimal("1000000000")
MAX_UNIT_PRICE = Decimal("10000000000")

R = TypeVar("R", bound=Idempotent)


class Conflict(Exception):
    """Someone acted on the order first: the version the caller saw is stale."""


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


def _book(order: Order, delivery: Delivery, kind: str, amount: Decimal, actor: Person) -> None:
    LedgerEntry.objects.create(
        order=order,
        delivery=delivery,
        kind=kind,
        amount=amount,
        currency=order.currency,
        actor=actor,
    )
