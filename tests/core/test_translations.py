"""Every page must read right in Japanese: each catalogue is complete and compiled."""

from __future__ import annotations

import re
from pathlib import Path

import polib
import pytest

import kizuna
from tests.glossary import (
    GLOSSARY_PATH,
    Term,
    glossary_terms,
    longer,
    mentions,
    mismatches,
)

CATALOGUES = sorted(Path(kizuna.__file__).parent.glob("**/locale/ja/LC_MESSAGES/django.po"))


def test_the_project_catalogue_exists() -> None:
    assert Path(kizuna.__file__).parent / "locale/ja/LC_MESSAGES/django.po" in CATALOGUES


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: str(p.parent.parent.parent.parent.name))
def test_every_message_has_a_japanese_translation(po: Path) -> None:
    missing = [e.msgid for e in polib.pofile(str(po)) if not e.translated() or "fuzzy" in e.flags]
    assert missing == []


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: str(p.parent.parent.parent.parent.name))
def test_the_compiled_catalogue_matches_the_source(po: Path) -> None:
    # Keyed by context too: "closed" the status and "closed" the time are two messages.
    source = {(e.msgctxt, e.msgid): e.msgstr or e.msgstr_plural for e in polib.pofile(str(po))}
    compiled = {
        (e.msgctxt, e.msgid): e.msgstr or e.msgstr_plural
        for e in polib.mofile(str(po.with_suffix(".mo")))
    }
    compiled.pop((None, ""), None)
    assert compiled == source, "run `make messages` to recompile the catalogue"


# --- The catalogues hold to the glossary (docs/glossary.md, a copy of the project's) ---------

# Where Japanese grammar or a fixed name takes another form of a term, with the reason. Keep
# this list short: (English term, msgid) pairs the plain rule does not hold for.
EXCEPTIONS: dict[tuple[str, str], str] = {
    ("vetted", "vetted by"): "the person who vetted: 確認者",
    ("vetted", "vetted"): "a field holding the time of vetting: 確認日時",
    ("Observation", "Observation"): "a kind of shared report, what was seen: 観測, not a lesson",
    ("Observation", "The observation time"): "when a shared report's sighting was made: 観測日時",
}


# The same for the reference data: (English term, a row's English name).
REFERENCE_EXCEPTIONS: dict[tuple[str, str], str] = {
    ("services", name): "the agreement's own name of the category, as the seed's figure gives it"
    for name in ("Medical services", "Training services", "Airport and seaport services")
}


def _entries() -> list[tuple[str, polib.POEntry]]:
    return [
        (str(po.relative_to(Path(kizuna.__file__).parent)), e)
        for po in CATALOGUES
        for e in polib.pofile(str(po))
        if e.msgid
    ]


def test_the_glossary_is_parsed_into_its_terms() -> None:
    terms = glossary_terms(GLOSSARY_PATH.read_text(encoding="utf-8"))
    assert Term("Requested", "要請済み", "a status", ("申請日時",)) in terms
    assert Term("Requested at", "要請日時") in terms
    assert Term("Requested", "要請日時", "a time") in terms
    assert Term("Order", "命令", "a command") in terms
    assert Term("Body", "調整機関", "a coordination body", ("本文",)) in terms
    assert Term("Alliance Coordination Mechanism", "同盟調整メカニズム") in terms
    assert Term("Delivery", "引渡し") in terms
    assert Term("receipt", "受領") in terms
    assert Term("Acquisition and Cross-Servicing Agreement", "日米物品役務相互提供協定") in terms


def test_every_catalogue_uses_the_glossarys_japanese() -> None:
    """A msgid that names a glossary term is translated with the glossary's Japanese; a word
    with several meanings carries its meaning as context, gets that meaning's Japanese and
    never the Japanese of another meaning."""
    terms = glossary_terms(GLOSSARY_PATH.read_text(encoding="utf-8"))
    ambiguous = {t.english.lower() for t in terms if t.meaning}
    wrong: list[str] = []
    for where, entry in _entries():
        texts = [entry.msgstr] if entry.msgstr else list(entry.msgstr_plural.values())
        if entry.msgid.lower() in ambiguous and not entry.msgctxt:
            wrong.append(f"{where}: {entry.msgid!r} has several meanings: give it a context")
        for term in terms:
            if term.meaning and entry.msgctxt != term.meaning:
                continue
            if not mentions(entry.msgid, term.english, longer(term, terms)):
                continue
            if (term.english, entry.msgid) in EXCEPTIONS:
                continue
            for text in texts:
                if term.japanese not in text:
                    wrong.append(f"{where}: {entry.msgid!r} → {text!r} lacks {term.japanese}")
                wrong += [
                    f"{where}: {entry.msgid!r} → {text!r} says {avoid} (not {term.meaning})"
                    for avoid in term.avoid
                    if avoid in text
                ]
    assert wrong == []


