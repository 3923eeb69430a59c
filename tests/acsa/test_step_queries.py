"""Each lifecycle step runs a pinned number of queries, so the services' work per step cannot
grow unseen; and the ledger check that rides on the order's update still refuses an order
whose amounts and ledger disagree."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from kizuna.acsa import services
from kizuna.acsa.models import (
    Delivery,
    LedgerEntry,
    LedgerOutOfBalance,
    Order,
    OrderLine,
    SituationType,
)
from kizuna.core.models import AuditEvent, Person

from .factories import Cast, deliver, draft, fuel_line, make_cast

pytestmark = pytest.mark.django_db

# Queries per step with the people's roles and clearance already read (once per request),
# counting the savepoint and its release. PostgreSQL adds the audit chain's advisory lock.
STEPS = {"create": 11, "request": 7, "accept": 7, "deliver": 10, "receive": 8, "settle": 10}


def _lifecycle(cast: Cast, counted: Callable[[str], object]) -> None:
    situation = SituationType.objects.get(code="warning-and-surveillance")
    with counted("create"):  # type: ignore[attr-defined]
        order = services.order_create(
            actor=cast.us_ordering,
            supplying_org=cast.jp_unit,
            receiving_org=cast.us_unit,
            situation_type=situation,
            legal_basis="SDF Act Art. 100-6",
            currency="JPY",
            settlement_method=Order.SettlementMethod.CURRENCY,
            lines=[fuel_line()],
        )
    with counted("request"):  # type: ignore[attr-defined]
        services.order_request(order=order, actor=cast.us_ordering)
    with counted("accept"):  # type: ignore[attr-defined]
        services.order_accept(order=order, actor=cast.jp_approving)
    line = order.lines.get()
    with counted("deliver"):  # type: ignore[attr-defined]
        delivery = services.delivery_record(
            order=order,
            line=line,
            actor=cast.jp_logistics,
            quantity=Decimal(1000),
            delivered_on=timezone.localdate(),
            documents=[services.Document("slip.pdf", b"%PDF slip")],
        )
    with counted("receive"):  # type: ignore[attr-defined]
        services.receipt_sign(order=order, delivery=delivery, actor=cast.us_logistics)
    with counted("settle"):  # type: ignore[attr-defined]
        services.settlement_record(
            order=order,
            delivery=delivery,
            actor=cast.us_approving,
            method=Order.SettlementMethod.CURRENCY,
            amount=delivery.amount,
            currency="JPY",
            settled_on=timezone.localdate(),
        )
    order.refresh_from_db()
    assert order.status == Order.Status.SETTLED


def test_each_step_runs_a_pinned_number_of_queries(
    django_assert_max_num_queries: Callable,
) -> None:
    cast = make_cast()
    people: list[Person] = cast.everyone()
    for person in people:  # as a request loads the signed-in person
        person.membership_rows()
    _lifecycle(cast, lambda step: _NoCount())  # reads roles and clearances once
    chain_lock = 1 if connection.vendor == "postgresql" else 0
    _lifecycle(cast, lambda step: django_assert_max_num_queries(STEPS[step] + chain_lock))


class _NoCount:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


def test_a_step_that_changes_the_amounts_refuses_a_ledger_out_of_step() -> None:
    cast = make_cast()
    order = draft(cast)
    services.order_request(order=order, actor=cast.us_ordering)
    services.order_accept(order=order, actor=cast.jp_approving)
    first = deliver(cast, order, "10")
    # An entry booked without its amount: the next delivery must not write on top of it.
    LedgerEntry.objects.create(
        order=order, delivery=first, kind=LedgerEntry.Kind.CORRECTION, amount=1, currency="JPY"
    )
    before = (
        AuditEvent.objects.count(),
        Delivery.objects.count(),
        OrderLine.objects.get(order=order).quantity_delivered,
    )
    with pytest.raises(LedgerOutOfBalance):
        deliver(cast, order, "10")
    order.refresh_from_db()
    assert order.amount_delivered == first.amount
    assert before == (
        AuditEvent.objects.count(),
        Delivery.objects.count(),
        OrderLine.objects.get(order=order).quantity_delivered,
    )


def test_a_line_or_delivery_of_another_order_is_refused_with_nothing_written() -> None:
    """The steps check that the line or delivery they are given is the order's own, through
    the lines read with the order's lock."""
    cast = make_cast()
    order, other = draft(cast), draft(cast)
    for each in (order, other):
        services.order_request(order=each, actor=cast.us_ordering)
        services.order_accept(order=each, actor=cast.jp_approving)
    foreign = deliver(cast, other, "10")
    before = (AuditEvent.objects.count(), Delivery.objects.count())
    with pytest.raises(OrderLine.DoesNotExist):
        services.delivery_record(
            order=order,
            line=other.lines.get(),
            actor=cast.jp_logistics,
            quantity=Decimal(1),
            delivered_on=timezone.localdate(),
            documents=[services.Document("slip.pdf", b"%PDF")],
        )
    with pytest.raises(Delivery.DoesNotExist):
        services.receipt_sign(order=order, delivery=foreign, actor=cast.us_logistics)
    foreign.refresh_from_db()
    assert foreign.receipt_signed_at is None
    services.receipt_sign(order=other, delivery=foreign, actor=cast.us_logistics)
    with pytest.raises(Delivery.DoesNotExist):
        services.settlement_record(
            order=order,
            delivery=foreign,
            actor=cast.us_approving,
            method=Order.SettlementMethod.CURRENCY,
            amount=Decimal(1),
            currency="JPY",
            settled_on=timezone.localdate(),
        )
    assert (AuditEvent.objects.count() - 1, Delivery.objects.count()) == before
