"""The eligibility engine: may this category be provided in this situation on this date, and
under which version of the agreement?

Answers come from the reference data (agreement versions, situation types, categories and the
eligibility table), folded once into an in-memory index: for each (situation, category) the
dates where the answer changes, each with its finished answer. A check is then a dictionary
lookup and a bisection. An answer may depend on which side supplies (`supplier`, JPN or USA,
or None when not given): some situations run one way only. The index is rebuilt after any
reference row changes in this process (signals wired in apps.py) and at most INDEX_MAX_AGE
seconds after a change made elsewhere.
"""

from __future__ import annotations

import difflib
import re
import threading
import time
import unicodedata
from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import translation
from django.utils.translation import gettext, gettext_noop

from kizuna.core import places

from .models import AgreementVersion, Category, EligibilityRule, Order, SituationType

INDEX_MAX_AGE = 60.0
LANGUAGES = ("ja", "en")
# The supplying side of a provision, by nation: the SDF (JPN) or US forces (USA).
SUPPLIERS = ("JPN", "USA")


@dataclass(frozen=True)
class Reason:
    ja: str
    en: str

    def as_dict(self) -> dict[str, str]:
        return {"ja": self.ja, "en": self.en}

    def __str__(self) -> str:
        return self.ja if (translation.get_language() or "ja").startswith("ja") else self.en


@dataclass(frozen=True)
class Answer:
    """allowed: True, False, or None when the sources do not settle the case."""

    allowed: bool | None
    reasons: tuple[Reason, ...]
    agreement: str | None
    citations: tuple[str, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "allowed": self.allowed,
            "reasons": [r.as_dict() for r in self.reasons],
            "agreement": self.agreement,
            "citations": list(self.citations),
        }


class UnknownCode(ValidationError):
    """A situation or category code that is not in the reference data, with the nearest ones."""

    def __init__(self, field_name: str, code: str, suggestions: list[str]) -> None:
        self.field_name, self.code, self.suggestions = field_name, code, suggestions
        if suggestions:
            message = gettext("Unknown code “%(code)s”. Did you mean: %(near)s?") % {
                "code": code,
                "near": ", ".join(suggestions),
            }
        else:
            message = gettext("Unknown code “%(code)s”.") % {"code": code}
        super().__init__({field_name: message})


class BadSupplier(ValidationError):
    """A supplying side that is neither nation."""

    def __init__(self, written: str) -> None:
        super().__init__(
            {
                "direction": gettext(
                    "The supplying side must be JPN (the SDF) or USA (US forces), not “%(value)s”."
                )
                % {"value": written}
            }
        )


def supplier(written: str | None) -> str | None:
    """The supplying nation a person means (JPN or USA, any case), None when not given."""
    if written is None or not written.strip():
        return None
    code = written.strip().upper()
    if code not in SUPPLIERS:
        raise BadSupplier(written)
    return code


def _bilingual(message: str, **params: object) -> Reason:
    """One reason in both languages, whatever language the caller reads."""
    texts = []
    for language in LANGUAGES:
        with translation.override(language):
            texts.append(gettext(message) % {k: _localized(v, language) for k, v in params.items()})
    return Reason(ja=texts[0], en=texts[1])


def _localized(value: object, language: str) -> str:
    if isinstance(value, _Msgid):
        # Reference data is written in English; the catalogue gives it in the reader's.
        return gettext(value) if value else ""
    if hasattr(value, "name_ja") and hasattr(value, "name_en"):
        return str(value.name_ja if language == "ja" else value.name_en)
    return str(value)


class _Msgid(str):
    """A message from the reference data that the catalogue may translate."""


