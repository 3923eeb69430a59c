"""Search across the two languages through the bilingual glossary, on both engines."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client, RequestFactory
from django.utils import translation

from kizuna.core.admin import site
from kizuna.core.models import AuditEvent, Person, Role
from kizuna.sharing import search, selectors
from kizuna.sharing.admin import GlossaryTermAdmin
from kizuna.sharing.models import GlossaryTerm
from kizuna.sharing.selectors import ItemFilters

pytestmark = pytest.mark.django_db

GLOSSARY_DOC = Path(__file__).resolve().parents[2] / "docs" / "sources" / "glossary.md"
NANKAI = "南海トラフ地震を想定した日米共同対処の調整事項"


def _titles(person: Person, q: str) -> list[str]:
    page = selectors.item_page(person=person, filters=ItemFilters(q=q))
    return [row.title_ja or row.title_en for row in page.rows]


@pytest.fixture
def reports(jp_info: Person, us_info: Person, share: Callable) -> None:
    share(jp_info, NANKAI, body="大規模災害時の日米共同調整所の設置について整理した。")
    share(jp_info, "宇宙状況監視の現状", body="静止軌道の監視。")
    share(
        us_info,
        "Ballistic missile launch detected",
        body="Sensors tracked the launch.",
        language="en",
        level="usa-u1",
    )
    share(us_info, "Fuel provided at Misawa", body="JP-8 delivered.", language="en", level="usa-u1")


def test_an_english_query_finds_a_report_written_only_in_japanese(
    us_info: Person, reports: None
) -> None:
    assert _titles(us_info, "earthquake") == [NANKAI]
    assert _titles(us_info, "Nankai Trough") == [NANKAI]
    assert _titles(us_info, "EARTHQUAKES") == [NANKAI]  # case and plural fold
    assert _titles(us_info, "space") == ["宇宙状況監視の現状"]


def test_a_japanese_query_finds_a_report_written_only_in_english(
    jp_info: Person, reports: None
) -> None:
    assert _titles(jp_info, "弾道ミサイル") == ["Ballistic missile launch detected"]
    assert _titles(jp_info, "燃料") == ["Fuel provided at Misawa"]
    # Without the glossary's row the English report is out of reach.
    GlossaryTerm.objects.filter(name_ja="燃料").delete()
    assert _titles(jp_info, "燃料") == []


def test_every_concept_still_has_to_match(jp_info: Person, reports: None) -> None:
    assert _titles(jp_info, "燃料 Misawa") == ["Fuel provided at Misawa"]
    assert _titles(jp_info, "燃料 Okinawa") == []
    assert _titles(jp_info, "地震 日米共同調整所") == [NANKAI]


def test_the_expansion_keeps_the_access_filter(
    jp_info: Person, us_info: Person, share: Callable
) -> None:
    share(jp_info, "地震の被害（国内限り）", releasable_to=("national_only",))
    share(jp_info, "地震の被害（共有）")
    assert _titles(us_info, "earthquake") == ["地震の被害（共有）"]
    assert selectors.item_count(person=us_info, filters=ItemFilters(q="earthquake")) == 1
    assert selectors.item_page(person=us_info, filters=ItemFilters(q="earthquake")).count == 1
    assert selectors.item_count(person=jp_info, filters=ItemFilters(q="earthquake")) == 2


def test_a_reader_who_may_see_no_marking_gets_an_empty_page(
    jp_info: Person, us_info: Person, share: Callable
) -> None:
    share(jp_info, "地震の被害（国内限り）", releasable_to=("national_only",))
    page = selectors.item_page(person=us_info, filters=ItemFilters(q="earthquake"))
    assert (page.rows, page.count) == ([], 0)


def test_the_page_counts_exactly_what_it_ranks(jp_info: Person, share: Callable) -> None:
    for n in range(7):
        share(jp_info, f"地震の報告{n}")
    page = selectors.item_page(person=jp_info, filters=ItemFilters(q="earthquake"), size=3)
    assert (len(page.rows), page.count, page.count_capped) == (3, 7, False)
    last = selectors.item_page(person=jp_info, filters=ItemFilters(q="地震"), page=3, size=3)
    assert (len(last.rows), last.count) == (1, 7)
    past = selectors.item_page(person=jp_info, filters=ItemFilters(q="地震"), page=5, size=3)
    assert (past.rows, past.count) == ([], 7)


def test_the_query_tree_is_an_and_of_alternatives() -> None:
    glossary = [("弾道ミサイル", "ballistic missile"), ("地震", "earthquake")]
    query = search.parse("Ballistic missiles 日本", glossary)
    assert search._tsquery(query.root) == (  # type: ignore[arg-type]
        "(((('ballistic') & ('missiles')) | ('弾道' <-> '道ミ' <-> 'ミサ' <-> 'サイ' <-> 'イル'))"
        " & ('日本'))"
    )
    assert [(e.said, e.means) for e in query.expansions] == [("ballistic missile", "弾道ミサイル")]
    inside = search.parse("南海地震", glossary)
    assert search._fts5_query(inside.root) == '("南海 海地 地震" OR "earthquake")'  # type: ignore[arg-type]
    phrase = search.parse("地震", glossary)
    assert search._tsquery(phrase.root) == "(('地震') | ('earthquake'))"  # type: ignore[arg-type]


def test_too_many_terms_after_expansion_are_refused_in_the_readers_language() -> None:
    with translation.override("en"), pytest.raises(ValidationError, match="too long"):
        search.parse("地震" * 101, [("地震", "earthquake")])
    with translation.override("ja"), pytest.raises(ValidationError, match="長すぎ"):
        search.parse("地震" * 101, [("地震", "earthquake")])
    glossary = [(f"訳語{n}", "missile") for n in range(60)]
    with translation.override("en"), pytest.raises(ValidationError, match="glossary"):
        search.parse("missile", glossary)
    with translation.override("ja"), pytest.raises(ValidationError, match="用語集"):
        search.parse("missile", glossary)


def test_the_results_say_which_terms_matched_in_the_readers_language(
    client: Client, us_info: Person, jp_info: Person, reports: None
) -> None:
    client.force_login(us_info)
    html = client.get("/sharing/", {"q": "earthquake"}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    matched = re.search(r'data-testid="matched-terms">(.*?)</p>', html, re.S)
    assert matched is not None
    assert "Found through the glossary" in matched.group(1)
    assert "地震" in matched.group(1)
    assert "<mark>地震</mark>" in html
    client.force_login(jp_info)
    html = client.get("/sharing/", {"q": "燃料"}).content.decode()
    matched = re.search(r'data-testid="matched-terms">(.*?)</p>', html, re.S)
    assert matched is not None
    assert "用語集" in matched.group(1)
    assert "fuel" in matched.group(1).lower()


def test_a_query_refused_after_expansion_changes_nothing_on_the_page(
    client: Client, jp_info: Person, reports: None
) -> None:
    for n in range(60):
        GlossaryTerm.objects.create(name_ja=f"訳語{n}", name_en="fuel", source="test")
    client.force_login(jp_info)
    html = client.get("/sharing/", {"q": "fuel"}).content.decode()
    assert "用語集" in html
    assert 'data-testid="results"' not in html


def test_the_seeded_glossary_cites_a_source_for_every_row_and_holds_the_glossarys_terms() -> None:
    rows = list(GlossaryTerm.objects.all())
    assert len(rows) > 50
    assert all(row.source.strip() for row in rows)
    words = {(row.name_ja, row.name_en) for row in rows}
    assert {
        ("地震", "earthquake"),
        ("弾道ミサイル", "ballistic missile"),
        ("燃料", "fuel"),
    } <= words
    assert ("南海トラフ", "Nankai Trough") in words
    glossary = GLOSSARY_DOC.read_text(encoding="utf-8").casefold()
    for row in rows:
        if "glossary.md" in row.source:
            assert row.name_ja.casefold() in glossary, row.name_ja
            assert row.name_en.casefold() in glossary, row.name_en


def test_a_row_without_a_source_or_a_side_is_refused() -> None:
    for values in (
        {"name_ja": "試験", "name_en": "test", "source": ""},
        {"name_ja": "", "name_en": "test", "source": "x"},
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            GlossaryTerm.objects.create(**values)
    term = GlossaryTerm(name_ja="！？", name_en="ok", source="x")
    with translation.override("en"), pytest.raises(ValidationError, match="search can find"):
        term.full_clean()


def test_administrators_edit_the_glossary_in_the_back_office_audited(
    make_person: Callable[..., Person], us_info: Person, reports: None
) -> None:
    admin_person = make_person("admin", role=Role.ADMINISTRATOR)
    client = Client()
    client.force_login(admin_person)
    added = client.post(
        "/admin/sharing/glossaryterm/add/",
        {"name_ja": "調整事項", "name_en": "coordination items", "source": "liaison usage"},
    )
    assert added.status_code == 302
    term = GlossaryTerm.objects.get(name_en="coordination items")
    event = AuditEvent.objects.filter(action="admin.add").latest("id")
    assert (event.actor, event.after["name_en"]) == (admin_person, "coordination items")
    assert _titles(us_info, "coordination items") == [NANKAI]
    deleted = client.post(f"/admin/sharing/glossaryterm/{term.pk}/delete/", {"post": "yes"})
    assert deleted.status_code == 302
    assert AuditEvent.objects.filter(action="admin.delete").exists()
    assert _titles(us_info, "coordination items") == []
    request = RequestFactory().post("/admin/sharing/glossaryterm/add/")
    model_admin = GlossaryTermAdmin(GlossaryTerm, site)
    assert site.is_registered(GlossaryTerm)
    for who in (us_info, AnonymousUser()):
        request.user = who
        assert not model_admin.has_add_permission(request)
        assert not model_admin.has_change_permission(request)


def test_the_api_says_what_the_glossary_added(
    client: Client, us_info: Person, reports: None
) -> None:
    client.force_login(us_info)
    page = client.get("/api/sharing/items", {"q": "earthquake"}).json()
    assert [i["title_ja"] for i in page["items"]] == [NANKAI]
    assert page["searched_also"] == [{"said": "earthquake", "means": "地震"}]
    assert (page["count"], page["count_capped"]) == (1, False)
