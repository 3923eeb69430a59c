"""The Kizuna chart style: every server-drawn chart (matplotlib, SVG) is drawn through here, so
all read alike and at a glance.

- Drawn at the size it is shown (`Chart.width_px`), type never under 11 px there.
- Text stays text in the SVG (localized titles, axis labels and legends can be read, copied
  and searched), in IPAex Gothic or the reader's own Japanese font.
- Numbers on axes with the reader's thousands separators, never an offset ("1e7") or
  scientific notation; every axis names its unit.
- Times on axes in the reader's own zone, which the axis names; months as people write them.
- Each chart's numbers one click away: `ChartView` carries the table shown under it
  (`core/_chart.html`).

The apps draw their own charts (ACSA's balances, coordination's committed resources) with
these pieces; core knows none of them.
"""

from __future__ import annotations

import io
import zoneinfo
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

import matplotlib
import matplotlib.dates as mdates
import matplotlib.style
import matplotlib_fontja
from matplotlib.axes import Axes
from matplotlib.figure import Figure  # the object API: no pyplot state, safe across threads
from matplotlib.ticker import FuncFormatter, MaxNLocator

from . import formats
from .timezones import label_for

PX_PER_INCH = 96  # CSS pixels; matplotlib writes SVG sizes in points (72 to the inch)
PX_PER_PT = PX_PER_INCH / 72
MIN_TEXT_PX = 11

NATION_COLOURS = {"JPN": "#b22234", "USA": "#17324d", "AUS": "#1f7a4d"}
OTHER_COLOURS = ("#a15c00", "#5b3a8c", "#2f7f8f", "#5b6673")

_FONT = matplotlib_fontja.get_font_ttf_path()
matplotlib.font_manager.fontManager.addfont(_FONT)

# Set once for the whole process (every chart drawn in it is a Kizuna chart): rcParams are
# global, and changing them per request would race between threads.
STYLE: dict[str, Any] = {
    "svg.fonttype": "none",  # text stays text
    "svg.hashsalt": "kizuna",  # the same chart gives the same SVG
    "font.family": "sans-serif",
    "font.sans-serif": [
        matplotlib.font_manager.FontProperties(fname=_FONT).get_name(),
        "Noto Sans CJK JP",
        "Hiragino Sans",
        "Yu Gothic",
        "Meiryo",
        "DejaVu Sans",
    ],
    # Points; shown at the drawn size a point is 4/3 px: 9 pt is 12 px.
    "font.size": 10,
    "axes.titlesize": 12,
    "axes.titlelocation": "left",
    "axes.labelsize": 10,
    "xtick.labelsize": 9.5,
    "ytick.labelsize": 9.5,
    "legend.fontsize": 9.5,
    "legend.frameon": False,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.edgecolor": "#5b6673",
    "axes.labelcolor": "#1d2733",
    "text.color": "#1d2733",
    "xtick.color": "#5b6673",
    "ytick.color": "#5b6673",
    "axes.grid": True,
    "grid.color": "#d9dee5",
    "grid.linewidth": 0.8,
    "lines.linewidth": 2,
    "axes.formatter.useoffset": False,
    "axes.formatter.limits": (-99, 99),
    "axes.unicode_minus": False,
}
matplotlib.style.use(STYLE)


def colour_of(key: str, index: int) -> str:
    return NATION_COLOURS.get(key, OTHER_COLOURS[index % len(OTHER_COLOURS)])


