"""The bounds of every kind of input, in one place: pages, the API, imports and the command
line all ask here, so a value one of them refuses is refused by all of them, with the same
words.

- Dates and times: a range per purpose (`SPANS`), checked by `check_moment` where the
  services take the value, and said in the error.
- Text: lengths (`TITLE_CHARS` …) and control characters (`refuse_control_characters`:
  NUL, the other C0 characters but tab and line breaks, DEL, and the bidirectional
  overrides and isolates that make text read other than it is stored).
- Numbers and paging: `MAX_COUNT`, `PAGE_SIZE`, `MAX_PAGE_SIZE`.
- Request bodies: `MAX_BODY_BYTES`, answered with 413 by `core.middleware.InputGuardMiddleware`.

A value stored before these bounds existed may lie outside them; `STORED_EARLIEST` and
`STORED_LATEST` are what `kizuna check-data` lists for repair, and pages show such a value
as invalid instead of failing (`core.templatetags.zones`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# Text.
TITLE_CHARS = 200  # titles, names, places
SUMMARY_CHARS = 300  # a line's description, what is needed, a short reason
REASON_CHARS = 2_000  # a reason, a note
ENTRY_CHARS = 8_000  # a log entry, its translation
BODY_CHARS = 20_000  # a shared item's body

# Numbers: a count of people, ships or aircraft.
MAX_COUNT = 10_000_000

# Paging.
PAGE_SIZE = 50
MAX_PAGE_SIZE = 200

# Request bodies: an attachment of 10 MB travels base64-encoded in JSON (4/3 of its size)
# with its name and checksum beside it.
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
MAX_BODY_BYTES = MAX_ATTACHMENT_BYTES * 4 // 3 + 64 * 1024

# Nothing Kizuna records happened before this day (the alliance's coordination mechanism
# and ACSA both came later); the latest day any record may name.
EARLIEST = date(1990, 1, 1)
LATEST = date(2100, 12, 31)
# What `kizuna check-data` holds stored values to.
STORED_EARLIEST = datetime.combine(EARLIEST, time(), UTC)
STORED_LATEST = datetime.combine(LATEST, time.max, UTC)

# C0 controls but tab, line feed and carriage return; DEL; the bidirectional embeddings,
# overrides and isolates (U+202A–U+202E, U+2066–U+2069).
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069]")

# A clock a little ahead of the server's is not a mistake.
SKEW = timedelta(minutes=5)


@dataclass(frozen=True)
class Span:
    """The range a date or time of one purpose may take: from `earliest` to `ahead` past now
    (at most `LATEST`)."""

    what: Promise
    earliest: date
    ahead: timedelta

    def latest(self, now: datetime) -> datetime:
        return min(now + self.ahead, STORED_LATEST)

    def says_now(self) -> bool:
        return self.ahead <= SKEW


SPANS: dict[str, Span] = {
    "event": Span(_("The event time"), EARLIEST, SKEW),
    "observed": Span(_("The observation time"), EARLIEST, SKEW),
    "situation_start": Span(_("The start of the situation"), EARLIEST, timedelta(days=366)),
    "needed_by": Span(_("The time it is needed by"), EARLIEST, timedelta(days=5 * 366)),
    "delivery": Span(_("The delivery date"), date(1996, 1, 1), timedelta(days=10 * 366)),
    "exercise": Span(_("The date of the exercise"), EARLIEST, timedelta(days=5 * 366)),
}


def _as_instant(value: date | datetime) -> datetime:
    if isinstance(value, datetime):
        return value if timezone.is_aware(value) else value.replace(tzinfo=UTC)
    return datetime.combine(value, time(), UTC)


def _day(value: date | datetime) -> str:
    return value.strftime("%Y-%m-%d")


def moment_problem(purpose: str, value: date | datetime, now: datetime | None = None) -> str:
    """Why `value` is out of its purpose's range, or "" when it is within."""
    span = SPANS[purpose]
    now = now or timezone.now()
    earliest = datetime.combine(span.earliest, time(), UTC)
    latest = span.latest(now)
    try:
        instant = _as_instant(value)
        early, late = instant < earliest, instant > latest
    except (OverflowError, ValueError):  # an offset that takes year 1 or 9999 off the calendar
        early, late = value.year < 2000, value.year >= 2000
    words = {
        "what": span.what,
        "earliest": _day(span.earliest),
        "latest": _("now") if span.says_now() else _day(latest),
    }
    if early:
        return str(
            _("%(what)s is before %(earliest)s: give one from %(earliest)s to %(latest)s.") % words
        )
    if late and span.says_now():
        return str(_("%(what)s is in the future: give one from %(earliest)s to now.") % words)
    if late:
        return str(
            _("%(what)s is after %(latest)s: give one from %(earliest)s to %(latest)s.") % words
        )
    return ""


