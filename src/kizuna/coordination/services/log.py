"""The activity log: how an entry gets its number (per situation, body and marking, no
gaps), its marking and its place in the log, audited and announced (`_append`; the entries
the system words itself in both languages, `_system_entry`, which every room writes
through), and the writes on entries: posting, an exercise's delivery, translating, vetting,
changing the event time."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kizuna.core.audit import record_event, record_fields
from kizuna.core.models import Membership, Organization, Person
from kizuna.sharing import services as sharing_services
from kizuna.sharing.marking import Marking
from kizuna.sharing.models import ClassificationLevel, MarkingSet

from .. import policy
from ..live import announce
from ..models import (
    Body,
    EntrySeries,
    EventTimeEdit,
    Language,
    LogEntry,
    Situation,
    SupportRequest,
    entry_series_code,
    other_language,
)
from ._common import _check_event_time, _lock


def _next_rev(situation: Situation) -> int:
    """Hand out the situation's next sequence number; `situation` must be locked."""
    situation.last_seq += 1
    Situation.objects.filter(pk=situation.pk).update(last_seq=situation.last_seq)
    return situation.last_seq


def entry_series(situation: Situation, body: Body | None, marking: MarkingSet) -> EntrySeries:
    """The series of a situation's entries of this body (None: situation-wide) under this
    marking, locked; made with no number drawn when it is the first."""
    series = (
        EntrySeries.objects.select_for_update()
        .filter(situation=situation, body=body, marking=marking)
        .first()
    )
    if series is None:
        code = _free_code(situation, body, marking)
        series = EntrySeries.objects.create(
            situation=situation, body=body, marking=marking, code=code
        )
    return series


def draw_number(situation: Situation, body: Body | None, marking: MarkingSet) -> EntrySeries:
    """The entry's series with its next number drawn, under the series' row lock in the
    creating transaction: a rolled back post gives the number back, so no series has gaps."""
    series = entry_series(situation, body, marking)
    series.last_number += 1
    EntrySeries.objects.filter(pk=series.pk).update(last_number=series.last_number)
    return series


def _free_code(situation: Situation, body: Body | None, marking: MarkingSet) -> str:
    """The shortest digest no other series of the situation holds (they seldom clash)."""
    taken = set(EntrySeries.objects.filter(situation=situation).values_list("code", flat=True))
    for length in range(5, 41):
        code = entry_series_code(body.code if body else "", marking.key, length)
        if code not in taken:
            return code
    raise RuntimeError(f"no free series code in situation {situation.pk}")


def _default_marking(
    *, organization: Organization, situation: Situation, body: Body | None
) -> Marking:
    """The lowest level of the author's nation, releasable to the nations sitting in the
    entry's body (for a situation-wide entry, in the situation's bodies; with none, Japan and
    the United States), the author's own nation always among them."""
    level = ClassificationLevel.objects.filter(nation=organization.nation_id).order_by("rank")
    lowest = level.first()
    if lowest is None:
        raise ValidationError(
            {
                "marking": _(
                    "%(nation)s has no classification level yet, so its staff cannot post to "
                    "a log; an administrator adds the levels first."
                )
                % {"nation": organization.nation_id}
            }
        )
    bodies = [body] if body is not None else Body.objects.filter(situation=situation)
    nations = set(
        Body.organizations.through.objects.filter(body__in=bodies).values_list(
            "organization__nation_id", flat=True
        )
    )
    return Marking(
        level=lowest.code,
        releasable_to=tuple(sorted((nations or {"JPN", "USA"}) | {organization.nation_id})),
    )


def _entry_marking(
    *,
    author: Person,
    organization: Organization,
    situation: Situation,
    body: Body | None,
    marking: Marking | None,
) -> MarkingSet:
    """The marking row a new entry points at: the marking given, checked as sharing checks
    an item's (known codes, the author's nation among the releasable ones) and never beyond
    the author's own clearance; else the default."""
    if marking is None:
        marking = _default_marking(organization=organization, situation=situation, body=body)
        # Made of known rows: once its marking row exists, one lookup by key finds it.
        existing = MarkingSet.objects.filter(key=marking.key).first()
        return existing or sharing_services.marking_set(
            sharing_services.resolve_marking(marking, originator=organization)
        )
    resolved = sharing_services.resolve_marking(marking, originator=organization)
    sharing_services.require_within_reach(author, resolved)
    return sharing_services.marking_set(resolved)


