"""The project's glossary (docs/glossary.md) as terms, for the tests that hold the catalogues,
the reference data and the demo data to it."""

from __future__ import annotations

import re
from collections.abc import Container, Iterable
from dataclasses import dataclass
from pathlib import Path

import kizuna

GLOSSARY_PATH = Path(kizuna.__file__).parents[2] / "docs/glossary.md"


@dataclass(frozen=True)
class Term:
    english: str
    japanese: str
    meaning: str = ""  # a word with several meanings: its gettext context
    avoid: tuple[str, ...] = ()  # the Japanese that is wrong for this meaning


def _cells(line: str) -> list[str]:
    return [c.strip() for c in line.strip().strip("|").split("|")]


def glossary_terms(text: str) -> list[Term]:
    """Every (English, Japanese) pair of the glossary's tables. A row "A / B | X / Y" gives
    two pairs; "Word (a meaning)" in the first table is a word with several meanings, the
    meaning being its gettext context; parenthesised abbreviations and the seed's † go."""
    terms: list[Term] = []
    ambiguous = False
    for line in text.splitlines():
        if line.startswith("## "):
            ambiguous = "more than one meaning" in line
        if not line.startswith("|") or set(line) <= set("|- "):
            continue
        cells = _cells(line)
        if cells[0].startswith("English"):
            continue
        english, japanese = cells[0], cells[1].replace("†", "").strip()
        japanese = re.sub(r"（[^）]*）$", "", japanese)
        if ambiguous:
            found = re.fullmatch(r"(.+?) \((.+)\)", english)
            assert found, english
            word, meaning = found.groups()
            meaning = re.split(r":|, e\.g\.", meaning)[0].strip()  # the context: short
            avoid = tuple(a.strip() for a in cells[2].split(",") if a.strip())
            if word.endswith(" at"):
                # "Requested at" needs no context; the bare word in the context "a time"
                # (a column "Requested", a field "requested") means the same.
                terms += [Term(word, japanese), Term(word[:-3], japanese, meaning)]
            else:
                terms.append(Term(word, japanese, meaning, avoid))
            continue
        english = re.sub(r"\s*\([^)]*\)$", "", english)
        pairs = list(zip(english.split(" / "), japanese.split(" / "), strict=False))
        if len(english.split(" / ")) != len(japanese.split(" / ")):
            pairs = [(english, japanese)]
        terms += [Term(e.strip(), j.strip()) for e, j in pairs]
    return terms


def _pattern(english: str) -> str:
    return rf"(?<![\w-]){re.escape(english)}(?![\w-])"


def mentions(msgid: str, english: str, within: tuple[str, ...] = ()) -> bool:
    """Whether a msgid names a term as a word of its own. Placeholders do not count, nor a
    mention inside a longer term that has its own Japanese ("training" in "field training
    exercise", 実動演習)."""
    text = re.sub(r"%\(\w+\)[sd]|\{\w*\}", "", msgid)
    for other in within:
        text = re.sub(_pattern(other), "", text, flags=re.IGNORECASE)
    return re.search(_pattern(english), text, re.IGNORECASE) is not None


def longer(term: Term, terms: list[Term]) -> tuple[str, ...]:
    """The glossary's longer terms that contain this one."""
    return tuple(
        t.english
        for t in terms
        if len(t.english) > len(term.english) and mentions(t.english, term.english)
    )


def terms() -> list[Term]:
    return glossary_terms(GLOSSARY_PATH.read_text(encoding="utf-8"))


def mismatches(
    rows: Iterable[tuple[str, str, str]], exceptions: Container[tuple[str, str]] = ()
) -> list[str]:
    """Of (where, English, Japanese) names, those that name a glossary term (one of a single
    meaning) without its Japanese, unless (term, English) is a documented exception."""
    plain = [t for t in terms() if not t.meaning]
    return [
        f"{where} {english!r} → {japanese!r} lacks {term.japanese}"
        for where, english, japanese in rows
        for term in plain
        if mentions(english, term.english, longer(term, plain))
        and term.japanese not in japanese
        and (term.english, english) not in exceptions
    ]
