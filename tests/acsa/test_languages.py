"""Every reason and note of every answer reads in the reader's language: the Japanese answer
carries no English sentence (notes from the reference data come through the catalogue), from
the engine, the command line, the API and the pages alike."""

from __future__ import annotations

import io
import re
from collections.abc import Callable

import pytest
from django.core.management import call_command
from django.test import Client

from kizuna.acsa import rules

pytestmark = pytest.mark.django_db

# Three English words in a row: a sentence left untranslated (codes such as JPN, article
# numbers and the seed's abbreviations stand alone).
ENGLISH = re.compile(r"[A-Za-z]{2,}[ ,]+[A-Za-z]{2,}[ ,]+[A-Za-z]{2,}")


def test_every_answer_reads_in_japanese_and_in_english() -> None:
    index = rules._current()
    seen = 0
    for _days, answers in index.by_pair.values():
        for answer in answers:
            for reason in answer.reasons:
                assert not ENGLISH.search(reason.ja), reason.ja
                assert not re.search(r"[\u3040-\u30ff]", reason.en), reason.en
                seen += 1
    assert seen > 5000


def test_the_ammunition_note_is_japanese_in_a_japanese_answer() -> None:
    answer = rules.check("bilateral-exercise", "ammunition", rules.date(2010, 1, 1), "JPN")
    assert answer.reasons[-1].ja.startswith("注記：弾薬は")
    assert answer.reasons[-1].en.startswith("Note: Ammunition only")


def test_the_command_line_the_api_and_the_page_speak_the_readers_language(
    client: Client, make_person: Callable
) -> None:
    case = {"situation": "bilateral-exercise", "category": "ammunition", "on": "2010-01-01"}
    out = io.StringIO()
    call_command(
        "acsa",
        "check",
        "--situation",
        case["situation"],
        "--category",
        case["category"],
        "--on",
        case["on"],
        "--lang",
        "ja",
        stdout=out,
    )
    assert "注記：弾薬は" in out.getvalue()
    assert not ENGLISH.search(out.getvalue().split("[")[0])
    person = make_person("reader", role="ordering_official", language="ja")
    client.force_login(person)
    api = client.get("/api/acsa/check", case).json()
    assert api["reasons"][-1]["ja"].startswith("注記：弾薬は")
    # The page gives each reason in the reader's language first, the other one below it.
    page = client.get("/acsa/check/", case).content.decode()
    assert '<li><span lang="ja">注記：弾薬は' in page
    person.language = "en"
    person.save()
    page = client.get("/acsa/check/", case, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<li><span lang="en">Note: Ammunition only' in page


def test_a_cap_warning_reads_in_japanese_note_and_all() -> None:
    from django.utils import translation

    from kizuna.acsa import selectors, services
    from kizuna.acsa.models import SituationType

    from .factories import fuel_line, make_cast

    cast = make_cast()
    order = services.order_create(
        actor=cast.us_ordering,
        supplying_org=cast.jp_unit,
        receiving_org=cast.us_unit,
        situation_type=SituationType.objects.get(code="bilateral-exercise"),
        legal_basis="x",
        currency="USD",
        settlement_method="currency",
        lines=[fuel_line("1000", "21000")],
    )
    with translation.override("ja"):
        (warning,) = selectors.cap_warnings(order, cast.jp_approving)
    assert "敵対行為" in warning
    assert not ENGLISH.search(warning), warning
