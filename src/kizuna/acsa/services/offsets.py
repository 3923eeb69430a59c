"""Offsets (相殺): what each party owes the other in one currency, set off against each other,
proposed by one side's approving official and applied, as currency settlements of the
soonest-due deliveries on both sides, once the other side's approves."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from kizuna.core import places
from kizuna.core.audit import record_event
from kizuna.core.models import Person, Role

from .. import policy
from ..models import Delivery, Offset, Order, Settlement
from ._steps import _lock
from .settlements import _apply_settlement

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