def test_an_acsa_order_is_the_same_words_in_every_catalogue() -> None:
    order = "物品役務の提供要請"
    wrong = [
        f"{where}: {entry.msgid!r} → {entry.msgstr!r}"
        for where, entry in _entries()
        if mentions(entry.msgid, "ACSA order") and order not in entry.msgstr
    ]
    assert wrong == []


def test_the_coordination_bodies_are_named_as_the_alliance_coordination_mechanism() -> None:
    """Where the catalogues name the ACM's bodies together, the mechanism is named."""
    wrong = [
        f"{where}: {entry.msgid!r} → {entry.msgstr!r}"
        for where, entry in _entries()
        if re.search(r"\bACM\b|Alliance Coordination Mechanism", entry.msgid)
        and "同盟調整メカニズム" not in entry.msgstr
    ]
    assert wrong == []


def test_the_same_words_read_the_same_in_every_catalogue() -> None:
    """One word for one thing: a msgid (with its context) that two apps both use has one
    Japanese; a different thing gets its own context."""
    seen: dict[tuple[str | None, str], dict[str, str]] = {}
    for where, entry in _entries():
        if entry.msgstr:
            seen.setdefault((entry.msgctxt, entry.msgid), {})[where] = entry.msgstr
    assert {key: found for key, found in seen.items() if len(set(found.values())) > 1} == {}


def test_no_exception_is_stale() -> None:
    """Each exception still names a msgid that exists, so the list cannot grow silently."""
    msgids = {entry.msgid for _, entry in _entries()}
    assert [msgid for _, msgid in EXCEPTIONS if msgid not in msgids] == []


@pytest.mark.django_db
def test_the_reference_data_uses_the_glossarys_japanese() -> None:
    """Every bilingual reference row (situation types, categories, markings, communities,
    the search glossary …) names a glossary term with the glossary's Japanese."""
    from django.apps import apps

    from kizuna.core.models import BilingualName

    models = [m for m in apps.get_models() if issubclass(m, BilingualName) and not m._meta.abstract]
    rows = [(m._meta.label, r) for m in models for r in m.objects.all()]
    assert any(label == "acsa.SituationType" for label, _ in rows)  # the data is loaded
    wrong = mismatches(
        [(label, row.name_en, row.name_ja) for label, row in rows], REFERENCE_EXCEPTIONS
    )
    assert wrong == []
    names = {row.name_en for _, row in rows}
    assert [name for _, name in REFERENCE_EXCEPTIONS if name not in names] == []


def test_every_status_and_choice_reads_as_words_in_both_languages() -> None:
    """No status key reaches people: every choice of every Kizuna field has a label of
    words ("receipt signed", not "receipt_signed") with its own Japanese."""
    from django.apps import apps
    from django.utils import translation

    raw: list[str] = []
    for model in apps.get_models():
        if not model.__module__.startswith("kizuna."):
            continue
        for field in model._meta.fields:
            for value, label in field.flatchoices:
                with translation.override("en"):
                    english = str(label)
                with translation.override("ja"):
                    japanese = str(label)
                if "_" in english or japanese == english:
                    raw.append(
                        f"{model._meta.label}.{field.name}={value}: {english!r}/{japanese!r}"
                    )
    assert raw == []


def test_a_designation_without_its_meaning_is_named_generically() -> None:
    """A designation may be a situation the Cabinet recognizes (認定) or an activity
    ordered (命令, e.g. a disaster relief dispatch): where a msgid does not say which, its
    Japanese names it generically (指定), never 認定."""
    wrong = [
        f"{where}: {entry.msgid!r} → {entry.msgstr!r}"
        for where, entry in _entries()
        if not entry.msgctxt
        and re.search(r"designat", entry.msgid, re.IGNORECASE)
        and ("認定" in entry.msgstr or "指定" not in entry.msgstr)
    ]
    assert wrong == []
