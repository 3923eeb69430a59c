"""An order walked through every step by the right people, and every step tried first by
each wrong one, who is refused and changes nothing."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from kizuna.acsa import services
from kizuna.acsa.models import ClaimNotice, LedgerEntry, Order, SituationType
from kizuna.core.models import AuditEvent

from .factories import Cast, fuel_line, make_cast

pytestmark = pytest.mark.django_db

DOC = [services.Document("delivery-note.pdf", b"%PDF fuel slip 1000 L")]


@pytest.fixture
def cast(make_person: Callable) -> Cast:
    return make_cast()


def _only(cast: Cast, allowed: object, step: Callable[[object], object]) -> object:
    """Everyone but `allowed` is refused and leaves the order as it was; then `allowed` acts."""
    for person in cast.everyone():
        if person == allowed:
            continue
        before = AuditEvent.objects.count()
        with pytest.raises((PermissionDenied, ValidationError)):
            step(person)
        assert AuditEvent.objects.count() == before
    return step(allowed)


def test_every_step_by_the_right_person_and_refused_to_every_wrong_one(cast: Cast) -> None:
    situation = SituationType.objects.get(code="warning-and-surveillance")
    order = _only(
        cast,
        cast.us_ordering,
        lambda p: services.order_create(
            actor=p,
            supplying_org=cast.jp_unit,
            receiving_org=cast.us_unit,
            situation_type=situation,
            legal_basis="SDF Act Art. 100-6",
            currency="JPY",
            settlement_method="currency",
            lines=[fuel_line()],
        ),
    )
    assert isinstance(order, Order)
    assert order.status == Order.Status.DRAFT
    _only(cast, cast.us_ordering, lambda p: services.order_request(order=order, actor=p))
    order.refresh_from_db()
    assert order.status == Order.Status.REQUESTED
    assert order.ordering_official == cast.us_ordering
    _only(cast, cast.jp_approving, lambda p: services.order_accept(order=order, actor=p))
    order.refresh_from_db()
    assert order.status == Order.Status.ACCEPTED
    assert order.approving_official == cast.jp_approving
    line = order.lines.get()
    today = timezone.localdate()
    first = _only(
        cast,
        cast.jp_logistics,
        lambda p: services.delivery_record(
            order=order,
            line=line,
            actor=p,
            quantity=Decimal("400"),
            delivered_on=today,
            documents=DOC,
        ),
    )
    second = services.delivery_record(
        order=order,
        line=line,
        actor=cast.jp_logistics,
        quantity=Decimal("600"),
        delivered_on=today,
        documents=DOC,
    )
    order.refresh_from_db()
    assert order.status == Order.Status.DELIVERED
    assert order.amount_delivered == Decimal("120000.00")
    assert first.documents.get().sha256 == hashlib.sha256(DOC[0].content).hexdigest()
    for delivery in (first, second):
        _only(
            cast,
            cast.us_logistics,
            lambda p, d=delivery: services.receipt_sign(order=order, delivery=d, actor=p),
        )
    order.refresh_from_db()
    assert order.status == Order.Status.RECEIVED
    assert ClaimNotice.objects.filter(delivery__line__order=order).count() == 2
    for delivery in (first, second):
        _only(
            cast,
            cast.us_approving,
            lambda p, d=delivery: services.settlement_record(
                order=order,
                delivery=d,
                actor=p,
                method="currency",
                amount=d.amount,
                currency="JPY",
                settled_on=today,
            ),
        )
    order.refresh_from_db()
    assert order.status == Order.Status.SETTLED
    assert order.outstanding == 0
    _only(cast, cast.jp_approving, lambda p: services.order_close(order=order, actor=p))
    order.refresh_from_db()
    assert order.status == Order.Status.CLOSED
    assert sum(e.amount for e in LedgerEntry.objects.filter(order=order)) == 0
    actions = list(
        AuditEvent.objects.filter(object_id=str(order.pk), object_type="acsa.order").values_list(
            "action", flat=True
        )
    )
    assert actions[:3] == ["acsa.order.create", "acsa.order.request", "acsa.order.accept"]
    assert actions[-1] == "acsa.order.close"


def test_cancellation_before_delivery_only_by_a_signatory_side(cast: Cast) -> None:
    situation = SituationType.objects.get(code="warning-and-surveillance")

    def new_order() -> Order:
        return services.order_create(
            actor=cast.us_ordering,
            supplying_org=cast.jp_unit,
            receiving_org=cast.us_unit,
            situation_type=situation,
            legal_basis="SDF Act Art. 100-6",
            currency="JPY",
            settlement_method="currency",
            lines=[fuel_line()],
        )

    order = new_order()
    services.order_request(order=order, actor=cast.us_ordering)
    for wrong in (cast.jp_ordering, cast.us_approving, cast.jp_logistics, cast.outsider):
        with pytest.raises(PermissionDenied):
            services.order_cancel(order=order, actor=wrong, reason="no")
    with pytest.raises(ValidationError):
        services.order_cancel(order=order, actor=cast.jp_approving, reason=" ")
    services.order_cancel(order=order, actor=cast.jp_approving, reason="訓練中止")
    order.refresh_from_db()
    assert order.status == Order.Status.CANCELLED

    delivered = new_order()
    services.order_request(order=delivered, actor=cast.us_ordering)
    services.order_accept(order=delivered, actor=cast.jp_approving)
    services.delivery_record(
        order=delivered,
        line=delivered.lines.get(),
        actor=cast.jp_logistics,
        quantity=Decimal(1),
        delivered_on=timezone.localdate(),
        documents=DOC,
    )
    with pytest.raises(ValidationError):
        services.order_cancel(order=delivered, actor=cast.us_ordering, reason="too late")