# What an entry's audit event seals: its content, not its number (drawn per series).
_ENTRY_CONTENT = (
    "situation",
    "body",
    "kind",
    "language",
    "text",
    "event_at",
    "significant",
    "corrects",
    "support_request",
    "marking",
)


def _append(
    *,
    situation: Situation,
    body: Body | None,
    kind: str,
    author: Person,
    membership: Membership,
    language: str,
    text: str,
    marking: MarkingSet | None = None,
    translation_text: str = "",
    event_at: datetime | None = None,
    significant: bool = False,
    corrects: LogEntry | None = None,
    support_request: SupportRequest | None = None,
) -> LogEntry:
    """Add one entry to a locked situation's log, audit it and announce it. Without a
    marking row it gets the default marking."""
    if marking is None:
        marking = _entry_marking(
            author=author,
            organization=membership.organization,
            situation=situation,
            body=body,
            marking=None,
        )
    rev = _next_rev(situation)
    series = draw_number(situation, body, marking)
    now = timezone.now()
    entry = LogEntry.objects.create(
        marking=marking,
        situation=situation,
        seq=rev,
        rev=rev,
        series=series,
        number=series.last_number,
        label=f"{series.code}-{series.last_number}",
        body=body,
        kind=kind,
        author=author,
        author_organization=membership.organization,
        author_position=membership.position,
        recorded_at=now,
        event_at=event_at or now,
        language=language,
        text=text,
        translation=translation_text,
        translated_at=now if translation_text else None,
        significant=significant,
        corrects=corrects,
        support_request=support_request,
    )
    record_event(
        actor=author,
        action="coordination.entry.post",
        obj=entry,
        after=record_fields(entry, *_ENTRY_CONTENT),
    )
    announce(situation.pk)
    return entry


def _worded(compose: Callable[[], str], language: str) -> tuple[str, str]:
    """The same system sentence in the actor's language and in the other."""
    with translation.override(language):
        original = compose()
    with translation.override(other_language(language)):
        other = compose()
    return original, other


def _system_entry(
    *,
    situation: Situation,
    body: Body | None,
    kind: str,
    actor: Person,
    membership: Membership,
    compose: Callable[[], str],
    event_at: datetime | None = None,
    significant: bool = False,
    support_request: SupportRequest | None = None,
) -> LogEntry:
    language = actor.language if actor.language in Language.values else Language.JAPANESE
    original, other = _worded(compose, language)
    return _append(
        situation=situation,
        body=body,
        kind=kind,
        author=actor,
        membership=membership,
        language=language,
        text=original,
        translation_text=other,
        event_at=event_at,
        significant=significant,
        support_request=support_request,
    )


@transaction.atomic
def entry_post(
    *,
    actor: Person,
    body: Body,
    kind: str,
    text: str,
    language: str,
    event_at: datetime | None = None,
    significant: bool = False,
    corrects: LogEntry | None = None,
    marking: Marking | None = None,
) -> LogEntry:
    """Post to a body's log. Without a marking the entry gets the default
    (`_default_marking`); a correction gets that of the entry it corrects."""
    membership = policy.posting_membership(actor, body)
    if membership is None:
        raise PermissionDenied(
            _("You do not sit in %(body)s: only its member organizations' staff post to its log.")
            % {"body": body}
        )
    if body.situation is None:
        raise ValidationError({"body": _("This body keeps meetings, not a situation log.")})
    situation = _lock(body.situation)
    if not situation.is_open or not body.is_active:
        raise ValidationError({"body": _("This body's log is closed: it has stood down.")})
    if kind not in LogEntry.Kind.values:
        raise ValidationError({"kind": _("Unknown kind of entry.")})
    if language not in Language.values:
        raise ValidationError({"language": _("Choose Japanese or English.")})
    if not text.strip():
        raise ValidationError({"text": _("Write the entry's text.")})
    if event_at is not None:
        _check_event_time(event_at)
    if corrects is not None and corrects.situation_id != situation.pk:
        raise ValidationError({"corrects": _("A correction points at an entry of the same log.")})
    if corrects is not None and not policy.entries_visible(actor).filter(pk=corrects.pk).exists():
        raise ValidationError({"corrects": _("A correction points at an entry you can read.")})
    if corrects is not None and marking is None:
        marking_row = corrects.marking
    else:
        marking_row = _entry_marking(
            author=actor,
            organization=membership.organization,
            situation=situation,
            body=body,
            marking=marking,
        )
    return _append(
        marking=marking_row,
        situation=situation,
        body=body,
        kind=kind,
        author=actor,
        membership=membership,
        language=language,
        text=text.strip(),
        event_at=event_at,
        significant=significant,
        corrects=corrects,
    )


