"""A bilingual paper form in fpdf2, laid out as the forms it replaces: the marking banner at
the top and bottom of every page, a title block with the document's number, labelled boxes,
tables with totals, signature blocks, and page numbers with the time it was printed.

Every label is Japanese first, then English (区分 / Category). IPAex Gothic is embedded, so
the text is real text a reader can copy and search (and pdftotext reads back).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import matplotlib_fontja
from django.utils import timezone
from fpdf import FPDF, FontFace
from fpdf.enums import TableBordersLayout

from kizuna.core import formats

FONT = Path(matplotlib_fontja.__file__).parent / "fonts" / "ipaexg.ttf"
# fpdf2 subsets the font through fontTools, which reports every table it prunes.
logging.getLogger("fontTools.subset").setLevel(logging.WARNING)

# Paper is read in Japan's time, with the Zulu DTG beside it.
PAPER_ZONE = "Asia/Tokyo"
INK = (29, 39, 51)
MUTED = (91, 102, 115)
RULE = (120, 130, 140)
SHADE = (236, 240, 245)
MARKING_RED = (122, 28, 28)
LABEL_PT, VALUE_PT = 7, 9.5


@dataclass(frozen=True)
class Box:
    """A labelled box: 区分 / Category above its value; `share` of the row's width."""

    label: str
    value: str
    share: float = 1.0
    large: bool = False


@dataclass(frozen=True)
class Signature:
    """An official's signature block: who signed, for which unit, and when (None: unsigned)."""

    title: str
    name: str
    unit: str
    at: datetime | None


def bilingual(ja: str, en: str) -> str:
    return ja if not en or ja == en else f"{ja} / {en}"


def when(at: datetime | None) -> str:
    return formats.instant(at, PAPER_ZONE) if at else "—"


