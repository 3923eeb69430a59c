"""Every rule and figure leads back to a source people can follow: each reference row, each
answer, each settlement rule and cap cites a title with an article, section or figure and a
date, never an internal document; articles are cited as numbered in the version in force on
the asked date; the versions carry their dates (the Diet's approval included)."""

from __future__ import annotations

import io
import json
import re
from datetime import date

import pytest
from django.core.management import call_command

from kizuna.acsa import rules, selectors
from kizuna.acsa.models import (
    AgreementVersion,
    Category,
    EligibilityRule,
    LiabilityCap,
    SituationType,
)

pytestmark = pytest.mark.django_db

YEAR = re.compile(r"\b(19|20)\d\d\b")
# Where in the source: an article, section, figure, footnote, act number, code section or record.
LOCATOR = re.compile(
    r"Art\. |§|Figure|footnote|Act No\.|U\.S\.C\.|plenary sitting|release of|treaty record"
)
INTERNAL = re.compile(r"domain brief|DOMAIN|GLOSSARY|BRIEF|docs/|issue|summari[sz]ed", re.I)


def _problem(citation: str) -> str | None:
    if not citation.strip():
        return "empty"
    if INTERNAL.search(citation):
        return "internal"
    if not YEAR.search(citation) or not LOCATOR.search(citation):
        return "generic (no date or no article, section or figure)"
    return None


def _reference_citations() -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for version in AgreementVersion.objects.all():
        found.append((f"version {version.code}", version.source))
    for situation in SituationType.objects.all():
        found.append((f"situation {situation.code}", situation.source))
        found.append((f"direction of {situation.code}", situation.direction_source))
        if situation.law_lapsed_on:
            found.append((f"lapse of {situation.code}", situation.lapse_source))
    for category in Category.objects.all():
        found.append((f"category {category.code}", category.source))
        if category.kind_source:
            found.append((f"kind of {category.code}", category.kind_source))
    for rule in EligibilityRule.objects.select_related("version", "situation", "category"):
        found.append((f"rule {rule}", rule.source))
    for cap in LiabilityCap.objects.all():
        found.append((f"cap {cap.code}", cap.source))
    for row in selectors.settlement_rule_rows():
        found.append((f"settlement rule {row['rule']}", row["source"]))
    return found


def test_every_reference_row_cites_a_followable_source() -> None:
    found = _reference_citations()
    assert len(found) > 800
    problems = [(what, _problem(c), c) for what, c in found if _problem(c)]
    assert problems == []


def test_every_answer_cites_followable_sources() -> None:
    answers = [a for _days, kept in rules._current().by_pair.values() for a in kept]
    assert len(answers) > 5000
    for answer in answers:
        assert answer.citations
        for citation in answer.citations:
            assert _problem(citation) is None, (citation, answer.reasons[0].en)


def test_articles_are_cited_as_numbered_in_the_version_in_force() -> None:
    under_2017 = rules.check("important-influence", "food", date(2020, 1, 1), "JPN")
    assert any(c.endswith("Art. 4") and "2016" in c for c in under_2017.citations)
    under_2004 = rules.check("armed-attack", "food", date(2010, 1, 1), "JPN")
    assert under_2004.allowed is True
    assert not any("Art. " in c and "26 September 2016" in c for c in under_2004.citations)
    assert any("27 February 2004" in c for c in under_2004.citations)


def test_the_versions_with_their_dates_and_the_diets_approval() -> None:
    out = io.StringIO()
    call_command("acsa", "versions", "--json", stdout=out)
    versions = {v["code"]: v for v in json.loads(out.getvalue())}
    new = versions["new-agreement-2017"]
    assert (new["signed_on"], new["diet_approved_on"], new["in_force_from"]) == (
        "2016-09-26",
        "2017-04-14",
        "2017-04-25",
    )
    assert versions["original-1996"]["in_force_from"] == "1996-10-22"
    assert all(_problem(v["source"]) is None for v in versions.values())


def test_situations_carry_the_figures_note_1_flag_and_their_notes() -> None:
    out = io.StringIO()
    call_command("acsa", "situations", "--json", stdout=out)
    rows = {s["code"]: s for s in json.loads(out.getvalue())}
    assert rows["important-influence"]["enabled_by_2015_legislation"] is True
    assert rows["bilateral-exercise"]["enabled_by_2015_legislation"] is False
    assert rows["areas-surrounding-japan"]["note"]["en"].startswith("Replaced by")
    assert rows["areas-surrounding-japan"]["note"]["ja"].startswith("新たな協定")
    assert rows["important-influence"]["article_as_numbered_in"] == "new-agreement-2017"


def test_the_settlement_rules_are_listed_with_their_sources() -> None:
    out = io.StringIO()
    call_command("acsa", "settlement", "--lang", "ja", stdout=out)
    assert "12か月" in out.getvalue()
    assert "U.S.C." in out.getvalue()
