"""Numbers, money, quantities and instants as people write them, in the reader's language.

The one place that formats them: pages (through the `money`, `number`, `quantity` and `dtg`
filters and the `{% zones %}` tag), PDFs, the people's exports and the charts' axes all call
these functions, so nothing formats money its own way. Machine exports (CSV, the API) keep
plain ISO numbers and codes instead.

Babel (CLDR) knows each ISO 4217 currency's minor units and each language's separators: yen
without decimals, dollars with cents, three places for the dinar. An amount is never
rounded for show: a stored sub-unit fraction (¥100.50) is shown as stored (￥100.5).
"""

from __future__ import annotations

import zoneinfo
from datetime import UTC, date, datetime
from decimal import Decimal
from functools import lru_cache

from babel import Locale, UnknownLocaleError
from babel.dates import format_skeleton
from babel.numbers import (
    format_currency,
    format_decimal,
    get_currency_name,
    get_currency_precision,
    list_currencies,
)
from django.utils.translation import get_language

Number = Decimal | int | float

# The DTG's months are the English ones in both languages: a date-time group is a fixed
# notation both nations' staffs read the same way, not prose to translate.
MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")


@lru_cache(maxsize=8)
def _locale(language: str) -> Locale:
    try:
        return Locale.parse(language.replace("-", "_"))
    except (ValueError, UnknownLocaleError):
        return Locale.parse("en")


def locale_of(language: str | None = None) -> Locale:
    """The babel locale of a language code, the active language's by default."""
    return _locale(language or get_language() or "ja")


def is_currency(code: str) -> bool:
    """Whether a code is a current ISO 4217 currency."""
    return code in _currencies()


@lru_cache(maxsize=1)
def _currencies() -> frozenset[str]:
    return frozenset(list_currencies())


def money(amount: Number, currency: str, language: str | None = None) -> str:
    """An amount in its currency's own minor units, with the language's symbol and
    separators: ￥10,930,000 and $1,234.50 (Japanese), ¥10,930,000 (English)."""
    return format_currency(amount, currency, locale=locale_of(language), decimal_quantization=False)


def money_code(amount: Number, currency: str) -> str:
    """An amount after its ISO code, for bilingual paper where a symbol could be read two
    ways: JPY 10,930,000, USD 1,234.50."""
    return format_currency(
        amount, currency, format="¤¤\xa0#,##0.00", locale=_locale("en"), decimal_quantization=False
    )


def spreadsheet_format(currency: str) -> str:
    """A spreadsheet number format in the currency's minor units: #,##0 for yen,
    #,##0.00 for dollars."""
    digits = get_currency_precision(currency)
    return "#,##0" + ("." + "0" * digits if digits else "")


def currency_name(currency: str, language: str | None = None) -> str:
    """日本円 / Japanese Yen: the currency's name in a language."""
    return str(get_currency_name(currency, locale=locale_of(language)))


def number(value: Number, language: str | None = None) -> str:
    """A number with the language's thousands separators and only the decimals it has:
    48,000 for a stored 48000.000, 1.25 for 1.250."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return format_decimal(value, locale=locale_of(language), decimal_quantization=False)


def quantity(value: Number, unit: str, language: str | None = None) -> str:
    """A quantity with its unit: 48,000 L."""
    shown = number(value, language)
    return f"{shown} {unit}".strip()


def month(day: date, language: str | None = None) -> str:
    """A month as people write it: 2025年4月, Apr 2025."""
    return str(format_skeleton("yMMM", day, locale=locale_of(language)))


def day(value: date, language: str | None = None) -> str:
    """A day as people write it: 2025年4月1日, Apr 1, 2025."""
    return str(format_skeleton("yMMMd", value, locale=locale_of(language)))


def month_day(value: date, language: str | None = None) -> str:
    """A day within a year as people write it: 4月1日, Apr 1."""
    return str(format_skeleton("MMMd", value, locale=locale_of(language)))


def instant(value: datetime, zone: str) -> str:
    """One instant in one zone with its Zulu DTG, for paper and tables where the
    `{% zones %}` tag cannot go: 2016-04-18 09:00 JST (180000ZAPR16)."""
    local = value.astimezone(zoneinfo.ZoneInfo(zone))
    return f"{local:%Y-%m-%d %H:%M} {local.tzname()} ({dtg(value)})"


def dtg(instant: datetime) -> str:
    """The military date-time group in Zulu time: DDHHMMZMONYY, e.g. 280430ZNOV26."""
    if instant.tzinfo is None:
        raise ValueError("naive datetime: a date-time group needs a known instant")
    zulu = instant.astimezone(UTC)
    return f"{zulu:%d%H%M}Z{MONTHS[zulu.month - 1]}{zulu:%y}"
