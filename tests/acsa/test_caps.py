"""The US fiscal-year caps warn before an acceptance would cross one, never silently."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import translation

from kizuna.acsa import selectors, services
from kizuna.acsa.models import LiabilityCap, Order, SituationType
from kizuna.core.models import Role

from .factories import Cast, cleared_for_everything, fuel_line, make_cast

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast() -> Cast:
    return make_cast()


def _usd_order(cast: Cast, quantity: str, price: str, category: str = "petroleum") -> Order:
    order = services.order_create(
        actor=cast.us_ordering,
        supplying_org=cast.jp_unit,
        receiving_org=cast.us_unit,
        situation_type=SituationType.objects.get(code="bilateral-exercise"),
        legal_basis="x",
        currency="USD",
        settlement_method="currency",
        lines=[replace(fuel_line(quantity, price), category=category)],
    )
    return services.order_request(order=order, actor=cast.us_ordering)


def test_a_supplies_order_over_20_million_dollars_is_warned_of(cast: Cast, client: Client) -> None:
    order = _usd_order(cast, "1000", "21000")
    with translation.override("en"):
        warnings = selectors.cap_warnings(order, cast.jp_approving)
    assert len(warnings) == 1
    assert "supplies" in warnings[0]
    client.force_login(cast.jp_approving)
    assert "cap-warning" in client.get(f"/acsa/orders/{order.pk}/").content.decode()


def test_services_count_against_the_total_cap_only(cast: Cast) -> None:
    order = _usd_order(cast, "1000", "19000", category="transportation")
    assert selectors.cap_warnings(order, cast.jp_approving) == []
    services.order_accept(order=order, actor=cast.jp_approving)
    second = _usd_order(cast, "1000", "45000", category="repair")
    with translation.override("en"):
        everything = cleared_for_everything("us-approving-all", Role.APPROVING_OFFICIAL)
        warnings = selectors.cap_warnings(second, everything)
    assert len(warnings) == 1
    assert "$64,000,000.00" in warnings[0]


def test_an_administrator_may_change_a_limit(cast: Cast) -> None:
    order = _usd_order(cast, "10", "1000")
    assert selectors.cap_warnings(order, cast.jp_approving) == []
    LiabilityCap.objects.filter(code="us-fy-supplies").update(amount=Decimal(5000))
    assert len(selectors.cap_warnings(order, cast.jp_approving)) == 1
