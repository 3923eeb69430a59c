"""Printable documents and exports: the bilingual order form and claim-occurrence notice as
PDF (IPAex Gothic embedded, so the Japanese text is real text a reader can copy and search),
and the order list as XLSX."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterable
from pathlib import Path

import matplotlib_fontja
from fpdf import FPDF

from kizuna.core.models import Person

from .models import ClaimNotice, Order
from .selectors import marking_label

FONT = Path(matplotlib_fontja.__file__).parent / "fonts" / "ipaexg.ttf"
# fpdf2 subsets the font through fontTools, which reports every table it prunes.
logging.getLogger("fontTools.subset").setLevel(logging.WARNING)


class _Form(FPDF):
    """A bilingual form whose every page carries the order's marking at its top and bottom,
    as a marked paper document does."""

    def __init__(self, title_ja: str, title_en: str, marking: str) -> None:
        super().__init__(format="A4")
        self.marking = marking
        self.add_font("ipaexg", fname=str(FONT))
        self.set_auto_page_break(auto=True, margin=20)
        self.add_page()
        self.set_font("ipaexg", size=16)
        self.cell(0, 10, title_ja, new_x="LMARGIN", new_y="NEXT")
        self.set_font("ipaexg", size=11)
        self.cell(0, 7, title_en, new_x="LMARGIN", new_y="NEXT")
        self.ln(4)

    def _banner(self) -> None:
        self.set_font("ipaexg", size=9)
        self.set_text_color(122, 28, 28)
        self.cell(0, 6, self.marking, border=1, align="C", new_x="LMARGIN", new_y="NEXT")
        self.set_text_color(0, 0, 0)

    def header(self) -> None:
        self._banner()
        self.ln(2)

    def footer(self) -> None:
        self.set_y(-15)
        self._banner()

    def field(self, label_ja: str, label_en: str, value: object) -> None:
        self.set_font("ipaexg", size=8)
        self.cell(0, 5, f"{label_ja} / {label_en}", new_x="LMARGIN", new_y="NEXT")
        self.set_font("ipaexg", size=11)
        self.multi_cell(0, 6, str(value) if value not in (None, "") else "—")
        self.ln(1)

    def output_bytes(self) -> bytes:
        return bytes(self.output())


def _signature(person: Person | None, at: object) -> str:
    if person is None:
        return "—"
    return f"{person.display_name_ja or person.username} / {person.display_name_en} · {at}"


def order_pdf(order: Order) -> bytes:
    pdf = _Form("物品役務の提供要請", f"ACSA order {order.number}", marking_label(order))
    pdf.field("番号", "Number", order.number)
    pdf.field("状態", "Status", order.status)
    pdf.field(
        "提供部隊",
        "Supplying unit",
        f"{order.supplying_org.name_ja} / {order.supplying_org.name_en}",
    )
    pdf.field(
        "受領部隊",
        "Receiving unit",
        f"{order.receiving_org.name_ja} / {order.receiving_org.name_en}",
    )
    pdf.field(
        "事態", "Situation", f"{order.situation_type.name_ja} / {order.situation_type.name_en}"
    )
    pdf.field("法的根拠", "Legal basis", order.legal_basis)
    pdf.field("決済方法", "Settlement method", order.settlement_method)
    for line in order.lines.select_related("category"):
        pdf.field(
            f"明細 {line.position}",
            f"Line {line.position}",
            f"{line.category.name_ja} / {line.category.name_en}: {line.description}\n"
            f"{line.quantity} {line.unit} × {line.unit_price} {order.currency} = "
            f"{line.amount} {order.currency}\n"
            f"{line.delivery_place}, {line.delivery_date}",
        )
    pdf.field("要請額", "Amount ordered", f"{order.amount_ordered} {order.currency}")
    pdf.field(
        "要請権者の署名",
        "Ordering official's signature",
        _signature(order.ordering_official, order.requested_at),
    )
    pdf.field(
        "承認権者の署名",
        "Approving official's signature",
        _signature(order.approving_official, order.accepted_at),
    )
    return pdf.output_bytes()


def claim_notice_pdf(notice: ClaimNotice) -> bytes:
    delivery = notice.delivery
    order = delivery.line.order
    pdf = _Form("債権発生通知書", "Claim-occurrence notice", marking_label(order))
    pdf.field("宛先", "To", "歳入徴収官 / Revenue collection officer")
    pdf.field(
        "提供部隊",
        "Providing unit",
        f"{order.supplying_org.name_ja} / {order.supplying_org.name_en}",
    )
    pdf.field("債務者", "Debtor", f"{order.receiving_org.name_ja} / {order.receiving_org.name_en}")
    pdf.field("提供要請", "ACSA order", order.number)
    pdf.field(
        "品目",
        "Goods or services",
        f"{delivery.line.category.name_ja}: {delivery.line.description}",
    )
    pdf.field("引渡日", "Delivered on", delivery.delivered_on)
    pdf.field("債権額", "Amount of the claim", f"{notice.amount} {notice.currency}")
    pdf.field("決済期限", "Settlement due", f"{notice.due_on}（引渡しの日から12か月以内）")
    pdf.field("発行", "Issued", notice.issued_at)
    return pdf.output_bytes()


EXPORT_COLUMNS = (
    "number",
    "status",
    "supplying",
    "receiving",
    "situation",
    "currency",
    "ordered",
    "delivered",
    "settled",
    "outstanding",
)


def order_row(order: Order) -> list[object]:
    return [
        order.number,
        order.status,
        order.supplying_org.code,
        order.receiving_org.code,
        order.situation_type.code,
        order.currency,
        order.amount_ordered,
        order.amount_delivered,
        order.amount_settled,
        order.outstanding,
    ]


def orders_xlsx(orders: Iterable[Order], into: io.BufferedIOBase) -> None:
    """Write-only workbook: rows go out as they come, whatever the number of orders."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("orders")
    sheet.append(list(EXPORT_COLUMNS))
    for order in orders:
        sheet.append(order_row(order))
    book.save(into)
