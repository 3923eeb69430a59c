"""Converting amounts between currencies at the rate in force on a day, from the exchange-rate
table administrators keep (`ExchangeRate`, cited, effective-dated, audited). Where no rate is
recorded for a day, nothing is converted: the caller learns which rate is missing, never a
zero."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .models import ExchangeRate, money


@dataclass(frozen=True)
class MissingRate:
    """No rate from `quote` to `base` is recorded for `on`."""

    quote: str
    base: str
    on: date


class Rates:
    """The rates into one currency, read once, looked up by day."""

    def __init__(self, base: str) -> None:
        self.base = base
        self._rows: dict[str, list[ExchangeRate]] = {}
        for row in ExchangeRate.objects.filter(base=base).order_by("effective_from"):
            self._rows.setdefault(row.quote, []).append(row)

    def rate(self, quote: str, on: date) -> ExchangeRate | None:
        return next(
            (
                row
                for row in self._rows.get(quote, [])
                if row.effective_from <= on and (row.effective_to is None or on <= row.effective_to)
            ),
            None,
        )

    def convert(self, amount: Decimal, quote: str, on: date) -> Decimal | MissingRate:
        """`amount` in `quote` as `base`, at the rate in force on `on`."""
        if quote == self.base:
            return amount
        row = self.rate(quote, on)
        if row is None:
            return MissingRate(quote, self.base, on)
        return money(amount / row.rate)
