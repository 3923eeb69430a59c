"""The printable order form and claim notice keep their Japanese text (read back with
pdftotext), the XLSX export opens, the balance chart draws, all behind the order policy."""

from __future__ import annotations

import io
import shutil
import subprocess
from decimal import Decimal

import pytest
from django.test import Client
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
    response = client.get(f"/acsa/orders/{received.pk}.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = _text(response.content)
    for words in (
        "物品役務の提供要請",
        "燃料・油脂・潤滑油",
        "警戒監視活動",
        "承認権者の署名",
        "Approving official",
    ):
        assert words in text, words


def test_the_claim_notice_is_issued_when_a_japanese_provision_is_received(
    client: Client, cast: Cast, received: Order
) -> None:
    notice = ClaimNotice.objects.get(delivery__line__order=received)
    assert notice.amount == received.amount_delivered
    client.force_login(cast.jp_approving)
    text = _text(client.get(f"/acsa/claim-notices/{notice.pk}.pdf").content)
    assert "債権発生通知書" in text
    assert "歳入徴収官" in text
    assert "120000.00 JPY" in text
    client.force_login(official("coord", nation="JPN", org="mod", role=Role.COORDINATOR))
    assert client.get(f"/acsa/claim-notices/{notice.pk}.pdf").status_code == 404


def test_xlsx_export_and_balance_chart(client: Client, cast: Cast, received: Order) -> None:
    client.force_login(cast.us_approving)
    response = client.get("/acsa/orders.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.values)
    assert rows[0][0] == "number"
    assert rows[1][0] == received.number
    assert Decimal(str(rows[1][-1])) == Decimal(120000)
    csv = b"".join(client.get("/acsa/orders.csv").streaming_content).decode()
    assert received.number in csv
    chart = client.get("/acsa/balances.svg")
    assert chart.status_code == 200
    assert chart.content.startswith(b"<?xml")
    assert b"<svg" in chart.content


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
