"""The order form and the claim-occurrence notice read as the forms they replace: rendered to
images (pdftoppm) and read back as text (pdftotext), they carry bilingual labels, words
instead of codes, amounts in their currency's units, both officials' names and signing times
in JST with the DTG, the marking at the top and bottom of every page, and page numbers."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.test import Client
from PIL import Image

from kizuna.acsa import services
from kizuna.acsa.models import ClaimNotice, Order
from kizuna.core.models import Person

from .factories import Cast, accepted, deliver, draft, fuel_line, make_cast

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        not (shutil.which("pdftotext") and shutil.which("pdftoppm")),
        reason="poppler-utils (pdftotext, pdftoppm) is not installed",
    ),
]

DTG = re.compile(r"\d{6}Z[A-Z]{3}\d\d")
MARKING = "Releasable to JPN, USA"


def _named(person: Person, ja: str, en: str) -> None:
    person.display_name_ja, person.display_name_en = ja, en
    person.save(update_fields=["display_name_ja", "display_name_en"])


@pytest.fixture
def received() -> tuple[Cast, Order]:
    cast = make_cast()
    _named(cast.us_ordering, "ジョン・ミラー", "John Miller")
    _named(cast.jp_approving, "佐藤 花子", "Hanako Sato")
    _named(cast.jp_logistics, "鈴木 一郎", "Ichiro Suzuki")
    _named(cast.us_logistics, "マイケル・ブラウン", "Michael Brown")
    order = accepted(cast, fuel_line("48000", "98.50"))
    delivery = deliver(cast, order, "48000")
    services.receipt_sign(order=order, delivery=delivery, actor=cast.us_logistics)
    order.refresh_from_db()
    return cast, order


def _pages_text(pdf: bytes) -> list[str]:
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    return [page for page in text.split("\f") if page.strip()]


def _images(pdf: bytes, into: Path) -> list[Path]:
    source = into / "form.pdf"
    source.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(source), str(into / "page")], check=True)
    return sorted(into.glob("page-*.png"))


def _looks_like_a_form(page: Path) -> None:
    """Not blank, and ruled: many dark pixels, and the marking's red at top and bottom."""
    image = Image.open(page).convert("RGB")
    width, height = image.size
    pixels = image.load()
    dark = sum(
        1 for x in range(0, width, 2) for y in range(0, height, 2) if sum(pixels[x, y]) < 450
    )
    assert dark > width * height / 4 * 0.01, f"{page.name} is nearly blank"

    def red_in(rows: range) -> bool:
        return any(
            pixels[x, y][0] > 90 and pixels[x, y][1] < 80 and pixels[x, y][2] < 80
            for y in rows
            for x in range(width // 3, 2 * width // 3)
        )

    assert red_in(range(0, height // 8)), f"{page.name}: no marking at the top"
    assert red_in(range(height - height // 8, height)), f"{page.name}: no marking at the bottom"


def _no_codes(text: str) -> None:
    assert "received" not in text  # the status key, instead of 受領署名済み / Receipt signed
    assert "currency" not in text.replace("Reimbursement in currency", "")
    for code in ("petroleum", "warning-and-surveillance", "jpn-j1", "usa-u1"):
        assert code not in text, code
    assert not re.search(r"\d\d:\d\d:\d\d", text), "a time with seconds or microseconds"
    assert "+00:00" not in text
    assert not re.search(r"\d{5,}\.\d\d", text), "an amount without separators"


def test_the_order_form_is_a_bilingual_form_with_both_signatures(
    client: Client, received: tuple[Cast, Order], tmp_path: Path
) -> None:
    cast, order = received
    client.force_login(cast.jp_approving)
    pdf = client.get(f"/acsa/orders/{order.public_id}.pdf").content
    pages = _pages_text(pdf)
    text = "\n".join(pages)
    for label in (
        "物品役務の提供要請",
        "ACSA order",
        "受領側（要請する側）/ Receiving party (ordering)",
        "提供側 / Supplying party",
        "権限を有する担当官の署名 / Signatures of the authorized officials",
        "事態・活動の類型 / Situation type",
        "明細 / Lines",
        "決済方法 / Settlement method",
        "要請額（合計）/ Amount ordered (total)",
        "未決済残高 / Outstanding balance",
    ):
        assert label in text, label
    # Words, not codes, in both languages.
    assert "受領署名済み / Receipt signed" in text
    assert "通貨による償還 / Reimbursement in currency" in text
    assert "警戒監視活動 / Warning and surveillance activities" in text
    assert "燃料・油脂・潤滑油" in text  # in a table cell, wrapped
    assert "Petroleum, oils" in text
    _no_codes(text)
    # Yen without decimals, with separators; a sub-yen unit price as stored.
    assert re.search(r"JPY\s4,728,000", text)  # 48,000 L at ¥98.50
    assert re.search(r"JPY\s98\.5\b", text)
    assert "48,000 L" in text
    # Both officials, named, with the time each signed in JST and its DTG.
    assert "ジョン・ミラー / John Miller" in text
    assert "佐藤 花子 / Hanako Sato" in text
    signed = re.findall(r"\d{4}-\d\d-\d\d \d\d:\d\d JST \((\d{6}Z[A-Z]{3}\d\d)\)", text)
    assert len(signed) >= 2
    # The delivery and its receipt, signed by the receiving side (in a table cell, wrapped).
    assert "マイケル・ブラウン" in text
    # Every page: the marking at top and bottom, its number.
    images = _images(pdf, tmp_path)
    assert len(images) == len(pages)
    for number, (page, image) in enumerate(zip(pages, images, strict=True), start=1):
        lines = [line for line in page.splitlines() if line.strip()]
        assert MARKING in lines[0]
        assert MARKING in lines[-1]
        assert re.search(rf"\b{number}\s*/\s*{len(pages)}\b", page)
        _looks_like_a_form(image)


def test_the_claim_notice_is_addressed_and_signed_for_delivery_and_receipt(
    client: Client, received: tuple[Cast, Order], tmp_path: Path
) -> None:
    cast, order = received
    notice = ClaimNotice.objects.get(delivery__line__order=order)
    client.force_login(cast.jp_approving)
    pdf = client.get(f"/acsa/claim-notices/{notice.public_id}.pdf").content
    pages = _pages_text(pdf)
    assert len(pages) == 1
    text = pages[0]
    for label in (
        "債権発生通知書",
        "Claim-occurrence notice",
        "歳入徴収官 殿 / The revenue collection officer",
        "債権額 / Amount of the claim",
        "決済期限 / Settlement due",
        "引渡しの日から12か月以内",
        "within 12 months of delivery",
        "債務者（受領側）/ Debtor (receiving party)",
        "発行日時 / Issued",
    ):
        assert label in text, label
    _no_codes(text)
    assert re.search(r"JPY\s4,728,000", text)
    assert "JPY (日本円 / Japanese Yen)" in text
    assert order.number in text
    # Who delivered and who signed the receipt, with when.
    assert "鈴木 一郎 / Ichiro Suzuki" in text
    assert "マイケル・ブラウン / Michael Brown" in text
    assert re.search(r"\b1\s*/\s*1\b", text)  # page 1 of 1
    assert len(DTG.findall(text)) >= 3  # issued, delivered, received (and printed)
    (image,) = _images(pdf, tmp_path)
    _looks_like_a_form(image)


def test_an_unsigned_order_says_so_in_its_signature_block(
    client: Client, received: tuple[Cast, Order]
) -> None:
    cast, _order = received
    order = draft(cast)
    client.force_login(cast.us_ordering)
    text = "\n".join(_pages_text(client.get(f"/acsa/orders/{order.public_id}.pdf").content))
    assert text.count("未署名 / Not signed") == 2
    assert "下書き / Draft" in text
