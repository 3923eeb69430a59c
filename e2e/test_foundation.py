"""A person signs in, reads the three clocks, switches language and back, and signs out."""

from __future__ import annotations

import re
from collections.abc import Callable

from playwright.sync_api import Page, expect

from .conftest import sign_in as _sign_in


def test_sign_in_switch_language_read_three_zones_sign_out(
    new_page: Callable[..., Page], make_person: Callable
) -> None:
    make_person("hanako", role="coordinator", org="joint-staff")
    page = new_page()
    _sign_in(page, "hanako")

    expect(page.get_by_role("heading", level=1)).to_contain_text("ようこそ")
    clocks = page.get_by_test_id("clocks")
    expect(clocks.locator(".zone")).to_have_count(3)
    expect(clocks).to_contain_text("日本")
    expect(clocks).to_contain_text("ワシントン州")
    expect(clocks).to_contain_text("ハワイ")
    # One instant, three local times: each zone shows a wall-clock time and its abbreviation.
    for abbreviation in ("JST", "HST"):
        expect(clocks).to_contain_text(abbreviation)
    expect(clocks.locator(".zone-time").first).to_have_text(
        re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d$")
    )

    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")
    expect(clocks).to_contain_text("Washington State")
    expect(page.locator("html")).to_have_attribute("lang", "en")

    page.get_by_role("button", name="日本語").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("ようこそ")

    page.get_by_role("button", name="サインアウト").click()
    expect(page).to_have_url(re.compile(r"/login/"))
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/login/\?next=/"))


def test_a_wrong_password_is_refused_in_the_browser(
    new_page: Callable[..., Page], make_person: Callable
) -> None:
    make_person("hanako")
    page = new_page()
    page.goto("/login/")
    page.get_by_label("ユーザー名").fill("hanako")
    page.get_by_label("パスワード").fill("wrong password")
    page.get_by_role("button", name="サインイン").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "ユーザー名またはパスワードが正しくありません。"
    )


def test_an_api_token_is_issued_in_place_with_htmx(
    new_page: Callable[..., Page], make_person: Callable
) -> None:
    make_person("hanako", role="coordinator")
    page = new_page()
    _sign_in(page, "hanako")
    page.goto("/settings/")
    assert page.evaluate("typeof htmx") == "object"
    page.locator("#id_label").fill("ops script")
    page.get_by_role("button", name="トークンを発行").click()
    expect(page.get_by_test_id("token-secret")).to_have_text(re.compile(r"^kz_"))
    expect(page.locator("#token-panel")).to_contain_text("ops script")
    # Swapped in place: still the settings page, with its other sections around the panel.
    expect(page).to_have_url(re.compile(r"/settings/$"))
    expect(page.get_by_role("heading", name="言語とタイムゾーン")).to_be_visible()
