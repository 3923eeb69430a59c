"""The printable order form and claim notice keep their Japanese text (read back with
pdftotext), the XLSX export opens, the balance chart draws, all behind the order policy."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import translation
from openpyxl import load_workbook

from kizuna.acsa import services
from kizuna.acsa.models import ClaimNotice, Order
from kizuna.core import services as core_services
from kizuna.core.models import Role

from .factories import Cast, accepted, deliver, make_cast, official

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast() -> Cast:
    return make_cast()


@pytest.fixture
def received(cast: Cast) -> Order:
    order = accepted(cast)
    delivery = deliver(cast, order, "1000")
    services.receipt_sign(order=order, delivery=delivery, actor=cast.us_logistics)
    order.refresh_from_db()
    return order


def _text(pdf: bytes) -> str:
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is not installed")
    return subprocess.run(
        ["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()


def test_the_order_form_pdf_keeps_its_japanese_text(
    client: Client, cast: Cast, received: Order
) -> None:
    client.force_login(cast.jp_logistics)
    response = client.get(f"/acsa/orders/{received.public_id}.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = _text(response.content)
    for words in ("物品役務の提供要請", "燃料・油脂・潤滑油", "警戒監視活動", "権限を有する担当官"):
        assert words in text, words


def test_the_claim_notice_is_issued_when_a_japanese_provision_is_received(
    client: Client, cast: Cast, received: Order
) -> None:
    notice = ClaimNotice.objects.get(delivery__line__order=received)
    assert notice.amount == received.amount_delivered
    client.force_login(cast.jp_approving)
    text = _text(client.get(f"/acsa/claim-notices/{notice.public_id}.pdf").content)
    assert "債権発生通知書" in text
    assert "歳入徴収官" in text
    assert re.search(r"JPY\s120,000", text)
    client.force_login(official("coord", nation="JPN", org="mod", role=Role.COORDINATOR))
    assert client.get(f"/acsa/claim-notices/{notice.public_id}.pdf").status_code == 404


def test_the_xlsx_export_is_for_people_and_the_csv_for_machines(
    client: Client, cast: Cast, received: Order
) -> None:
    client.force_login(cast.us_approving)
    with translation.override("ja"):
        response = client.get("/acsa/orders.xlsx", HTTP_ACCEPT_LANGUAGE="ja")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows())
    assert [c.value for c in rows[0]][:2] == ["物品役務の提供要請", "状態"]
    first = rows[1]
    assert first[0].value == received.number
    assert first[1].value == "受領署名済み"  # the status as a word, not its key
    assert first[4].value == "警戒監視活動"
    # Amounts stay numbers a spreadsheet can sum, shown in yen without decimals.
    assert Decimal(str(first[-1].value)) == Decimal(120000)
    assert first[-1].number_format == "#,##0"
    csv = b"".join(client.get("/acsa/orders.csv").streaming_content).decode()
    header, row = csv.splitlines()[:2]
    assert header.startswith("number,status,supplying")
    assert row.startswith(f"{received.number},received,asdf-6aw,usfj,warning-and-surveillance,JPY")
    assert row.endswith("120000.00")


def test_the_balance_chart_is_drawn_per_currency(
    client: Client, cast: Cast, received: Order
) -> None:
    client.force_login(cast.us_approving)
    chart = client.get("/acsa/balances.svg?currency=JPY")
    assert chart.status_code == 200
    assert chart["Content-Type"] == "image/svg+xml"
    assert b"<svg" in chart.content
    assert client.get("/acsa/balances.svg?currency=XYZ").status_code == 404
    assert client.get("/acsa/balances.svg").status_code == 404


def test_outstanding_balances_by_side_situation_and_category(
    client: Client, cast: Cast, received: Order
) -> None:
    secret = core_services.token_issue(person=cast.jp_approving, label="t").secret
    auth = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    plain = client.get("/api/acsa/reports/outstanding", **auth).json()
    assert plain == [
        {
            "creditor": "JPN",
            "currency": "JPY",
            "breakdown": None,
            "under_6_months": "120000.00",
            "six_to_12_months": "0.00",
            "overdue": "0.00",
            "total": "120000.00",
        }
    ]
    by_situation = client.get("/api/acsa/reports/outstanding?by=situation", **auth).json()
    assert by_situation[0]["breakdown"] == "warning-and-surveillance"
    by_category = client.get("/api/acsa/reports/outstanding?by=category", **auth).json()
    assert by_category[0]["breakdown"] == "petroleum"
    assert client.get("/api/acsa/reports/outstanding?by=colour", **auth).status_code == 422
