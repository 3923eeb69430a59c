"""Money, numbers, quantities and instants as people write them, in both languages, through
the one module and the filters every page uses."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.test import Client
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from kizuna.core import formats


@pytest.mark.parametrize(
    ("amount", "currency", "language", "shown"),
    [
        # Yen has no minor unit: no decimals, in either language.
        (Decimal("10930000.00"), "JPY", "ja", "￥10,930,000"),
        (Decimal("10930000.00"), "JPY", "en", "¥10,930,000"),
        # Dollars have cents, always shown.
        (Decimal("1234.5"), "USD", "ja", "$1,234.50"),
        (Decimal("1234.5"), "USD", "en", "$1,234.50"),
        (Decimal("5"), "AUD", "en", "A$5.00"),
        # Any ISO 4217 currency by its own exponent: the Bahraini dinar has three places.
        (Decimal("1234.5"), "BHD", "en", "BHD1,234.500"),
        (Decimal("-120000"), "JPY", "ja", "-￥120,000"),
    ],
)
def test_money_has_its_currencys_minor_units_and_the_languages_separators(
    amount: Decimal, currency: str, language: str, shown: str
) -> None:
    assert formats.money(amount, currency, language) == shown


def test_a_stored_fraction_of_a_yen_is_shown_not_rounded_away() -> None:
    assert formats.money(Decimal("100.50"), "JPY", "ja") == "￥100.5"


def test_money_on_bilingual_paper_names_the_currency_by_its_code() -> None:
    assert formats.money_code(Decimal("10930000.00"), "JPY") == "JPY\xa010,930,000"
    assert formats.money_code(Decimal("99.9"), "USD") == "USD\xa099.90"


def test_numbers_and_quantities_have_separators_and_only_the_decimals_they_have() -> None:
    assert formats.number(Decimal("48000.000"), "ja") == "48,000"
    assert formats.number(Decimal("1.250"), "en") == "1.25"
    assert formats.number(37000, "en") == "37,000"
    assert formats.number(12.0, "en") == "12"
    assert formats.quantity(Decimal("1200.000"), "食 / meals", "ja") == "1,200 食 / meals"


def test_currency_codes_are_checked_against_iso_4217() -> None:
    assert formats.is_currency("JPY")
    assert formats.is_currency("USD")
    assert not formats.is_currency("XYZ")
    assert formats.currency_name("JPY", "ja") == "日本円"


def test_months_read_as_people_write_them() -> None:
    assert formats.month(datetime(2025, 4, 1, tzinfo=UTC).date(), "ja") == "2025年4月"
    assert formats.month(datetime(2025, 4, 1, tzinfo=UTC).date(), "en") == "Apr 2025"


@given(st.decimals(min_value=-(10**12), max_value=10**12, places=2))
def test_every_amount_reads_back_in_both_languages(amount: Decimal) -> None:
    for language, symbol in (("ja", "￥"), ("en", "¥")):
        shown = formats.money(amount, "JPY", language)
        assert Decimal(shown.replace(symbol, "").replace(",", "")) == amount
    dollars = formats.money(amount, "USD", "en")
    assert dollars.split(".")[-1].isdigit()
    assert len(dollars.split(".")[-1]) == 2  # cents, always
    assert Decimal(dollars.replace("$", "").replace(",", "")) == amount


def test_the_filters_follow_the_readers_language() -> None:
    template = Template(
        "{{ amount|money:'JPY' }}|{{ price|money:'USD' }}|{{ q|quantity:'L' }}|{{ n|number }}"
        "|{{ missing|money:'JPY' }}"
    )
    context = Context(
        {"amount": Decimal("10930000.00"), "price": Decimal(98), "q": Decimal("48000.000")}
        | {"n": 37000, "missing": None}
    )
    with translation.override("ja"):
        assert template.render(context) == "￥10,930,000|$98.00|48,000 L|37,000|—"
    with translation.override("en"):
        assert template.render(context) == "¥10,930,000|$98.00|48,000 L|37,000|—"


def test_every_instant_in_zones_carries_its_zulu_dtg() -> None:
    html = Template("{% zones when compact=True %}").render(
        Context({"when": datetime(2026, 11, 28, 4, 30, tzinfo=UTC), "reader_zones": ["UTC"]})
    )
    assert '<span class="dtg">280430ZNOV26</span>' in html


def test_the_header_clock_shows_zulu_too(client) -> None:  # type: ignore[no-untyped-def]
    page = client.get("/login/").content.decode()
    clocks = page[page.index('data-testid="clocks"') :]
    assert 'class="zone-zulu"' in clocks[: clocks.index("</div>")]


@pytest.mark.parametrize(
    ("amount", "currency", "language", "shown"),
    [
        (Decimal("1234.5"), "EUR", "ja", "€1,234.50"),
        (Decimal("1234.5"), "EUR", "en", "€1,234.50"),
        (Decimal("-98.1"), "USD", "ja", "-$98.10"),
        (Decimal("0.5"), "USD", "en", "$0.50"),
        (Decimal("1000"), "KRW", "en", "₩1,000"),  # the won, like the yen, has no minor unit
        (Decimal("1000000"), "JPY", "en", "¥1,000,000"),
    ],
)
def test_each_currency_in_each_language(
    amount: Decimal, currency: str, language: str, shown: str
) -> None:
    assert formats.money(amount, currency, language) == shown


def test_spreadsheets_get_each_currencys_minor_units() -> None:
    assert formats.spreadsheet_format("JPY") == "#,##0"
    assert formats.spreadsheet_format("USD") == "#,##0.00"
    assert formats.spreadsheet_format("BHD") == "#,##0.000"


def test_large_quantities_and_negative_numbers_keep_their_separators() -> None:
    assert formats.quantity(Decimal("1234567.5"), "L", "ja") == "1,234,567.5 L"
    assert formats.number(Decimal("-1234.500"), "en") == "-1,234.5"


@pytest.mark.django_db
def test_the_header_clock_shows_the_readers_zones_and_zulu(client: Client) -> None:
    page = client.get("/login/").content.decode()
    clock = page[page.index('data-testid="clocks"') :]
    clock = clock[: clock.index("</div>")]
    assert 'class="zone-zulu"' in clock
    assert re.search(r'<span class="dtg">\d{6}Z[A-Z]{3}\d{2}</span>', clock)
    assert 'data-zone="Asia/Tokyo"' in clock
