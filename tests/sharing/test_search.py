"""Search in Japanese and English on both engines, with the access filter in the query."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from kizuna.core.models import Person
from kizuna.sharing import search, selectors
from kizuna.sharing.selectors import ItemFilters

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def in_english() -> Iterator[None]:
    """The services answer in the reader's language; these tests read English."""
    with translation.override("en"):
        yield


def _titles(person: Person, q: str) -> list[str]:
    return [
        i.title_ja or i.title_en for i in selectors.items(person=person, filters=ItemFilters(q=q))
    ]


def test_grams_cut_japanese_into_bigrams_and_keep_latin_words() -> None:
    assert search.grams("宇宙協力 SM-3ブロックⅡA") == (
        "宇宙 宙協 協力 力 sm 3 ブロ ロッ ック ク iia"
    )


@pytest.fixture
def library(jp_info: Person, share: Callable) -> None:
    share(jp_info, "北朝鮮による弾道ミサイル発射への対処について", body="発射を探知した。")
    share(jp_info, "宇宙状況監視", body="日米で宇宙の情報を共有する。")
    share(jp_info, "燃料の提供", body="情報収集活動中の米軍に燃料を提供した。")
    share(jp_info, "ミサイル艇の動向", body="小型艇。")
    share(jp_info, "Debris warning", body="Space debris near GEO.", language="en")


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("弾道ミサイル", ["北朝鮮による弾道ミサイル発射への対処について"]),
        ("宇宙", ["宇宙状況監視", "Debris warning"]),  # the glossary: 宇宙 is space
        ("燃料", ["燃料の提供"]),
        ("ミサイル", ["北朝鮮による弾道ミサイル発射への対処について", "ミサイル艇の動向"]),
        ("宇", ["宇宙状況監視"]),
        ("DEBRIS", ["Debris warning"]),
        ("ｓｐａｃｅ", ["Debris warning", "宇宙状況監視"]),  # full-width Latin folds
        ("宇宙 共有", ["宇宙状況監視"]),
        ("宇宙 燃料", []),
        ("弾道 対処", ["北朝鮮による弾道ミサイル発射への対処について"]),
        ("道対", []),  # characters that never stand together
    ],
)
def test_words_inside_sentences_are_found(
    jp_info: Person, library: None, q: str, expected: list[str]
) -> None:
    assert sorted(_titles(jp_info, q)) == sorted(expected)


def test_search_counts_and_ranks_only_what_the_reader_may_see(
    jp_info: Person, us_info: Person, share: Callable
) -> None:
    share(jp_info, "弾道ミサイル（国内限り）", releasable_to=("national_only",))
    share(jp_info, "弾道ミサイル（共有）")
    assert _titles(us_info, "弾道ミサイル") == ["弾道ミサイル（共有）"]
    assert selectors.item_count(person=us_info, filters=ItemFilters(q="弾道ミサイル")) == 1
    assert selectors.item_count(person=jp_info, filters=ItemFilters(q="弾道ミサイル")) == 2


def test_a_pathological_query_is_refused_clearly() -> None:
    with pytest.raises(ValidationError, match="too long"):
        search.parse("宇" * 201)
    with pytest.raises(ValidationError, match="too many"):
        search.parse(" ".join(f"w{i}" for i in range(30)))


def test_snippets_mark_the_words_and_escape_the_text() -> None:
    terms = search.parse("弾道ミサイル").terms()
    snippet = search.highlight("<b>北朝鮮</b>による弾道ミサイル発射", terms)
    assert snippet == "&lt;b&gt;北朝鮮&lt;/b&gt;による<mark>弾道ミサイル</mark>発射"


def test_the_search_text_changes_with_a_translation(
    jp_info: Person, us_info: Person, share: Callable
) -> None:
    from kizuna.sharing import services

    item = share(jp_info, "宇宙協力")
    assert _titles(us_info, "cooperation") == []
    services.item_translate(person=us_info, item=item, title="Space cooperation")
    assert _titles(us_info, "cooperation") == ["宇宙協力"]
