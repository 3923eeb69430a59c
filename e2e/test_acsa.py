"""An ordering official fills in an order, watches the eligibility answer change as the
situation changes, saves it with the default marking, and downloads the printable form."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Page, expect

from .conftest import sign_in


def test_create_an_order_with_live_eligibility_and_download_its_pdf(
    new_page: Callable[..., Page], make_person: Callable, tmp_path: Path
) -> None:
    make_person(
        "us-ordering", nation="USA", role="ordering_official", org="usfj", clearance="usa-u1"
    )
    make_person(
        "jp-approving", nation="JPN", role="approving_official", org="asdf-6aw", clearance="jpn-j1"
    )
    page = new_page()
    sign_in(page, "us-ordering")
    page.goto("/acsa/orders/new/")

    page.get_by_label("提供部隊").select_option(label="asdf-6aw（部隊）")
    page.get_by_label("受領部隊").select_option(label="usfj（部隊）")
    page.get_by_label("法的根拠").fill("自衛隊法第100条の6")
    page.get_by_label("品目・内容").fill("5.56mm 弾薬 / 5.56 mm ammunition")
    page.get_by_label("数量").fill("1000")
    page.get_by_label("単位", exact=True).fill("発")
    page.get_by_label("単価", exact=True).fill("50")
    page.get_by_label("引渡し場所").fill("矢臼別演習場")
    page.get_by_label("引渡し日").fill("2010-06-01")
    page.get_by_label("区分", exact=True).select_option(label="弾薬")

    answer = page.get_by_test_id("eligibility")
    page.get_by_label("事態").select_option(label="日米二国間訓練")
    expect(answer).to_contain_text("提供不可")
    expect(answer).to_contain_text("Ammunition")
    page.get_by_label("事態").select_option(label="武力攻撃事態")
    expect(answer).to_contain_text("提供可")
    expect(answer).not_to_contain_text("提供不可")
    page.get_by_label("事態").select_option(label="日米二国間訓練")
    expect(answer).to_contain_text("提供不可")

    page.get_by_role("button", name="下書きとして保存").click()
    expect(page).to_have_url(re.compile(r"/acsa/orders/[a-z2-7]{26}/$"))
    expect(page.get_by_test_id("missing")).to_contain_text("受領側の要請権者")
    # No marking chosen: the receiving nation's lowest level, releasable to both.
    for banner in ("marking", "marking-bottom"):
        expect(page.get_by_test_id(banner)).to_have_text("区分U1（管理） · JPN、USAに開示可")

    with page.expect_download() as download:
        page.get_by_test_id("order-pdf").click()
    saved = tmp_path / "order.pdf"
    download.value.save_as(saved)
    assert saved.read_bytes().startswith(b"%PDF")