# The notes the eligibility table ships with (migration 0004), so the catalogue carries them.
SHIPPED_NOTES = (
    gettext_noop(
        "Ammunition is not provided under this version (weapons and ammunition excluded both ways)."
    ),
    gettext_noop("Ammunition only in armed attack and anticipated armed attack situations."),
    gettext_noop("Ammunition in every situation under the new agreement."),
    gettext_noop(
        "Both special measures laws had lapsed before the new agreement; "
        "whether any provision under them remains is to be confirmed."
    ),
    # The situations' notes (migration 0002), listed with them.
    gettext_noop(
        "The figure groups situations as mainly concerning Japan and its people, international "
        "cooperation, and the alliance; the grouping was lost in the text of the seed, so it is "
        "unknown until an administrator confirms it."
    ),
    gettext_noop("Replaced by important influence situations when the new agreement took effect."),
    # The liability caps' note (migration 0007), shown in cap warnings.
    gettext_noop(
        "Applies outside active hostilities; the approving official judges whether hostilities "
        "are active. Counted over orders accepted in the US fiscal year (1 October to 30 "
        "September)."
    ),
    # Directions and lapses (migration 0012).
    gettext_noop(
        "The figure's row names provision from SDF units on international peace cooperation "
        "duty to US forces responding to a disaster: one way only."
    ),
    gettext_noop(
        "SDF Act Art. 100-6 authorizes the SDF's provision to US forces in this situation; "
        "whether US forces provide to the SDF here is not settled by the sources at hand."
    ),
    gettext_noop(
        "The row names the US forces staying at SDF facilities as the receiving side; "
        "whether they provide to the SDF here is not settled by the sources at hand."
    ),
    gettext_noop(
        "The special measures laws authorized the SDF's support to US and other forces; "
        "whether US forces provided to the SDF under them is not settled by the sources "
        "at hand."
    ),
    gettext_noop(
        "The Anti-Terrorism Special Measures Law lapsed at the end of 1 November 2007 and the "
        "Iraq Special Measures Law at the end of 31 July 2009; which law an activity rested "
        "on decides, so the combined row cannot tell between those dates."
    ),
)


def both_languages(note: str) -> dict[str, str]:
    """A note from the reference data in both languages (the catalogue's Japanese, when it
    has one)."""
    reason = _bilingual("%(note)s", note=_Msgid(note)) if note else Reason("", "")
    return reason.as_dict()


def _citations(*sources: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(s for s in sources if s))


