"""ACSA's charts, in the Kizuna chart style (`kizuna.core.charts`): the outstanding balances
over time, one chart per currency (amounts in two currencies share no axis), one line per
creditor side, each drawn up to today while the balance is open."""

from __future__ import annotations

from decimal import Decimal

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from kizuna.core import formats
from kizuna.core.charts import Chart, ChartView
from kizuna.core.models import Nation

from .selectors import BalanceSeries

WIDTH, HEIGHT = 960, 340


def currencies(series: BalanceSeries) -> list[str]:
    return sorted({currency for _nation, currency in series})


def _labels(series: BalanceSeries) -> dict[str, str]:
    """Each creditor side's legend, in the reader's language: 日本の債権, Owed to Japan."""
    nations = Nation.objects.in_bulk({nation for nation, _currency in series})
    return {
        code: _("Owed to %(nation)s") % {"nation": nations[code].name if code in nations else code}
        for code in {nation for nation, _currency in series}
    }


def _title(currency: str) -> str:
    return _("Outstanding balances over time (%(currency)s)") % {"currency": currency}


def balances_svg(series: BalanceSeries, currency: str, zone: str) -> bytes:
    chart = Chart(_title(currency), WIDTH, HEIGHT)
    labels = _labels(series)
    shown = {nation: points for (nation, cur), points in series.items() if cur == currency}
    for nation, points in shown.items():
        chart.step(
            nation, labels[nation], [day for day, _amount in points], [a for _d, a in points]
        )
    chart.money_axis(_("Outstanding balance"), currency)
    if shown:
        days = [day for points in shown.values() for day, _amount in points]
        chart.time_axis(zone, min(days), max(days))
    return chart.svg()


def balances_views(series: BalanceSeries) -> list[ChartView]:
    """Each currency's chart and its numbers: the balance of each side from the start of
    each month in which it changed."""
    labels = _labels(series)
    return [_view(series, currency, labels) for currency in currencies(series)]


def _view(series: BalanceSeries, currency: str, labels: dict[str, str]) -> ChartView:
    shown = {nation: dict(points) for (nation, cur), points in series.items() if cur == currency}
    nations = sorted(shown)
    days = sorted({day for points in shown.values() for day in points})
    rows, last = [], dict.fromkeys(nations, Decimal(0))
    for day in days:
        for nation in nations:
            last[nation] = shown[nation].get(day, last[nation])
        rows.append([formats.day(day), *(formats.money(last[n], currency) for n in nations)])
    return ChartView(
        src=f"{reverse('acsa:balances_chart')}?{urlencode({'currency': currency})}",
        alt=_title(currency),
        width_px=WIDTH,
        height_px=HEIGHT,
        columns=[_("Day"), *(labels[n] for n in nations)],
        rows=rows,
    )
