"""The exercises' chart, in the Kizuna chart style (`kizuna.core.charts`): how many
exercises and training events of each kind each fiscal year held, from the exercises the
reader sees, with the same numbers as a table one click away."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from kizuna.core import formats
from kizuna.core.charts import Chart, ChartView

from .models import Exercise
from .selectors import Year

WIDTH, HEIGHT = 960, 320


def _counts(years: list[Year]) -> tuple[list[str], list[tuple[str, str, list[int]]]]:
    ordered = list(reversed(years))  # oldest on the left
    labels = [year.label for year in ordered]
    series = [
        (kind, str(label), [year.by_kind.get(kind, 0) for year in ordered])
        for kind, label in Exercise.Kind.choices
    ]
    return labels, [s for s in series if any(s[2])]


def yearly_svg(years: list[Year]) -> bytes:
    chart = Chart(_("Exercises and training by fiscal year and kind"), WIDTH, HEIGHT)
    labels, series = _counts(years)
    chart.bars(labels, series)
    chart.count_axis(_("Exercises (count)"))
    return chart.svg()


def yearly_view(years: list[Year]) -> ChartView:
    labels, series = _counts(years)
    return ChartView(
        src=reverse("exercises:chart"),
        alt=_("Exercises and training by fiscal year and kind"),
        width_px=WIDTH,
        height_px=HEIGHT,
        columns=[_("Fiscal year"), *(label for _key, label, _values in series)],
        rows=[
            [label, *(formats.number(values[i]) for _key, _label, values in series)]
            for i, label in enumerate(labels)
        ],
    )
