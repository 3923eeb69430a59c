"""Offsets: proposed from what each party owes the other, applied only when the approving
officials of both parties have approved, as settlements the ledger accounts for."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone

from kizuna.acsa import services
from kizuna.acsa.models import LedgerEntry, Order, SituationType
from kizuna.core import services as core_services

from .factories import Cast, fuel_line, make_cast

pytestmark = pytest.mark.django_db
DOC = [services.Document("n.pdf", b"n")]


@pytest.fixture
def cast() -> Cast:
    return make_cast()


def _received(cast: Cast, *, japan_supplies: bool, quantity: str, price: str) -> Order:
    supplier, receiver = (
        (cast.jp_unit, cast.us_unit) if japan_supplies else (cast.us_unit, cast.jp_unit)
    )
    s, r = ("jp", "us") if japan_supplies else ("us", "jp")
    order = services.order_create(
        actor=getattr(cast, f"{r}_ordering"),
        supplying_org=supplier,
        receiving_org=receiver,
        situation_type=SituationType.objects.get(code="bilateral-exercise"),
        legal_basis="x",
        currency="JPY",
        settlement_method="currency",
        lines=[fuel_line(quantity, price)],
    )
    services.order_request(order=order, actor=getattr(cast, f"{r}_ordering"))
    services.order_accept(order=order, actor=getattr(cast, f"{s}_approving"))
    delivery = services.delivery_record(
        order=order,
        line=order.lines.get(),
        actor=getattr(cast, f"{s}_logistics"),
        quantity=order.lines.get().quantity,
        delivered_on=timezone.localdate(),
        documents=DOC,
    )
    services.receipt_sign(order=order, delivery=delivery, actor=getattr(cast, f"{r}_logistics"))
    return order


def test_an_offset_needs_both_parties_and_settles_both_ways(cast: Cast, client: Client) -> None:
    to_japan = _received(cast, japan_supplies=True, quantity="1000", price="120")
    to_us = _received(cast, japan_supplies=False, quantity="500", price="100")
    client.force_login(cast.jp_approving)
    page = client.get("/acsa/netting/").content.decode()
    assert "￥120,000" in page  # yen without decimals, with separators
    assert "￥50,000" in page
    offset = services.offset_propose(actor=cast.jp_approving, currency="JPY")
    assert offset.amount == Decimal(50000)
    with pytest.raises(ValidationError):
        services.offset_approve(actor=cast.jp_approving, offset=offset)
    with pytest.raises(PermissionDenied):
        services.offset_approve(actor=cast.us_ordering, offset=offset)
    assert not LedgerEntry.objects.filter(kind="settlement").exists()
    services.offset_approve(actor=cast.us_approving, offset=offset)
    to_japan.refresh_from_db()
    to_us.refresh_from_db()
    assert to_japan.outstanding == Decimal(70000)
    assert to_us.outstanding == 0
    assert to_us.status == Order.Status.SETTLED
    for order in (to_japan, to_us):
        booked = sum((e.amount for e in LedgerEntry.objects.filter(order=order)), Decimal(0))
        assert booked == order.outstanding
    with pytest.raises(ValidationError):
        services.offset_propose(actor=cast.us_approving, currency="JPY")


def test_only_approving_officials_and_auditors_see_the_netting_view(
    cast: Cast, client: Client
) -> None:
    for person, status in [
        (cast.us_approving, 200),
        (cast.jp_logistics, 404),
        (cast.us_ordering, 404),
    ]:
        client.force_login(person)
        assert client.get("/acsa/netting/").status_code == status


def test_the_netting_api_follows_the_same_rule(cast: Cast, client: Client) -> None:
    for person, status in [(cast.jp_approving, 200), (cast.jp_ordering, 404)]:
        secret = core_services.token_issue(person=person, label="t").secret
        response = client.get("/api/acsa/netting", HTTP_AUTHORIZATION=f"Bearer {secret}")
        assert response.status_code == status
    client.logout()
    assert client.get("/acsa/netting/").status_code == 302
    assert client.get("/api/acsa/netting").status_code == 401


@pytest.mark.parametrize(
    ("language", "said"),
    [
        ("en", "The other party&#x27;s approving official must approve."),
        ("ja", "相手国の承認権者の承認が必要です。"),
    ],
)
def test_a_refused_approval_says_why_on_the_page(
    cast: Cast, client: Client, language: str, said: str
) -> None:
    _received(cast, japan_supplies=True, quantity="1000", price="120")
    _received(cast, japan_supplies=False, quantity="500", price="100")
    offset = services.offset_propose(actor=cast.jp_approving, currency="JPY")
    cast.jp_approving.language = language
    cast.jp_approving.save()
    client.force_login(cast.jp_approving)
    response = client.post(f"/acsa/netting/{offset.public_id}/approve/")
    assert response.status_code == 422
    assert said in response.content.decode()
    assert not LedgerEntry.objects.filter(kind="settlement").exists()
