"""Two people of different nations search the same word and see different results, and
the shared map shows each only what they may see."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from playwright.sync_api import Page, expect

from kizuna.core.models import Person
from kizuna.sharing import services
from kizuna.sharing.marking import Marking
from kizuna.sharing.models import SharedItem

from .conftest import sign_in as _sign_in


def _cleared(make_person: Callable, username: str, nation: str, level: str) -> Person:
    person = make_person(username, nation=nation, role="information_manager")
    services.clearance_grant(actor=None, person=person, level=level)
    return person


def _contact(author: Person, title: str, releasable_to: tuple[str, ...], lat: float) -> None:
    services.item_create(
        person=author,
        kind=SharedItem.Kind.MARITIME_CONTACT,
        domain="maritime",
        originator=author.memberships.get().organization,
        original_language="ja",
        title=title,
        body="警戒監視中に不明艦艇を確認した。",
        marking=Marking("jpn-j1", releasable_to),
        latitude=lat,
        longitude=129.6,
        observed_at=datetime(2020, 11, 2, tzinfo=UTC),
        observation="艦艇1隻",
    )


def test_two_nations_search_the_same_word_and_see_the_map_each_may_see(
    new_page: Callable[..., Page], make_person: Callable
) -> None:
    japanese = _cleared(make_person, "jp-reader", "JPN", "jpn-j1")
    _cleared(make_person, "us-reader", "USA", "usa-u1")
    _contact(japanese, "対馬海峡の不明艦艇（共有）", ("JPN", "USA"), 34.3)
    _contact(japanese, "東シナ海の不明艦艇（国内限り）", ("national_only",), 29.0)

    jp_page, us_page = new_page(), new_page()
    _sign_in(jp_page, "jp-reader")
    _sign_in(us_page, "us-reader")
    for page in (jp_page, us_page):
        page.goto("/sharing/")
        page.get_by_label("検索").fill("不明艦艇")
        page.get_by_test_id("search").click()

    jp_results = jp_page.get_by_test_id("result-title")
    expect(jp_results).to_have_count(2)
    expect(jp_page.get_by_test_id("results")).to_contain_text("国内限り")
    us_results = us_page.get_by_test_id("result-title")
    expect(us_results).to_have_count(1)
    expect(us_results).to_have_text("対馬海峡の不明艦艇（共有）")
    expect(us_page.get_by_test_id("results")).not_to_contain_text("国内限り")
    expect(us_page.locator("mark").first).to_have_text("不明艦艇")

    jp_page.goto("/sharing/map/")
    us_page.goto("/sharing/map/")
    expect(jp_page.get_by_test_id("map-point")).to_have_count(2)
    expect(us_page.get_by_test_id("map-point")).to_have_count(1)
    expect(us_page.get_by_test_id("map-point")).to_have_attribute(
        "data-title", "対馬海峡の不明艦艇（共有）"
    )
    expect(us_page.get_by_test_id("map").locator("path.land")).to_have_count(1)


def test_an_english_search_finds_the_report_written_only_in_japanese(
    new_page: Callable[..., Page], make_person: Callable
) -> None:
    writer = _cleared(make_person, "jp-writer", "JPN", "jpn-j1")
    reader = make_person("us-reader", nation="USA", role="coordinator", language="en")
    services.clearance_grant(actor=None, person=reader, level="usa-u1")
    services.item_create(
        person=writer,
        kind=SharedItem.Kind.REPORT,
        domain="disaster",
        originator=writer.memberships.get().organization,
        original_language="ja",
        title="南海トラフ地震を想定した日米共同対処の調整事項",
        body="大規模災害時の日米共同調整所の設置について整理した。",
        marking=Marking("jpn-j1", ("JPN", "USA")),
    )

    page = new_page()
    _sign_in(page, "us-reader")
    page.goto("/sharing/")
    page.get_by_label("Search").fill("earthquake")
    page.get_by_test_id("search").click()

    expect(page.get_by_test_id("result-title")).to_have_text(
        "南海トラフ地震を想定した日米共同対処の調整事項"
    )
    expect(page.get_by_test_id("matched-terms")).to_contain_text("Found through the glossary")
    expect(page.get_by_test_id("matched-terms")).to_contain_text("地震")
    expect(page.locator("mark").first).to_have_text("地震")