@transaction.atomic
def entry_deliver(
    *,
    author: Person,
    membership: Membership,
    body: Body,
    text_ja: str,
    text_en: str,
    event_at: datetime,
    marking: MarkingSet,
) -> LogEntry:
    """An exercise's inject going out into a body's log (exercises.services.scenario), in
    both languages, under the exercise's marking, as written by the controller who approved
    it: the controllers' cell does not sit in the body, so `entry_post`'s rule is not asked."""
    if body.situation is None:
        raise ValidationError({"body": _("This body keeps meetings, not a situation log.")})
    situation = _lock(body.situation)
    if not situation.is_open or not body.is_active:
        raise ValidationError({"body": _("This body's log is closed: it has stood down.")})
    return _append(
        marking=marking,
        situation=situation,
        body=body,
        kind=LogEntry.Kind.INFORMATION,
        author=author,
        membership=membership,
        language=Language.JAPANESE,
        text=text_ja,
        translation_text=text_en,
        event_at=event_at,
    )


def _revise(entry: LogEntry, fields: list[str]) -> LogEntry:
    """Save a change to an entry under a new revision, and announce it."""
    situation = _lock(entry.situation)
    entry.rev = _next_rev(situation)
    entry.save(update_fields=[*fields, "rev"])
    announce(situation.pk)
    return entry


def _locked_entry(entry: LogEntry, actor: Person) -> LogEntry:
    """The entry, locked, when the actor may read it (its body and its marking)."""
    if not policy.entries_visible(actor).filter(pk=entry.pk).exists():
        raise PermissionDenied
    return (
        LogEntry.objects.select_for_update(of=("self",))
        .select_related("body", "situation")
        .get(pk=entry.pk)
    )


@transaction.atomic
def entry_translate(*, actor: Person, entry: LogEntry, text: str, language: str) -> LogEntry:
    """A liaison officer gives the entry's text in the other language."""
    entry = _locked_entry(entry, actor)
    if not policy.may_translate(actor, entry):
        raise PermissionDenied
    if language == entry.language:
        raise ValidationError(
            {
                "language": _(
                    "The original is already in this language. A translation is made from "
                    "the original into the other language, never from a translation."
                )
            }
        )
    if entry.translation:
        raise ValidationError(
            {
                "translation": _(
                    "This entry already has its translation. To change it, post a correction."
                )
            }
        )
    if not text.strip():
        raise ValidationError({"text": _("Write the translation.")})
    entry.translation = text.strip()
    entry.translated_by = actor
    entry.translated_at = timezone.now()
    _revise(entry, ["translation", "translated_by", "translated_at"])
    record_event(
        actor=actor,
        action="coordination.entry.translate",
        obj=entry,
        after=record_fields(entry, "translation", "translated_by", "translated_at"),
    )
    return entry


@transaction.atomic
def entry_vet(*, actor: Person, entry: LogEntry) -> LogEntry:
    """A coordinator lets a significant event onto the situation's board."""
    entry = _locked_entry(entry, actor)
    if not policy.may_vet(actor, entry):
        raise PermissionDenied
    if not entry.significant:
        raise ValidationError({"significant": _("Only significant events are vetted.")})
    if entry.vetted_at is not None:
        raise ValidationError({"vetted": _("This entry has been vetted already.")})
    entry.vetted_by = actor
    entry.vetted_at = timezone.now()
    _revise(entry, ["vetted_by", "vetted_at"])
    record_event(actor=actor, action="coordination.entry.vet", obj=entry)
    return entry


@transaction.atomic
def entry_set_event_time(
    *, actor: Person, entry: LogEntry, event_at: datetime, reason: str
) -> LogEntry:
    entry = _locked_entry(entry, actor)
    if not policy.may_edit_event_time(actor, entry):
        raise PermissionDenied
    _check_event_time(event_at)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the event time changes.")})
    EventTimeEdit.objects.create(
        entry=entry, previous=entry.event_at, new=event_at, edited_by=actor, reason=reason.strip()
    )
    before = entry.event_at
    entry.event_at = event_at
    _revise(entry, ["event_at"])
    record_event(
        actor=actor,
        action="coordination.entry.event_time",
        obj=entry,
        before={"event_at": before},
        after={"event_at": event_at, "reason": reason},
    )
    return entry
