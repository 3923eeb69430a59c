"""Coordination's charts, in the Kizuna chart style (`kizuna.core.charts`): the resources
committed to a situation over time, one chart per measure (personnel, ships, aircraft), one
line per nation, drawn up to now while the situation is open."""

from __future__ import annotations

from datetime import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from kizuna.core import formats
from kizuna.core.charts import Chart, ChartView
from kizuna.core.models import Nation

from .models import Situation
from .selectors import Totals

# Each measure: its title and its axis, named with the unit it counts in.
MEASURES: dict[str, tuple[Promise, Promise]] = {
    "personnel": (_("Personnel"), _("Personnel (people)")),
    "ships": (_("Ships"), _("Ships (count)")),
    "aircraft": (_("Aircraft"), _("Aircraft (count)")),
}
WIDTH, HEIGHT = 960, 300

Series = dict[str, list[tuple[datetime, Totals]]]


def _until(situation: Situation, series: Series) -> datetime:
    """Figures hold until the situation ends; while it is open, until now."""
    last = max(at for points in series.values() for at, _totals in points)
    return max(last, situation.ends_at or timezone.now())


def _names(series: Series) -> dict[str, str]:
    nations = Nation.objects.in_bulk(list(series))
    return {code: nations[code].name if code in nations else code for code in series}


def resources_svg(situation: Situation, series: Series, measure: str, zone: str) -> bytes:
    title, axis = MEASURES[measure]
    chart = Chart(str(title), WIDTH, HEIGHT)
    names = _names(series)
    if series:
        until = _until(situation, series)
        for nation, points in sorted(series.items()):
            xs = [at for at, _totals in points] + [until]
            ys = [getattr(totals, measure) for _at, totals in points]
            chart.step(nation, names[nation], xs, [*ys, ys[-1]])
        chart.time_axis(zone, min(points[0][0] for points in series.values()), until)
    chart.count_axis(str(axis))
    return chart.svg()


def resources_views(situation: Situation, series: Series, zone: str) -> list[ChartView]:
    """Each measure's chart and its numbers: every nation's total after each report."""
    names = _names(series)
    nations = sorted(series)
    times = sorted({at for points in series.values() for at, _totals in points})
    by_time = {nation: dict(points) for nation, points in series.items()}
    views = []
    for measure, (title, _axis) in MEASURES.items():
        rows, last = [], dict.fromkeys(nations, 0)
        for at in times:
            for nation in nations:
                totals = by_time[nation].get(at)
                last[nation] = getattr(totals, measure) if totals else last[nation]
            rows.append([formats.instant(at, zone), *(formats.number(last[n]) for n in nations)])
        views.append(
            ChartView(
                src=reverse("coordination:chart", args=[situation.public_id, measure]),
                alt=str(_("Resources committed over time: %(measure)s") % {"measure": title}),
                width_px=WIDTH,
                height_px=HEIGHT,
                columns=[str(_("Reported at")), *(names[n] for n in nations)],
                rows=rows,
            )
        )
    return views