class Form(FPDF):
    """An A4 form whose every page carries the marking at its top and bottom and its page
    number and printing time at the foot."""

    def __init__(
        self, *, title_ja: str, title_en: str, marking: str, number: str, number_label: str
    ) -> None:
        super().__init__(format="A4")
        self.marking = marking
        self.printed = when(timezone.now())
        self.add_font("ipaexg", fname=str(FONT))
        self.set_margins(15, 12, 15)
        self.set_auto_page_break(auto=True, margin=24)
        self.set_draw_color(*RULE)
        self.set_text_color(*INK)
        self.add_page()
        self._title(title_ja, title_en, number, number_label)

    # --- every page ----------------------------------------------------------------------

    def _banner(self) -> None:
        self.set_font("ipaexg", size=8.5)
        self.set_text_color(*MARKING_RED)
        self.set_draw_color(*MARKING_RED)
        self.multi_cell(0, 5, self.marking, border=1, align="C", new_x="LMARGIN", new_y="NEXT")
        self.set_draw_color(*RULE)
        self.set_text_color(*INK)

    def header(self) -> None:
        self._banner()
        self.ln(3)

    def footer(self) -> None:
        self.set_y(-21)
        self.set_font("ipaexg", size=7.5)
        self.set_text_color(*MUTED)
        self.cell(0, 4, f"印刷日時 / Printed: {self.printed}", new_x="LMARGIN")
        self.cell(0, 4, f"{self.page_no()} / {{nb}}", align="R", new_x="LMARGIN", new_y="NEXT")
        self.ln(1)
        self._banner()

    # --- blocks --------------------------------------------------------------------------

    def _title(self, title_ja: str, title_en: str, number: str, number_label: str) -> None:
        top = self.get_y()
        width = self.epw * 0.62
        self.set_font("ipaexg", size=18)
        self.cell(width, 10, title_ja, new_x="LMARGIN", new_y="NEXT")
        self.set_font("ipaexg", size=10.5)
        self.set_text_color(*MUTED)
        self.multi_cell(width, 5, title_en, align="L", new_x="LMARGIN", new_y="NEXT")
        self.set_text_color(*INK)
        bottom = self.get_y()
        self.set_xy(self.l_margin + width + 4, top)
        self._box(Box(number_label, number, large=True), self.epw - width - 4, 15)
        self.set_y(max(bottom, top + 15) + 4)

    def section(self, title: str) -> None:
        """A shaded heading bar: 明細 / Lines; never alone at the foot of a page."""
        self._room_for(36)
        self.ln(1.5)
        self.set_font("ipaexg", size=9.5)
        self.set_fill_color(*SHADE)
        self.cell(0, 6.5, f" {title}", border="B", fill=True, new_x="LMARGIN", new_y="NEXT")
        self.set_fill_color(255)
        self.ln(1.5)

    def paragraph(self, value: str, size: float = VALUE_PT) -> None:
        self.ln(2)
        self.set_font("ipaexg", size=size)
        self.multi_cell(0, size * 0.5, value, align="L", new_x="LMARGIN", new_y="NEXT")
        self.ln(1.5)

    def boxes(self, *row: Box) -> None:
        """One row of labelled boxes, all as tall as the tallest."""
        total = sum(box.share for box in row)
        widths = [self.epw * box.share / total for box in row]
        height = max(self._box_height(box, width) for box, width in zip(row, widths, strict=True))
        self._room_for(height)
        x, y = self.l_margin, self.get_y()
        for box, width in zip(row, widths, strict=True):
            self.set_xy(x, y)
            self._box(box, width, height)
            x += width
        self.set_xy(self.l_margin, y + height)

    def ruled_table(
        self,
        headings: Sequence[str],
        rows: Sequence[Sequence[str]],
        *,
        widths: Sequence[float],
        numeric: Sequence[int] = (),
        totals: Sequence[tuple[str, str]] = (),
    ) -> None:
        """A ruled table whose heading repeats on every page; numeric columns align right;
        totals rows close it, label across the first columns and figure in the last."""
        self.set_font("ipaexg", size=8)
        align = tuple("RIGHT" if i in numeric else "LEFT" for i in range(len(headings)))
        with self.table(
            col_widths=tuple(widths),
            text_align=align,
            line_height=4.6,
            padding=1.2,
            borders_layout=TableBordersLayout.ALL,
            headings_style=FontFace(size_pt=7, fill_color=SHADE, color=INK),
            first_row_as_headings=True,
        ) as table:
            heading = table.row()
            for cell in headings:
                heading.cell(cell)
            for values in rows:
                row = table.row()
                for value in values:
                    row.cell(value)
            for label, figure in totals:
                row = table.row()
                row.cell(label, colspan=len(headings) - 1, align="RIGHT")
                row.cell(figure, align="RIGHT")
        self.ln(2)

    def signatures(self, *blocks: Signature) -> None:
        """The officials' signature blocks side by side: title, name, unit, signing time."""
        width = self.epw / len(blocks)
        rows = [
            [
                Box(block.title, "", 1),
                Box("氏名 / Name", block.name or "—"),
                Box("所属 / Unit", block.unit),
                Box(
                    "署名日時 / Signed",
                    when(block.at) if block.at else "未署名 / Not signed",
                ),
            ]
            for block in blocks
        ]
        heights = [
            max(self._box_height(box, width) for box in (row[i] for row in rows))
            for i in range(1, 4)
        ]
        self._room_for(sum(heights) + 8)
        y = self.get_y()
        for column, (block, row) in enumerate(zip(blocks, rows, strict=True)):
            x = self.l_margin + column * width
            self.set_xy(x, y)
            self.set_font("ipaexg", size=8)
            self.set_fill_color(*SHADE)
            self.multi_cell(width, 7, f" {block.title}", border=1, fill=True)
            self.set_fill_color(255)
            top = y + 7
            for box, height in zip(row[1:], heights, strict=True):
                self.set_xy(x, top)
                self._box(box, width, height)
                top += height
        self.set_xy(self.l_margin, y + 7 + sum(heights) + 2)

    # --- pieces --------------------------------------------------------------------------

    def _box_height(self, box: Box, width: float) -> float:
        size = 12 if box.large else VALUE_PT
        self.set_font("ipaexg", size=size)
        lines = self.multi_cell(
            width - 3, size * 0.5, box.value, align="L", dry_run=True, output="LINES"
        )
        assert isinstance(lines, list)
        return 5 + len(lines) * size * 0.5 + 2

    def _box(self, box: Box, width: float, height: float) -> None:
        x, y = self.get_x(), self.get_y()
        self.rect(x, y, width, height)
        self.set_xy(x + 1.5, y + 1)
        self.set_font("ipaexg", size=LABEL_PT)
        self.set_text_color(*MUTED)
        self.cell(width - 3, 3.5, box.label)
        self.set_text_color(*INK)
        size = 12 if box.large else VALUE_PT
        self.set_font("ipaexg", size=size)
        self.set_xy(x + 1.5, y + 5)
        self.multi_cell(width - 3, size * 0.5, box.value, align="L")

    def _room_for(self, height: float) -> None:
        if self.get_y() + height > self.page_break_trigger:
            self.add_page()

    def output_bytes(self) -> bytes:
        return bytes(self.output())
