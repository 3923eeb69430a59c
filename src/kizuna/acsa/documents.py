"""Printable documents and exports: the bilingual order form and claim-occurrence notice as
PDF forms (`paper.Form`), and the order list as XLSX for people (CSV is for machines)."""

from __future__ import annotations

import io
from collections.abc import Iterable

from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext

from kizuna.core import formats
from kizuna.core import selectors as core_selectors
from kizuna.core.models import Nation, Organization, Person
from kizuna.core.paper import Box, Form, Signature, bilingual, when

from .models import Category, ClaimNotice, Delivery, Order, OrderLine, SituationType
from .selectors import marking_label


def _both(show: object) -> str:
    """A label or status in both languages, each read as a word: 受領済み / Receipt signed."""
    with translation.override("ja"):
        ja = str(show() if callable(show) else show)
    with translation.override("en"):
        en = capfirst(str(show() if callable(show) else show))
    return bilingual(ja, en)


def _name(row: Organization | Nation | Category | SituationType) -> str:
    return bilingual(row.name_ja, row.name_en)


def _organization(org: Organization) -> str:
    return f"{_name(org)}\n{_name(org.nation)}"


def _person(person: Person | None) -> str:
    if person is None:
        return ""
    return bilingual(person.display_name_ja, person.display_name_en) or person.username


def _currency(code: str) -> str:
    names = bilingual(formats.currency_name(code, "ja"), formats.currency_name(code, "en"))
    return f"{code} ({names})"


def _line_rows(order: Order, lines: Iterable[OrderLine]) -> list[list[str]]:
    return [
        [
            str(line.position),
            _name(line.category),
            line.description,
            formats.quantity(line.quantity, line.unit),
            formats.money_code(line.unit_price, order.currency),
            formats.money_code(line.amount, order.currency),
            f"{line.delivery_place}\n{line.delivery_date.isoformat()}",
        ]
        for line in lines
    ]


def order_pdf(order: Order) -> bytes:
    """The ACSA order as a form: parties, basis, lines with totals, both authorized
    officials' signature blocks, and each delivery with its receipt."""
    pdf = Form(
        title_ja="物品役務の提供要請",
        title_en="ACSA order: request for supplies or services under the Japan–US "
        "Acquisition and Cross-Servicing Agreement",
        marking=_both(lambda: marking_label(order)),
        number=order.number,
        number_label="番号 / No.",
    )
    pdf.boxes(
        Box("状態 / Status", _both(order.get_status_display)),
        Box(
            "事態・活動の類型 / Situation type",
            _name(order.situation_type),
            2,
        ),
    )
    if core_selectors.illustrative(order):
        pdf.boxes(
            Box("出所 / Provenance", "例示（デモ用に作成）/ Illustrative (made up for the demo)")
        )
    pdf.section("当事者 / Parties")
    pdf.boxes(
        Box("受領側（要請する側）/ Receiving party (ordering)", _organization(order.receiving_org)),
        Box("提供側 / Supplying party", _organization(order.supplying_org)),
    )
    pdf.section("提供の根拠及び決済 / Basis and settlement")
    pdf.boxes(Box("法的根拠 / Legal basis", order.legal_basis))
    pdf.boxes(
        Box("決済方法 / Settlement method", _both(order.get_settlement_method_display), 2),
        Box("通貨 / Currency", _currency(order.currency)),
    )
    pdf.section("明細 / Lines")
    lines = list(order.lines.select_related("category"))
    money = lambda amount: formats.money_code(amount, order.currency)  # noqa: E731
    pdf.ruled_table(
        [
            "番号\nNo.",
            "区分\nCategory",
            "品目\nDescription",
            "数量\nQuantity",
            "単価\nUnit price",
            "金額\nAmount",
            "引渡場所・期日\nDelivery place, date",
        ],
        _line_rows(order, lines),
        widths=(7, 27, 30, 17, 18, 21, 26),
        numeric=(0, 3, 4, 5),
        totals=[
            ("要請額（合計）/ Amount ordered (total)", money(order.amount_ordered)),
            ("引渡済額 / Amount delivered", money(order.amount_delivered)),
            ("決済済額 / Amount settled", money(order.amount_settled)),
            ("未決済残高 / Outstanding balance", money(order.outstanding)),
        ],
    )
    pdf.section("権限を有する担当官の署名 / Signatures of the authorized officials")
    pdf.signatures(
        Signature(
            "受領側：要請 / Receiving party: order",
            _person(order.ordering_official),
            _name(order.receiving_org),
            order.requested_at if order.ordering_official else None,
        ),
        Signature(
            "提供側：受諾 / Supplying party: acceptance",
            _person(order.approving_official),
            _name(order.supplying_org),
            order.accepted_at if order.approving_official else None,
        ),
    )
    deliveries = list(
        Delivery.objects.filter(line__order=order)
        .select_related("line", "recorded_by", "receipt_signed_by")
        .order_by("delivered_on", "id")
    )
    if deliveries:
        pdf.section("引渡し及び受領 / Deliveries and receipts")
        pdf.ruled_table(
            [
                "明細\nLine",
                "引渡日\nDelivered on",
                "数量\nQuantity",
                "金額\nAmount",
                "引渡し（提供側）\nDelivered by (supplying)",
                "受領の署名（受領側）\nReceipt signed by (receiving)",
                "決済期限\nSettlement due",
            ],
            [
                [
                    str(d.line.position),
                    d.delivered_on.isoformat(),
                    formats.quantity(d.quantity, d.line.unit),
                    money(d.amount),
                    f"{_person(d.recorded_by)}\n{when(d.recorded_at)}",
                    f"{_person(d.receipt_signed_by)}\n{when(d.receipt_signed_at)}"
                    if d.receipt_signed_by
                    else "未署名 / Not signed",
                    d.due_on.isoformat(),
                ]
                for d in deliveries
            ],
            widths=(9, 17, 17, 20, 40, 40, 17),
            numeric=(0, 2, 3),
        )
    return pdf.output_bytes()