def offer_range(field: Any, purpose: str) -> None:
    """The browser's date picker offers only the purpose's range (the server still checks)."""
    from django import forms

    span = SPANS[purpose]
    shape = "%Y-%m-%dT%H:%M" if isinstance(field, forms.DateTimeField) else "%Y-%m-%d"
    earliest = datetime.combine(span.earliest, time(), UTC)
    field.widget.attrs.update(
        min=earliest.strftime(shape), max=span.latest(timezone.now()).strftime(shape)
    )


def check_moment(purpose: str, value: date | datetime | None, *, field: str) -> None:
    """Refuse `value` (None passes) with a ValidationError on `field` naming the range."""
    if value is None:
        return
    problem = moment_problem(purpose, value)
    if problem:
        raise ValidationError({field: problem})


def refuse_control_characters(value: Any) -> None:
    """A validator for any text: control characters and bidirectional overrides refused."""
    if isinstance(value, str) and (found := CONTROL_CHARACTERS.search(value)):
        raise ValidationError(
            _("The text holds a control character (U+%(code)04X) that cannot be shown: remove it."),
            code="control_character",
            params={"code": ord(found.group())},
        )


def control_character_in(value: Any, path: str = "") -> tuple[str, str] | None:
    """The first (path, character) of a control character anywhere in parsed JSON."""
    if isinstance(value, str):
        found = CONTROL_CHARACTERS.search(value)
        return (path, found.group()) if found else None
    if isinstance(value, dict):
        items: Any = value.items()
    elif isinstance(value, list):
        items = enumerate(value)
    else:
        return None
    for key, inner in items:
        if isinstance(key, str) and CONTROL_CHARACTERS.search(key):
            return (path, CONTROL_CHARACTERS.search(key).group())  # type: ignore[union-attr]
        hit = control_character_in(inner, f"{path}.{key}" if path else str(key))
        if hit:
            return hit
    return None


def control_character_message(character: str) -> str:
    return str(
        _("The text holds a control character (U+%(code)04X) that cannot be shown: remove it.")
        % {"code": ord(character)}
    )


@dataclass(frozen=True)
class StoredProblem:
    model: str  # "coordination.Situation"
    pk: Any
    field: str
    value: Any


def stored_out_of_bounds() -> list[StoredProblem]:
    """Every stored date or time of Kizuna's own models outside `STORED_EARLIEST` …
    `STORED_LATEST`: what was saved before the bounds, for `kizuna check-data` to list."""
    from django.apps import apps
    from django.db import models

    found = []
    for model in apps.get_models():
        if not model.__module__.startswith("kizuna."):
            continue
        for field in model._meta.concrete_fields:
            low: date | datetime
            high: date | datetime
            if isinstance(field, models.DateTimeField):
                low, high = STORED_EARLIEST, STORED_LATEST
            elif isinstance(field, models.DateField):
                low, high = STORED_EARLIEST.date(), STORED_LATEST.date()
            else:
                continue
            outside = models.Q(**{f"{field.name}__lt": low}) | models.Q(
                **{f"{field.name}__gt": high}
            )
            rows = model._default_manager.filter(outside).values_list("pk", field.attname)
            label = f"{model._meta.app_label}.{model.__name__}"
            found += [StoredProblem(label, pk, field.name, value) for pk, value in rows]
    return found
