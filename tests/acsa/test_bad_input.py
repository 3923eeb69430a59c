"""Bad input gets a clear error in the person's language and changes nothing."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation

from kizuna.acsa import services
from kizuna.acsa.models import Delivery, LedgerEntry, LedgerOutOfBalance, Order, Settlement
from kizuna.core.models import AuditEvent

from .factories import Cast, accepted, deliver, draft, fuel_line, make_cast

pytestmark = pytest.mark.django_db

DOC = [services.Document("slip.pdf", b"%PDF slip")]


@pytest.fixture
def cast() -> Cast:
    return make_cast()


def _unchanged(call: object) -> ValidationError:
    """The call is refused with a ValidationError, and no order, delivery, settlement, ledger
    entry or audit event appears."""
    models = (Order, Delivery, Settlement, LedgerEntry, AuditEvent)
    before = [m.objects.count() for m in models]
    with pytest.raises(ValidationError) as caught, transaction.atomic():
        call()  # type: ignore[operator]
    assert [m.objects.count() for m in models] == before
    return caught.value


@pytest.mark.parametrize(
    ("change", "field_text"),
    [
        ({"quantity": Decimal(0)}, "quantity"),
        ({"quantity": Decimal(-5)}, "quantity"),
        ({"quantity": Decimal("100000000000")}, "quantity"),
        ({"quantity": Decimal("NaN")}, "quantity"),
        ({"unit_price": Decimal("Infinity")}, "unit price"),
        ({"unit_price": Decimal(0)}, "unit price"),
        ({"unit_price": Decimal(-1)}, "unit price"),
        ({"unit_price": Decimal("99999999999")}, "unit price"),
        ({"category": "weapons"}, "never"),
        ({"category": "petrol"}, "petroleum"),
        ({"delivery_date": date(1995, 1, 1)}, "before"),
        ({"description": "  "}, "description"),
    ],
)
def test_bad_lines_are_refused_with_the_reason(cast: Cast, change: dict, field_text: str) -> None:
    line = replace(fuel_line(), **change)
    with translation.override("en"):
        error = _unchanged(lambda: draft(cast, line))
    assert field_text in " ".join(error.messages)


def test_weapons_are_refused_in_japanese_too(cast: Cast) -> None:
    with translation.override("ja"):
        error = _unchanged(lambda: draft(cast, replace(fuel_line(), category="weapons")))
    assert "武器" in " ".join(error.messages)


def test_a_currency_that_is_not_iso_4217_is_refused(cast: Cast) -> None:
    error = _unchanged(
        lambda: services.order_create(
            actor=cast.us_ordering,
            supplying_org=cast.jp_unit,
            receiving_org=cast.us_unit,
            situation_type=draft(cast).situation_type,
            legal_basis="x",
            currency="yen",
            settlement_method="currency",
            lines=[fuel_line()],
        )
    )
    assert "currency" in error.message_dict


def test_the_wrong_side_cannot_create_an_order(cast: Cast) -> None:
    situation = draft(cast).situation_type
    with pytest.raises(PermissionDenied):
        services.order_create(
            actor=cast.jp_ordering,
            supplying_org=cast.jp_unit,
            receiving_org=cast.us_unit,
            situation_type=situation,
            legal_basis="x",
            currency="JPY",
            settlement_method="currency",
            lines=[fuel_line()],
        )


def test_an_ineligible_situation_is_refused_on_request(cast: Cast) -> None:
    order = draft(
        cast, replace(fuel_line(), category="ammunition"), situation="areas-surrounding-japan"
    )
    error = _unchanged(lambda: services.order_request(order=order, actor=cast.us_ordering))
    assert "eligibility" in error.message_dict


def test_the_same_idempotency_key_makes_one_order_and_refuses_another_body(cast: Cast) -> None:
    first = draft(cast, key="k-1")
    again = draft(cast, key="k-1")
    assert again.pk == first.pk
    assert Order.objects.count() == 1
    error = _unchanged(lambda: draft(cast, fuel_line(quantity="2000"), key="k-1"))
    assert "idempotency_key" in error.message_dict


def test_a_stale_version_is_a_conflict(cast: Cast) -> None:
    order = draft(cast)
    services.order_request(order=order, actor=cast.us_ordering, version=1)
    with pytest.raises(services.Conflict):
        services.order_accept(order=order, actor=cast.jp_approving, version=1)
    order.refresh_from_db()
    assert order.status == Order.Status.REQUESTED


@pytest.fixture
def delivered(cast: Cast) -> tuple[Order, Delivery]:
    order = accepted(cast, fuel_line(quantity="100", price="10"))
    delivery = deliver(cast, order, "60")
    services.receipt_sign(order=order, delivery=delivery, actor=cast.us_logistics)
    return order, delivery


def test_over_delivery_is_refused(cast: Cast, delivered: tuple[Order, Delivery]) -> None:
    order, _ = delivered
    error = _unchanged(
        lambda: services.delivery_record(
            order=order,
            line=order.lines.get(),
            actor=cast.jp_logistics,
            quantity=Decimal(41),
            delivered_on=timezone.localdate(),
            documents=DOC,
        )
    )
    assert "quantity" in error.message_dict


def test_a_delivery_without_documents_is_refused(
    cast: Cast, delivered: tuple[Order, Delivery]
) -> None:
    order, _ = delivered
    error = _unchanged(
        lambda: services.delivery_record(
            order=order,
            line=order.lines.get(),
            actor=cast.jp_logistics,
            quantity=Decimal(1),
            delivered_on=timezone.localdate(),
            documents=[],
        )
    )
    assert "documents" in error.message_dict


def _settle(cast: Cast, order: Order, delivery: Delivery, **overrides: object) -> Settlement:
    values: dict = {
        "method": "currency",
        "amount": delivery.amount,
        "currency": "JPY",
        "settled_on": timezone.localdate(),
    }
    values.update(overrides)
    return services.settlement_record(
        order=order, delivery=delivery, actor=cast.us_approving, **values
    )


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"amount": Decimal("600.01")}, "amount"),
        ({"amount": Decimal(0)}, "amount"),
        ({"amount": Decimal("NaN")}, "amount"),
        ({"currency": "USD"}, "currency"),
        ({"method": "equal_value_services"}, "method"),
        ({"method": "same_goods", "quantity": None}, "quantity"),
        ({"settled_on": timezone.localdate() + timedelta(days=1)}, "settled_on"),
    ],
)
def test_bad_settlements_are_refused(
    cast: Cast, delivered: tuple[Order, Delivery], overrides: dict, field: str
) -> None:
    order, delivery = delivered
    error = _unchanged(lambda: _settle(cast, order, delivery, **overrides))
    assert field in error.message_dict


def test_settling_twice_cannot_exceed_what_is_owed(
    cast: Cast, delivered: tuple[Order, Delivery]
) -> None:
    order, delivery = delivered
    _settle(cast, order, delivery, amount=Decimal(500))
    delivery.refresh_from_db()
    error = _unchanged(lambda: _settle(cast, order, delivery, amount=Decimal("100.01")))
    assert "amount" in error.message_dict


def test_the_wrong_side_cannot_settle(cast: Cast, delivered: tuple[Order, Delivery]) -> None:
    order, delivery = delivered
    with pytest.raises(PermissionDenied):
        services.settlement_record(
            order=order,
            delivery=delivery,
            actor=cast.jp_approving,
            method="currency",
            amount=Decimal(1),
            currency="JPY",
            settled_on=timezone.localdate(),
        )


def test_an_amount_changed_without_its_ledger_entry_fails_loudly(
    delivered: tuple[Order, Delivery],
) -> None:
    order, _ = delivered
    order.refresh_from_db()
    order.amount_delivered += Decimal(1)
    with pytest.raises(LedgerOutOfBalance), transaction.atomic():
        order.save()
    entry = LedgerEntry.objects.filter(order=order).first()
    assert entry is not None
    with pytest.raises(LedgerOutOfBalance):
        entry.save()
    with pytest.raises(LedgerOutOfBalance):
        entry.delete()


def test_settlement_in_kind_counts_once_its_receipt_is_signed(
    cast: Cast, delivered: tuple[Order, Delivery]
) -> None:
    order, delivery = delivered
    returned = _settle(cast, order, delivery, method="same_goods", quantity=Decimal(60))
    delivery.refresh_from_db()
    assert delivery.amount_settled == 0
    with pytest.raises(PermissionDenied):
        services.counter_receipt_sign(order=order, settlement=returned, actor=cast.us_logistics)
    services.counter_receipt_sign(order=order, settlement=returned, actor=cast.jp_logistics)
    delivery.refresh_from_db()
    assert delivery.amount_settled == delivery.amount


def test_cents_settled_in_parts_keep_the_ledger_exact(cast: Cast) -> None:
    # SQLite sums decimals in floating point: 7.50 - 2.02 - 4.77 there is 0.7100000000000009.
    order = accepted(cast, fuel_line(quantity="1", price="7.50"))
    delivery = deliver(cast, order, "1")
    services.receipt_sign(order=order, delivery=delivery, actor=cast.us_logistics)
    for part in ("2.02", "4.77", "0.71"):
        _settle(cast, order, delivery, amount=Decimal(part))
        delivery.refresh_from_db()
    order.refresh_from_db()
    assert order.amount_settled == Decimal("7.50")
    assert order.outstanding == 0


def test_partial_deliveries_add_up_exactly_to_the_line(cast: Cast) -> None:
    # In floating point 22.8 + 14.448 + 2.752 is just over 40, which the database refuses.
    order = accepted(cast, fuel_line(quantity="40", price="1"))
    for part in ("22.8", "14.448", "2.752"):
        deliver(cast, order, part)
    order.refresh_from_db()
    assert order.status == Order.Status.DELIVERED
    assert order.lines.get().quantity_delivered == Decimal(40)