def claim_notice_pdf(notice: ClaimNotice) -> bytes:
    """債権発生通知書 for the revenue collection officer: the claim a Japanese unit's provision
    gave rise to, with the delivery and the receipt that make it."""
    delivery = notice.delivery
    line = delivery.line
    order = line.order
    pdf = Form(
        title_ja="債権発生通知書",
        title_en="Claim-occurrence notice",
        marking=_both(lambda: marking_label(order)),
        number=order.number,
        number_label="物品役務の提供要請番号 / ACSA order No.",
    )
    pdf.boxes(
        Box("宛先 / To", "歳入徴収官 殿 / The revenue collection officer", 2),
        Box("発行日時 / Issued", when(notice.issued_at)),
    )
    pdf.boxes(
        Box(
            "通知する部隊（提供側）/ Notifying unit (supplying party)",
            _organization(order.supplying_org),
        ),
        Box("権限を有する担当官 / Authorized official", _person(order.approving_official) or "—"),
    )
    pdf.paragraph(
        "下記のとおり、日米物品役務相互提供協定に基づく物品又は役務の提供により債権が発生した"
        "ので通知します。\nThis notifies you of a claim arising from the provision of "
        "supplies or services under the Japan–US Acquisition and Cross-Servicing Agreement, "
        "as follows."
    )
    pdf.section("記 / Particulars")
    pdf.boxes(
        Box("債務者（受領側）/ Debtor (receiving party)", _organization(order.receiving_org)),
        Box("物品役務の提供要請 / ACSA order", order.number),
    )
    pdf.boxes(
        Box("事態・活動の類型 / Situation type", _name(order.situation_type)),
        Box("決済方法 / Settlement method", _both(order.get_settlement_method_display)),
    )
    claim = formats.money_code(notice.amount, notice.currency)
    pdf.ruled_table(
        [
            "区分\nCategory",
            "品目\nDescription",
            "引渡日\nDelivered on",
            "数量\nQuantity",
            "単価\nUnit price",
            "金額\nAmount",
        ],
        [
            [
                _name(line.category),
                line.description,
                delivery.delivered_on.isoformat(),
                formats.quantity(delivery.quantity, line.unit),
                formats.money_code(line.unit_price, order.currency),
                formats.money_code(delivery.amount, order.currency),
            ]
        ],
        widths=(30, 40, 19, 21, 21, 25),
        numeric=(3, 4, 5),
        totals=[("債権額 / Amount of the claim", claim)],
    )
    pdf.boxes(
        Box("債権額 / Amount of the claim", claim, large=True),
        Box("通貨 / Currency", _currency(notice.currency)),
        Box(
            "決済期限 / Settlement due",
            f"{notice.due_on.isoformat()}\n引渡しの日から12か月以内\nwithin 12 months of delivery",
        ),
    )
    pdf.section("引渡し及び受領 / Delivery and receipt")
    pdf.signatures(
        Signature(
            "提供側：引渡し / Supplying party: delivery",
            _person(delivery.recorded_by),
            _name(order.supplying_org),
            delivery.recorded_at,
        ),
        Signature(
            "受領側：受領 / Receiving party: receipt",
            _person(delivery.receipt_signed_by),
            _name(order.receiving_org),
            delivery.receipt_signed_at,
        ),
    )
    return pdf.output_bytes()


# The CSV export is for machines: codes and plain ISO numbers, its header stable across
# languages. The XLSX export is for people: the same orders in the reader's language.
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


def _people_columns() -> list[str]:
    return [
        gettext("ACSA order"),
        gettext("Status"),
        gettext("Supplying unit"),
        gettext("Receiving unit"),
        gettext("Situation"),
        gettext("Currency"),
        gettext("Amount ordered"),
        gettext("Amount delivered"),
        gettext("Amount settled"),
        gettext("Outstanding balance"),
    ]


def orders_xlsx(orders: Iterable[Order], into: io.BufferedIOBase) -> None:
    """The orders for people, in the reader's language: statuses as words, units and
    situations by name, amounts as numbers shown in their currency's minor units with
    separators (a spreadsheet still sums them). Write-only: rows go out as they come,
    whatever the number of orders."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    book = Workbook(write_only=True)
    sheet = book.create_sheet(gettext("ACSA orders"))
    for column, width in zip("ABCDEFGHIJ", (14, 18, 30, 30, 30, 8, 16, 16, 16, 16), strict=True):
        sheet.column_dimensions[column].width = width
    heading = []
    for title in _people_columns():
        cell = WriteOnlyCell(sheet, value=title)
        cell.font = Font(bold=True)
        heading.append(cell)
    sheet.append(heading)
    made_up = core_selectors.illustrative_ids(Order)
    for order in orders:
        amounts = []
        for amount in (
            order.amount_ordered,
            order.amount_delivered,
            order.amount_settled,
            order.outstanding,
        ):
            cell = WriteOnlyCell(sheet, value=amount)
            cell.number_format = formats.spreadsheet_format(order.currency)
            amounts.append(cell)
        sheet.append(
            [
                f"{order.number} ({gettext('illustrative')})"
                if str(order.pk) in made_up
                else order.number,
                capfirst(order.get_status_display()),
                order.supplying_org.name,
                order.receiving_org.name,
                order.situation_type.name,
                order.currency,
                *amounts,
            ]
        )
    book.save(into)
