"""Resources committed over time, as a server-drawn SVG (matplotlib, no script needed)."""

from __future__ import annotations

import io
from datetime import datetime

import matplotlib_fontja
from django.utils.translation import gettext as _
from matplotlib.figure import Figure  # the object API: no pyplot state, safe across threads

from .selectors import Totals

NATION_COLOURS = {"JPN": "#b22234", "USA": "#17324d"}
matplotlib_fontja.japanize()  # IPAex Gothic, so Japanese labels render


def resources_svg(series: dict[str, list[tuple[datetime, Totals]]]) -> bytes:
    """Three small step charts (personnel, ships, aircraft), one line per nation."""
    figure = Figure(figsize=(9, 2.6), layout="constrained")
    axes = figure.subplots(1, 3)
    measures = (("personnel", _("Personnel")), ("ships", _("Ships")), ("aircraft", _("Aircraft")))
    for ax, (field, title) in zip(axes, measures, strict=True):
        ax.set_title(title, fontsize=10)
        for nation, points in sorted(series.items()):
            ax.step(
                [at for at, _totals in points],
                [getattr(totals, field) for _at, totals in points],
                where="post",
                label=nation,
                color=NATION_COLOURS.get(nation),
            )
        ax.tick_params(labelsize=7)
        ax.tick_params(axis="x", labelrotation=30)
        ax.grid(alpha=0.3)
    if series:
        axes[0].legend(fontsize=8)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="svg")
    return buffer.getvalue()