@dataclass
class Chart:
    """One chart: a figure with one set of axes, drawn at `width_px` × `height_px`."""

    title: str
    width_px: int = 960
    height_px: int = 340
    figure: Figure = field(init=False)
    axes: Axes = field(init=False)

    def __post_init__(self) -> None:
        self.figure = Figure(
            figsize=(self.width_px / PX_PER_INCH, self.height_px / PX_PER_INCH),
            layout="constrained",
        )
        self.axes = self.figure.subplots()
        self.axes.set_title(self.title)

    def count_axis(self, label: str) -> None:
        """A y axis of whole things (people, ships), named with its unit."""
        self.axes.yaxis.set_major_locator(MaxNLocator(integer=True))
        self.axes.yaxis.set_major_formatter(FuncFormatter(_tick_number))
        self.axes.set_ylabel(label)
        self._from_zero()

    def money_axis(self, label: str, currency: str) -> None:
        """A y axis of amounts in one currency, named with it: 未決済残高（JPY）."""
        self.axes.yaxis.set_major_locator(MaxNLocator(integer=True))
        self.axes.yaxis.set_major_formatter(FuncFormatter(_tick_number))
        self.axes.set_ylabel(f"{label} ({currency})")
        self._from_zero()

    def _from_zero(self) -> None:
        """Amounts and counts that are never negative start at zero; all zero, the axis
        still shows where zero is rather than a band around it."""
        lowest, highest = self.axes.dataLim.y0, self.axes.dataLim.y1
        if self.axes.get_lines() and lowest >= 0:
            self.axes.set_ylim(bottom=0, top=max(highest * 1.05, 1))

    def time_axis(self, zone: str, start: datetime | date, end: datetime | date) -> None:
        """An x axis of time in the reader's zone, which its label names; ticks read as
        people write dates (2025年4月, Apr 1, 09:30) at the span's own grain."""
        tz = zoneinfo.ZoneInfo(zone)
        span = _as_datetime(end, tz) - _as_datetime(start, tz)
        self.axes.xaxis.set_major_locator(mdates.AutoDateLocator(tz=tz, maxticks=9))
        self.axes.xaxis.set_major_formatter(FuncFormatter(_tick_time(tz, span)))
        self.axes.set_xlabel(label_for(zone) if span < timedelta(days=90) else "")

    def step(self, key: str, label: str, xs: Sequence[Any], ys: Sequence[Any]) -> None:
        """One series as a step line (a figure holds from one report to the next)."""
        index = len(self.axes.get_lines())
        self.axes.step(xs, [float(y) for y in ys], where="post", label=label)
        self.axes.get_lines()[-1].set_color(colour_of(key, index))

    def bars(
        self, categories: Sequence[str], series: Sequence[tuple[str, str, Sequence[Any]]]
    ) -> None:
        """Grouped bars: a group per category (a year, say), a bar per series given as
        (key, label, one value per category)."""
        width = 0.8 / max(len(series), 1)
        for index, (key, label, values) in enumerate(series):
            xs = [i - 0.4 + width * (index + 0.5) for i in range(len(categories))]
            self.axes.bar(
                xs, [float(v) for v in values], width, label=label, color=colour_of(key, index)
            )
        self.axes.set_xticks(range(len(categories)), list(categories))
        self.axes.grid(axis="x", visible=False)

    def svg(self) -> bytes:
        handles = [*self.axes.get_lines(), *self.axes.containers]
        if handles:  # above the plot, beside the title: never over a line
            self.figure.legend(handles=handles, loc="outside upper right", ncols=len(handles))
        buffer = io.BytesIO()
        self.figure.savefig(buffer, format="svg", metadata={"Date": None})
        return buffer.getvalue()


def _tick_number(value: float, _position: int | None = None) -> str:
    # Ticks are floats a locator computed (0.30000000000000004): round them first.
    return formats.number(Decimal(str(round(value, 6))).normalize())


def _as_datetime(value: datetime | date, tz: zoneinfo.ZoneInfo) -> datetime:
    if isinstance(value, datetime):
        return value
    return datetime(value.year, value.month, value.day, tzinfo=tz)


def _tick_time(tz: zoneinfo.ZoneInfo, span: timedelta) -> Any:
    def label(value: float, _position: int | None = None) -> str:
        moment = mdates.num2date(value).astimezone(tz)
        if span >= timedelta(days=90):
            return formats.month(moment.date())
        if span >= timedelta(days=3):
            return formats.month_day(moment.date())
        return f"{formats.month_day(moment.date())}\n{moment:%H:%M}"

    return label


@dataclass(frozen=True)
class ChartView:
    """What a page shows for a chart: the image at its drawn size, and its numbers as a
    table one click away (`{% include "core/_chart.html" with chart=… %}`)."""

    src: str
    alt: str
    width_px: int
    height_px: int
    columns: Sequence[str]
    rows: Sequence[Sequence[str]]