@dataclass
class _Reference:
    """The reference data as loaded, from which every answer is decided."""

    versions: list[AgreementVersion]
    situations: dict[str, SituationType]
    categories: dict[str, Category]
    rules: dict[tuple[int, int, int], list[EligibilityRule]] = field(default_factory=dict)

    @classmethod
    def load(cls) -> _Reference:
        reference = cls(
            versions=list(AgreementVersion.objects.order_by("in_force_from")),
            situations={s.code: s for s in SituationType.objects.all()},
            categories={c.code: c for c in Category.objects.all()},
        )
        for rule in EligibilityRule.objects.all():
            key = (rule.version_id, rule.situation_id, rule.category_id)
            reference.rules.setdefault(key, []).append(rule)
        return reference

    def version_on(self, day: date) -> AgreementVersion | None:
        in_force = [v for v in self.versions if v.in_force_from <= day]
        return in_force[-1] if in_force else None

    def breakpoints(self, situation: SituationType, category: Category) -> list[date]:
        """Every date on which the answer for this pair may change."""
        days = {date.min}
        days.update(v.in_force_from for v in self.versions)
        if situation.effective_from:
            days.add(situation.effective_from)
        if situation.effective_to:
            days.add(situation.effective_to + timedelta(days=1))
        if situation.law_lapsed_on:
            days.add(situation.law_lapsed_on + timedelta(days=1))
        for version in self.versions:
            for rule in self.rules.get((version.pk, situation.pk, category.pk), []):
                if rule.effective_from:
                    days.add(rule.effective_from)
                if rule.effective_to:
                    days.add(rule.effective_to + timedelta(days=1))
        return sorted(days)

    def decide(
        self, situation: SituationType, category: Category, day: date, supplier: str | None
    ) -> Answer:
        if category.prohibited:
            return Answer(
                False,
                (
                    _bilingual(
                        gettext_noop(
                            "Provision of %(category)s is never allowed under the agreement."
                        ),
                        category=category,
                    ),
                ),
                None,
                _citations(category.source),
            )
        version = self.version_on(day)
        if version is None:
            first = self.versions[0].in_force_from if self.versions else None
            return Answer(
                False,
                (
                    _bilingual(
                        gettext_noop(
                            "No agreement was in force on this date; "
                            "the first took effect on %(first)s."
                        ),
                        first=first,
                    ),
                ),
                None,
                _citations(*(v.source for v in self.versions[:1])),
            )
        # The article only as numbered in the version in force: the 2016 agreement's articles
        # are not cited for an answer under the 2004 amendment.
        article = (
            f"{version.source}, Art. {situation.treaty_article}"
            if situation.treaty_article and situation.article_version_id == version.pk
            else ""
        )
        cited = (article or version.source, situation.source, category.source)
        if situation.effective_from and day < situation.effective_from:
            reason = _bilingual(
                gettext_noop(
                    "The agreement did not yet cover %(situation)s on this date; "
                    "it does from %(since)s."
                ),
                situation=situation,
                since=situation.effective_from,
            )
            return Answer(False, (reason,), version.code, _citations(*cited))
        if situation.effective_to and day > situation.effective_to:
            reason = _bilingual(
                gettext_noop("The agreement no longer covers %(situation)s after %(until)s."),
                situation=situation,
                until=situation.effective_to,
            )
            return Answer(False, (reason,), version.code, _citations(*cited))
        if situation.law_lapsed_on and day > situation.law_lapsed_on:
            reason = _bilingual(
                gettext_noop(
                    "The law under which %(situation)s rested lapsed at the end of %(lapsed)s; "
                    "nothing can be provided under it after that."
                ),
                situation=situation,
                lapsed=situation.law_lapsed_on,
            )
            return Answer(
                False, (reason,), version.code, _citations(situation.lapse_source, *cited)
            )
        by_direction = self.direction(situation, supplier)
        if by_direction is not None:
            return Answer(
                *by_direction, version.code, _citations(situation.direction_source, *cited)
            )
        rule = next(
            (
                r
                for r in self.rules.get((version.pk, situation.pk, category.pk), [])
                if (r.effective_from is None or r.effective_from <= day)
                and (r.effective_to is None or day <= r.effective_to)
            ),
            None,
        )
        if rule is None:
            reason = _bilingual(
                gettext_noop(
                    "No rule is recorded for %(category)s in %(situation)s under %(version)s; "
                    "to be confirmed by an administrator."
                ),
                category=category,
                situation=situation,
                version=version,
            )
            return Answer(None, (reason,), version.code, _citations(*cited))
        message = {
            True: gettext_noop(
                "Provision of %(category)s is allowed in %(situation)s under %(version)s."
            ),
            False: gettext_noop(
                "Provision of %(category)s is not allowed in %(situation)s under %(version)s."
            ),
            None: gettext_noop(
                "Unknown whether %(category)s may be provided in %(situation)s "
                "under %(version)s; to be confirmed."
            ),
        }[rule.allowed]
        reasons = [_bilingual(message, category=category, situation=situation, version=version)]
        if rule.note:
            reasons.append(_bilingual(gettext_noop("Note: %(note)s"), note=_Msgid(rule.note)))
        if situation.from_japan is not True or situation.from_us is not True:
            # A one-way situation answered for its settled direction: say which way it runs.
            reasons.extend(self._direction_note(situation))
        return Answer(
            rule.allowed,
            tuple(reasons),
            version.code,
            _citations(rule.source, situation.direction_source, *cited),
        )

    @staticmethod
    def _direction_note(situation: SituationType) -> list[Reason]:
        if not situation.direction_note:
            return []
        return [_bilingual(gettext_noop("Note: %(note)s"), note=_Msgid(situation.direction_note))]

    def direction(
        self, situation: SituationType, supplier: str | None
    ) -> tuple[bool | None, tuple[Reason, ...]] | None:
        """The answer when the direction decides it (provision the other way, or a direction
        the sources do not settle), else None: the eligibility table decides."""
        flags = {"JPN": situation.from_japan, "USA": situation.from_us}
        if supplier is None:
            if flags["JPN"] is True and flags["USA"] is True:
                return None
            reason = _bilingual(
                gettext_noop(
                    "In %(situation)s the answer depends on which side provides; "
                    "name the supplying side (JPN or USA)."
                ),
                situation=situation,
            )
            return None, (reason, *self._direction_note(situation))
        settled = flags[supplier]
        if settled is True:
            return None
        if settled is False:
            message = {
                "JPN": gettext_noop(
                    "In %(situation)s the agreement covers only US forces' provision to the "
                    "SDF, not the SDF's provision to US forces."
                ),
                "USA": gettext_noop(
                    "In %(situation)s the agreement covers only the SDF's provision to US "
                    "forces, not US forces' provision to the SDF."
                ),
            }[supplier]
            return False, (_bilingual(message, situation=situation),)
        message = {
            "JPN": gettext_noop(
                "Whether the SDF may provide to US forces in %(situation)s is not settled by "
                "the sources at hand; to be confirmed."
            ),
            "USA": gettext_noop(
                "Whether US forces may provide to the SDF in %(situation)s is not settled by "
                "the sources at hand; to be confirmed."
            ),
        }[supplier]
        return None, (_bilingual(message, situation=situation), *self._direction_note(situation))


