"""Signing in with a second factor in both languages; the API docs and the back office work
under the Content-Security-Policy (every browser test fails on a refusal, see conftest)."""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import urlparse

import pytest
from playwright.sync_api import Page, expect

from kizuna.core.models import Role

from .conftest import PASSWORD, sign_in, totp_code_from_page

WORDS = {
    "ja-JP": {
        "enrol": "二要素認証の設定",
        "turn_on": "二要素認証を有効にする",
        "wrong": "コードが一致しません",
        "verify_heading": "二要素認証",
        "verify": "確認する",
        "sign_out": "サインアウト",
        "welcome": "ようこそ",
        "not_correct": "コードが正しくありません",
    },
    "en-US": {
        "enrol": "Set up a second factor",
        "turn_on": "Turn on the second factor",
        "wrong": "That code does not match",
        "verify_heading": "Second factor",
        "verify": "Verify",
        "sign_out": "Sign out",
        "welcome": "Welcome",
        "not_correct": "That code is not correct.",
    },
}


@pytest.mark.parametrize("locale", ["ja-JP", "en-US"])
def test_an_information_manager_enrols_then_signs_in_with_the_app(
    new_page: Callable[..., Page], make_person: Callable, locale: str
) -> None:
    words = WORDS[locale]
    make_person("liaison", role=Role.INFORMATION_MANAGER, org="joint-staff", language=locale[:2])
    page = new_page(locale)
    page.goto("/login/")
    page.locator("input[name=username]").fill("liaison")
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()

    # The role requires a second factor: enrolment first, and no menu to go elsewhere.
    expect(page.get_by_role("heading", level=1)).to_have_text(words["enrol"])
    expect(page.locator("nav.nav")).to_have_count(0)
    expect(page.get_by_test_id("qr").locator("svg")).to_be_visible()
    page.locator("input[name=code]").fill("000000")
    page.get_by_role("button", name=words["turn_on"]).click()
    expect(page.get_by_role("alert")).to_contain_text(words["wrong"])
    page.locator("input[name=code]").fill(totp_code_from_page(page))
    page.get_by_role("button", name=words["turn_on"]).click()
    expect(page.get_by_test_id("recovery-codes").locator("li")).to_have_count(10)
    page.locator("main a.button").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(words["welcome"])

    page.get_by_role("button", name=words["sign_out"]).click()
    page.locator("input[name=username]").fill("liaison")
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(words["verify_heading"])
    page.locator("input[name=code]").fill("999999")
    page.get_by_role("button", name=words["verify"]).click()
    expect(page.get_by_role("alert")).to_contain_text(words["not_correct"])


def test_a_signed_in_person_reads_the_api_docs_from_this_site_alone(
    new_page: Callable[..., Page], make_person: Callable, live_server: object
) -> None:
    make_person("hanako", role=Role.COORDINATOR)
    page = new_page()
    own_host = urlparse(live_server.url).netloc  # type: ignore[attr-defined]
    elsewhere: list[str] = []
    page.on(
        "request",
        lambda request: (
            elsewhere.append(request.url)
            if urlparse(request.url).netloc not in ("", own_host)
            and not request.url.startswith("data:")
            else None
        ),
    )
    page.goto("/api/docs")
    expect(page).to_have_url(re.compile(r"/login/\?next=/api/docs"))
    sign_in(page, "hanako")
    page.goto("/api/docs")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Kizuna API")
    expect(page.locator(".opblock").first).to_be_visible()
    assert elsewhere == []


def test_the_back_office_works_under_the_policy(
    new_page: Callable[..., Page], make_person: Callable
) -> None:
    make_person("admin", role=Role.ADMINISTRATOR, org="mod")
    page = new_page("en-US")
    sign_in(page, "admin")
    page.goto("/admin/")
    expect(page.locator("#site-name")).to_be_visible()
    page.goto("/admin/core/organization/")
    page.get_by_role("link", name="mod", exact=True).click()
    expect(page.locator("input[name=name_en]")).to_have_value("mod unit")
    page.locator("input[name=name_en]").fill("Ministry of Defense")
    page.locator("input[name=_save]").click()
    expect(page.locator(".messagelist")).to_be_visible()
