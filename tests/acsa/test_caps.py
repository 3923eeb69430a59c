"""The US fiscal-year caps warn before an acceptance would cross one, never silently."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import transaction
from django.test import Client
from django.utils import translation

from kizuna.acsa import selectors, services
from kizuna.acsa.models import ExchangeRate, LiabilityCap, Order, SituationType
from kizuna.core import places
from kizuna.core.models import AuditEvent, Role

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
    assert "cap-warning" in client.get(f"/acsa/orders/{order.public_id}/").content.decode()


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


# --- orders priced in yen count against the caps in dollars -----------------------------


def _rate(per_dollar: str, since: date, until: date | None = None) -> ExchangeRate:
    rate = ExchangeRate(
        base="USD",
        quote="JPY",
        rate=Decimal(per_dollar),
        effective_from=since,
        effective_to=until,
        source="Bank of Japan, basic rate for the period (illustrative figure for the test)",
    )
    rate.full_clean()
    rate.save()
    return rate


def _yen_order(cast: Cast, quantity: str, price: str) -> Order:
    order = services.order_create(
        actor=cast.us_ordering,
        supplying_org=cast.jp_unit,
        receiving_org=cast.us_unit,
        situation_type=SituationType.objects.get(code="bilateral-exercise"),
        legal_basis="x",
        currency="JPY",
        settlement_method="currency",
        lines=[fuel_line(quantity, price)],
    )
    return services.order_request(order=order, actor=cast.us_ordering)


def test_a_yen_order_counts_at_the_rate_in_force_on_its_acceptance_date(cast: Cast) -> None:
    today = places.today()
    _rate("200", today - timedelta(days=30), today - timedelta(days=1))
    _rate("100", today)
    # ¥2,100,000,000 at ¥100 to the dollar: $21,000,000, over the $20M supplies cap.
    order = _yen_order(cast, "1000", "2100000")
    everything = cleared_for_everything("us-approving-all", Role.APPROVING_OFFICIAL)
    with translation.override("en"):
        warnings = selectors.cap_warnings(order, everything)
    assert len(warnings) == 1
    assert "$21,000,000.00" in warnings[0]
    # At yesterday's rate it would have been $10.5M: nothing to warn of.
    assert selectors.cap_warnings(order, everything, today - timedelta(days=1)) == []


def test_accepted_yen_orders_count_at_their_own_acceptance_dates_rate(cast: Cast) -> None:
    _rate("100", places.today())
    first = _yen_order(cast, "1000", "1500000")  # $15M
    services.order_accept(order=first, actor=cast.jp_approving)
    second = _usd_order(cast, "1000", "6000")  # $6M more
    everything = cleared_for_everything("us-approving-all", Role.APPROVING_OFFICIAL)
    with translation.override("en"):
        warnings = selectors.cap_warnings(second, everything)
    assert len(warnings) == 1
    assert "$21,000,000.00" in warnings[0]


def test_without_a_rate_the_cap_says_it_cannot_tell_and_names_the_rate(cast: Cast) -> None:
    order = _yen_order(cast, "1000", "2100000")
    day = places.today().isoformat()
    with translation.override("en"):
        warnings = selectors.cap_warnings(order, cast.jp_approving)
    assert len(warnings) == 2  # the total and the supplies caps
    assert all("Cannot tell" in w and "JPY to USD" in w and day in w for w in warnings)
    with translation.override("ja"):
        japanese = selectors.cap_warnings(order, cast.jp_approving)
    assert all("為替レート" in w and day in w for w in japanese)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"rate": "0"}, "rate"),
        ({"rate": "-150"}, "rate"),
        ({"quote": "XYZ"}, "quote"),
        ({"base": "usd"}, "base"),
        ({"effective_from": "2024-06-01"}, "effective_from"),  # overlaps the row below
    ],
)
def test_bad_rates_are_refused_and_nothing_changes(
    changes: dict[str, str], field: str, make_person: Callable
) -> None:
    from django.test import RequestFactory

    from kizuna.acsa.admin import ExchangeRateAdmin
    from kizuna.core.admin import site
    from kizuna.core.models import Role

    _rate("150", date(2024, 1, 1), date(2024, 12, 31))
    request = RequestFactory().post("/admin/acsa/exchangerate/add/")
    request.user = make_person("admin", role=Role.ADMINISTRATOR)
    model_admin = ExchangeRateAdmin(ExchangeRate, site)
    data = {
        "base": "USD",
        "quote": "JPY",
        "rate": "151.5",
        "effective_from": "2025-01-01",
        "effective_to": "",
        "source": "Bank of Japan (test)",
        "note": "",
    }
    form = model_admin.get_form(request)(data={**data, **changes})
    assert not form.is_valid()
    assert field in form.errors
    assert ExchangeRate.objects.count() == 1
    good = model_admin.get_form(request)(data=data)
    assert good.is_valid(), good.errors
    with transaction.atomic():  # as the admin's add view runs it
        model_admin.save_model(request, good.save(commit=False), good, change=False)
        model_admin.save_related(request, good, [], change=False)
    event = AuditEvent.objects.filter(action="admin.add").latest("id")
    assert Decimal(event.after["rate"]) == Decimal("151.5")