class _Index:
    def __init__(self, reference: _Reference) -> None:
        self.situations = reference.situations
        self.situation_codes = sorted(reference.situations)
        self.categories = reference.categories
        self.category_codes = sorted(reference.categories)
        # (situation, category, supplier or None) -> the days the answer changes, the answers.
        self.by_pair: dict[tuple[str, str, str | None], tuple[list[int], list[Answer]]] = {}
        for situation in reference.situations.values():
            for category in reference.categories.values():
                days = reference.breakpoints(situation, category)
                ordinals = [d.toordinal() for d in days]
                for supplier in (None, *SUPPLIERS):
                    answers = [reference.decide(situation, category, d, supplier) for d in days]
                    self.by_pair[(situation.code, category.code, supplier)] = (ordinals, answers)
        self.versions = [(v.in_force_from.toordinal(), v.code) for v in reference.versions]
        self.built_at = time.monotonic()


_lock = threading.Lock()
_index: _Index | None = None


def invalidate(**_: object) -> None:
    """Drop the index; the next check rebuilds it. Connected to the reference models' signals:
    dropped at once for this transaction's own reads, and again once the change is committed
    so that no check made in between keeps the old rows."""
    global _index
    _index = None
    if connection.in_atomic_block:
        transaction.on_commit(_drop)


def _drop() -> None:
    global _index
    _index = None


def _current() -> _Index:
    global _index
    index = _index
    if index is None or time.monotonic() - index.built_at > INDEX_MAX_AGE:
        with _lock:
            index = _index
            if index is None or time.monotonic() - index.built_at > INDEX_MAX_AGE:
                index = _index = _Index(_Reference.load())
    return index


def categories() -> dict[str, Category]:
    """The categories by code, as the index read them (at most INDEX_MAX_AGE old)."""
    return _current().categories


def version_on(day: date) -> str | None:
    """The code of the agreement version in force on a day, or None before the first."""
    in_force = [code for starts, code in _current().versions if starts <= day.toordinal()]
    return in_force[-1] if in_force else None


# Apps that know an order's situation better register a resolver here: coordination answers
# with the legal designation in force for the situation an order was made in. A resolver
# returns None for an order it has no say about, and refuses (ValidationError) an order whose
# situation has no designation in force that day.
SituationResolver = Callable[[Order, date], SituationType | None]
_resolvers: list[SituationResolver] = []


def register_situation_resolver(resolver: SituationResolver) -> None:
    if resolver not in _resolvers:
        _resolvers.append(resolver)


def situation_type_for(order: Order, on: date) -> SituationType:
    """The situation type whose rules govern an order on a date: the designation in force
    for the order's situation where one is known, else the type the order names."""
    for resolver in _resolvers:
        found = resolver(order, on)
        if found is not None:
            return found
    return order.situation_type


def suggest(code: str, known: list[str]) -> list[str]:
    return difflib.get_close_matches(code, known, n=3, cutoff=0.5)


# What separates the parts of a name: 燃料・油脂・潤滑油, "Petroleum, oils and lubricants".
_PARTS = re.compile(r"[・、，,／/()（）。]|\band\b")


def _folded(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def _names(row: Category | SituationType) -> tuple[set[str], set[str]]:
    """A row's whole names and the parts of them, folded."""
    whole = {_folded(row.name_ja), _folded(row.name_en)}
    parts = {p for name in whole for p in (_folded(x) for x in _PARTS.split(name)) if p}
    return whole, parts


def _named(rows: dict[str, Any], wanted: str) -> list[str]:
    """Codes whose name is `wanted`, else one of whose name's parts is, else whose name
    holds it: the first of these that names any."""
    names = {code: _names(row) for code, row in rows.items()}
    tests = (
        lambda whole, parts: wanted in whole,
        lambda whole, parts: wanted in parts,
        lambda whole, parts: len(wanted) > 1 and any(wanted in name for name in whole),
    )
    for test in tests:
        found = sorted(code for code, (whole, parts) in names.items() if test(whole, parts))
        if found:
            return found
    return []


def _labelled(rows: dict[str, Any], codes: list[str]) -> list[str]:
    """Codes with their names in the reader's language: `petroleum (Petroleum, ...)`."""
    return [f"{code} ({rows[code].name})" for code in codes]


def resolve(field: str, written: str, translations: Sequence[str] = ()) -> str:
    """The code a person means by `written` for `field` ("situation" or "category"): the
    code itself, or a Japanese or English name (whole, one of its parts as in 燃料 for
    燃料・油脂・潤滑油, or a unique name holding it); `translations` are other words for it
    (the glossary's: 燃料 for fuel). Raises UnknownCode with the nearest codes, named in the
    reader's language, when nothing or several match."""
    index = _current()
    rows: dict[str, Any] = index.situations if field == "situation" else index.categories
    if written in rows:
        return written
    for wanted in (written, *translations):
        found = _named(rows, _folded(wanted))
        if len(found) == 1:
            return found[0]
        if found:
            raise UnknownCode(field, written, _labelled(rows, found[:5]))
    labels: dict[str, str] = {}
    for code, row in rows.items():
        whole, parts = _names(row)
        labels.update({label: code for label in (code, *whole, *parts)})
    near = difflib.get_close_matches(_folded(written), list(labels), n=10, cutoff=0.5)
    codes = list(dict.fromkeys(labels[label] for label in near))[:3]
    raise UnknownCode(field, written, _labelled(rows, codes))


def check(
    situation: str | SituationType,
    category: str | Category,
    on: date | None = None,
    supplier: str | None = None,
) -> Answer:
    """The answer for one case, for provision by `supplier` (JPN: the SDF to US forces, USA:
    US forces to the SDF; None: either, which one-way situations cannot answer). `on` is a
    date of the place; today in Japan when omitted. Raises UnknownCode for a code not in the
    reference data, BadSupplier for a supplier that is neither nation."""
    index = _current()
    situation_code = situation if isinstance(situation, str) else situation.code
    category_code = category if isinstance(category, str) else category.code
    if supplier is not None and supplier not in SUPPLIERS:
        raise BadSupplier(supplier)
    entry = index.by_pair.get((situation_code, category_code, supplier))
    if entry is None:
        if situation_code not in index.situation_codes:
            raise UnknownCode(
                "situation", situation_code, suggest(situation_code, index.situation_codes)
            )
        raise UnknownCode("category", category_code, suggest(category_code, index.category_codes))
    days, answers = entry
    day = on or places.today()
    return answers[bisect_right(days, day.toordinal()) - 1]
