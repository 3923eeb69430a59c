"""Every write in coordination: one keyword-only function per action, atomic, audited, and
announced to live readers in the same transaction.

Entries the system writes itself (a designation, a request changing hands, a body standing
up) are worded by the system in both languages at once: the actor's language is the
original, the other the translation, with no translator named.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from kizuna.acsa import services as acsa_services
from kizuna.acsa.models import Category, Order, SituationType
from kizuna.core import bounds, places
from kizuna.core.audit import record_event, record_fields
from kizuna.core.models import Membership, Organization, Person, Role
from kizuna.sharing import services as sharing_services
from kizuna.sharing.marking import Marking
from kizuna.sharing.models import ClassificationLevel, MarkingSet

from . import policy, selectors
from .live import announce
from .models import (
    ActionItem,
    Body,
    Designation,
    EntrySeries,
    EventTimeEdit,
    Language,
    LogEntry,
    Meeting,
    RequestEvent,
    RequestLine,
    ResourceReport,
    Situation,
    SupportRequest,
    entry_series_code,
    other_language,
)

# How far ahead of the server's clock an event time may be: clocks drift, events do not.


def _lock(situation: Situation) -> Situation:
    return Situation.objects.select_for_update().get(pk=situation.pk)


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


def _check_event_time(event_at: datetime, field: str = "event_at") -> None:
    bounds.check_moment("event", event_at, field=field)


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


def _bilingual(value_ja: str, value_en: str) -> str:
    """A bilingual name as the sentence being worded needs it (active language)."""
    return value_ja if (translation.get_language() or "ja").startswith("ja") else value_en


def _amount(value: Decimal) -> str:
    """20.000 -> "20", 2.500 -> "2.5" (never "2E+1")."""
    return f"{value.normalize():f}"


# --- situations and designations ----------------------------------------------------------


@transaction.atomic
def situation_open(
    *,
    actor: Person,
    organization: Organization,
    title_ja: str,
    title_en: str,
    kind: str,
    starts_at: datetime,
    place_name: str = "",
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
) -> Situation:
    membership = policy.acting_membership(actor, organization)
    if membership is None or not policy.may_open_situation(actor):
        raise PermissionDenied
    title_ja, title_en = title_ja.strip(), title_en.strip()
    if not title_ja and not title_en:
        raise ValidationError({"title": _("Give the situation a title in at least one language.")})
    if kind not in Situation.Kind.values:
        raise ValidationError({"kind": _("Unknown kind of situation.")})
    bounds.check_moment("situation_start", starts_at, field="starts_at")
    for name, value, limit in (("latitude", latitude, 90), ("longitude", longitude, 180)):
        if value is not None and not -limit <= value <= limit:
            raise ValidationError({name: _("Out of range.")})
    situation = Situation.objects.create(
        title_ja=title_ja,
        title_en=title_en,
        kind=kind,
        starts_at=starts_at,
        place_name=place_name.strip(),
        latitude=latitude,
        longitude=longitude,
        lead_organization=organization,
    )
    record_event(
        actor=actor,
        action="coordination.situation.open",
        obj=situation,
        after={"title_ja": title_ja, "title_en": title_en, "kind": kind, "starts_at": starts_at},
    )
    _system_entry(
        situation=situation,
        body=None,
        kind=LogEntry.Kind.DECISION,
        actor=actor,
        membership=membership,
        compose=lambda: (
            _("Situation opened: %(title)s")
            % {"title": _bilingual(title_ja or title_en, title_en or title_ja)}
        ),
        event_at=min(starts_at, timezone.now()),
    )
    return situation


def _open_requests(situation: Situation) -> dict[str, str]:
    """The situation's requests for support still open, which keep it from closing."""
    still_open = list(
        situation.support_requests.filter(status__in=SupportRequest.OPEN_STATUSES).order_by("pk")
    )
    if not still_open:
        return {}
    listed = ", ".join(f"#{r.reference} {r.summary} ({r.get_status_display()})" for r in still_open)
    return {
        "requests": _(
            "These requests for support are still open; complete or decline them first: "
            "%(requests)s"
        )
        % {"requests": listed}
    }


def _close_checks() -> list[Callable[..., dict[str, str]]]:
    """What other apps keep open in a situation, each asked through the
    `situation_close_check` its AppConfig names (exercises: injects still to go out). A
    check answers, for the actor, its reasons by field (empty when the situation may close)."""
    return [
        import_string(path)
        for config in apps.get_app_configs()
        if (path := getattr(config, "situation_close_check", None))
    ]


@transaction.atomic
def situation_close(
    *, actor: Person, situation: Situation, text: str, at: datetime | None = None
) -> Situation:
    """Close a situation with a formal closing entry, ending when `at` says (default now).
    Refused while requests are open."""
    situation = _lock(situation)
    membership = policy.lead_membership(actor, situation)
    if membership is None:
        raise PermissionDenied
    if not situation.is_open:
        raise ValidationError({"status": _("This situation is already closed.")})
    if not text.strip():
        raise ValidationError({"text": _("Write the closing entry: why the situation ends.")})
    refusals = _open_requests(situation)
    for check in _close_checks():
        refusals |= check(actor=actor, situation=situation)
    if refusals:
        raise ValidationError(refusals)
    now = timezone.now() if at is None else at
    _check_event_time(now)
    if now < situation.starts_at:
        raise ValidationError({"at": _("A situation ends after it starts.")})
    closing = _append(
        situation=situation,
        body=None,
        kind=LogEntry.Kind.DECISION,
        author=actor,
        membership=membership,
        language=actor.language,
        text=text.strip(),
        event_at=now,
        significant=True,
    )
    _vet_by_decider(closing, actor)
    in_force = situation.designations.filter(ends_at__isnull=True).first()
    if in_force is not None and in_force.starts_at >= now:
        raise ValidationError({"at": _("The designation in force starts after this time.")})
    if in_force is not None:
        in_force.ends_at = now
        in_force.ending_decision = closing
        in_force.save(update_fields=["ends_at", "ending_decision"])
    situation.bodies.filter(stood_down_at__isnull=True).update(stood_down_at=now)
    situation.status = Situation.Status.CLOSED
    situation.ends_at = now
    situation.closing_entry = closing
    situation.save(update_fields=["status", "ends_at", "closing_entry"])
    record_event(
        actor=actor,
        action="coordination.situation.close",
        obj=situation,
        after={"closing_entry": closing.pk, "ends_at": now},
    )
    return situation


def _designation_membership(actor: Person, situation: Situation) -> Membership:
    membership = policy.designating_membership(actor, situation)
    if membership is None:
        raise PermissionDenied
    if not situation.is_open:
        raise ValidationError({"status": _("This situation is closed.")})
    return membership


def _in_force(situation: Situation) -> Designation | None:
    return (
        situation.designations.filter(ends_at__isnull=True).select_related("situation_type").first()
    )


def _designation_names(situation_type: SituationType) -> Callable[[], str]:
    return lambda: _bilingual(situation_type.name_ja, situation_type.name_en)


@transaction.atomic
def designation_add(
    *, actor: Person, situation: Situation, situation_type: SituationType, starts_at: datetime
) -> Designation:
    """Designate a situation as an ACSA situation type from a moment. A designation that
    would overlap another is refused: end it first, or re-designate."""
    situation = _lock(situation)
    membership = _designation_membership(actor, situation)
    _check_event_time(starts_at, field="starts_at")
    overlapping = (
        situation.designations.filter(Q(ends_at__isnull=True) | Q(ends_at__gt=starts_at))
        .select_related("situation_type")
        .first()
    )
    if overlapping is not None:
        raise ValidationError(
            {
                "starts_at": _(
                    "This overlaps the designation as “%(type)s” in force from %(start)s. "
                    "End it first, or re-designate."
                )
                % {
                    "type": overlapping.situation_type.name,
                    "start": overlapping.starts_at.isoformat(timespec="minutes"),
                }
            }
        )
    return _designate(
        situation=situation,
        situation_type=situation_type,
        starts_at=starts_at,
        actor=actor,
        membership=membership,
        compose=lambda: (
            _("Designated as: %(type)s") % {"type": _designation_names(situation_type)()}
        ),
    )


def _require_type_in_force(situation_type: SituationType, starts_at: datetime) -> None:
    """A designation names a situation type in force on its date (Japan's): not one that was
    replaced (周辺事態 by 重要影響事態), ended, or whose law lapsed, nor one not yet in force."""
    day = places.date_of(starts_at)
    replaced = situation_type.replaced_by
    if situation_type.effective_from and day < situation_type.effective_from:
        message = _(
            "“%(type)s” is in force only from %(since)s; it cannot be designated on %(day)s."
        )
    elif (situation_type.effective_to and day > situation_type.effective_to) or (
        situation_type.law_lapsed_on and day > situation_type.law_lapsed_on
    ):
        message = (
            _(
                "“%(type)s” is no longer in force on %(day)s: it was replaced by "
                "“%(replacement)s” (in force from %(replacement_since)s)."
            )
            if replaced
            else _("“%(type)s” is no longer in force on %(day)s: its law lapsed or it ended.")
        )
    else:
        return
    raise ValidationError(
        {
            "situation_type": message
            % {
                "type": situation_type.name,
                "since": situation_type.effective_from,
                "day": day.isoformat(),
                "replacement": replaced.name if replaced else "",
                "replacement_since": replaced.effective_from if replaced else "",
            }
        }
    )


def _designate(
    *,
    situation: Situation,
    situation_type: SituationType,
    starts_at: datetime,
    actor: Person,
    membership: Membership,
    compose: Callable[[], str],
) -> Designation:
    _require_type_in_force(situation_type, starts_at)
    decision = _system_entry(
        situation=situation,
        body=None,
        kind=LogEntry.Kind.DECISION,
        actor=actor,
        membership=membership,
        compose=compose,
        event_at=starts_at,
        significant=True,
    )
    _vet_by_decider(decision, actor)
    designation = Designation.objects.create(
        situation=situation, situation_type=situation_type, starts_at=starts_at, decision=decision
    )
    record_event(
        actor=actor,
        action="coordination.designation.add",
        obj=designation,
        after={"situation": situation.pk, "type": situation_type.code, "starts_at": starts_at},
    )
    return designation


def _vet_by_decider(entry: LogEntry, actor: Person) -> None:
    """A coordinator's own decision needs no second coordinator to reach the board."""
    entry.vetted_by = actor
    entry.vetted_at = entry.recorded_at
    entry.save(update_fields=["vetted_by", "vetted_at"])


def _end(designation: Designation, at: datetime, decision: LogEntry, actor: Person) -> None:
    if at <= designation.starts_at:
        raise ValidationError(
            {
                "at": _("A designation ends after it starts (%(start)s).")
                % {"start": designation.starts_at.isoformat(timespec="minutes")}
            }
        )
    designation.ends_at = at
    designation.ending_decision = decision
    designation.save(update_fields=["ends_at", "ending_decision"])
    record_event(
        actor=actor,
        action="coordination.designation.end",
        obj=designation,
        after={"ends_at": at, "decision": decision.pk},
    )


def _current_or_refuse(situation: Situation) -> Designation:
    current = _in_force(situation)
    if current is None:
        raise ValidationError({"at": _("No designation is in force for this situation.")})
    return current


@transaction.atomic
def designation_end(*, actor: Person, situation: Situation, at: datetime) -> Designation:
    situation = _lock(situation)
    membership = _designation_membership(actor, situation)
    _check_event_time(at, field="at")
    current = _current_or_refuse(situation)
    decision = _system_entry(
        situation=situation,
        body=None,
        kind=LogEntry.Kind.DECISION,
        actor=actor,
        membership=membership,
        compose=lambda: (
            _("Designation ended: %(type)s")
            % {"type": _designation_names(current.situation_type)()}
        ),
        event_at=at,
        significant=True,
    )
    _vet_by_decider(decision, actor)
    _end(current, at, decision, actor)
    return current


@transaction.atomic
def designation_change(
    *, actor: Person, situation: Situation, situation_type: SituationType, at: datetime
) -> Designation:
    """Re-designate: the designation in force ends and the new one starts at the same moment,
    by one decision."""
    situation = _lock(situation)
    membership = _designation_membership(actor, situation)
    _check_event_time(at, field="at")
    current = _current_or_refuse(situation)
    previous_type = current.situation_type
    designation = _designate(
        situation=situation,
        situation_type=situation_type,
        starts_at=at,
        actor=actor,
        membership=membership,
        compose=lambda: (
            _("Re-designated from %(old)s to %(new)s")
            % {
                "old": _designation_names(previous_type)(),
                "new": _designation_names(situation_type)(),
            }
        ),
    )
    _end(current, at, designation.decision, actor)
    return designation


# --- coordination bodies and working groups -----------------------------------------------


@transaction.atomic
def body_stand_up(
    *,
    actor: Person,
    situation: Situation | None,
    kind: str,
    code: str,
    name_ja: str,
    name_en: str,
    organizations: Sequence[Organization],
    short_name: str = "",
    parent: Body | None = None,
    at: datetime | None = None,
    established_on: date | None = None,
) -> Body:
    """Stand a body up for a situation (or a standing working group when none is given)."""
    at = at or timezone.now()
    membership: Membership | None
    if situation is not None:
        situation = _lock(situation)
        membership = policy.lead_membership(actor, situation)
        if not situation.is_open:
            raise ValidationError({"status": _("This situation is closed.")})
    else:
        membership = policy.coordinator_membership(actor)
    if membership is None:
        raise PermissionDenied
    if kind not in Body.Kind.values:
        raise ValidationError({"kind": _("Unknown kind of coordination body.")})
    if Body.objects.filter(code=code).exists():
        raise ValidationError({"code": _("A coordination body with this code exists already.")})
    if not organizations:
        raise ValidationError({"organizations": _("Name at least one member organization.")})
    body = Body.objects.create(
        situation=situation,
        kind=kind,
        code=code,
        name_ja=name_ja,
        name_en=name_en,
        short_name=short_name,
        parent=parent,
        stood_up_at=at,
        established_on=established_on,
    )
    body.organizations.set(organizations)
    record_event(
        actor=actor,
        action="coordination.body.stand_up",
        obj=body,
        after={
            "code": code,
            "kind": kind,
            "situation": situation.pk if situation else None,
            "organizations": sorted(o.code for o in organizations),
        },
    )
    if situation is not None:
        _system_entry(
            situation=situation,
            body=None,
            kind=LogEntry.Kind.DECISION,
            actor=actor,
            membership=membership,
            compose=lambda: _("Stood up: %(body)s") % {"body": _bilingual(name_ja, name_en)},
            event_at=min(at, timezone.now()),
        )
    return body


@transaction.atomic
def body_stand_down(*, actor: Person, body: Body) -> Body:
    body = Body.objects.select_for_update().get(pk=body.pk)
    if body.stood_down_at is not None:
        raise ValidationError({"status": _("This body has already stood down.")})
    situation = _lock(body.situation) if body.situation else None
    membership = (
        policy.lead_membership(actor, situation)
        if situation
        else policy.posting_membership(actor, body)
    )
    if membership is None or (situation is None and not policy.holds(actor, Role.COORDINATOR)):
        raise PermissionDenied
    body.stood_down_at = timezone.now()
    body.save(update_fields=["stood_down_at"])
    record_event(actor=actor, action="coordination.body.stand_down", obj=body)
    if situation is not None:
        _system_entry(
            situation=situation,
            body=None,
            kind=LogEntry.Kind.DECISION,
            actor=actor,
            membership=membership,
            compose=lambda: (
                _("Stood down: %(body)s") % {"body": _bilingual(body.name_ja, body.name_en)}
            ),
        )
    return body


def _working_group_coordinator(actor: Person, body: Body) -> None:
    if body.kind != Body.Kind.WORKING_GROUP:
        raise ValidationError({"body": _("Meetings are kept for working groups.")})
    if policy.coordinator_membership(actor, {o.pk for o in body.organizations.all()}) is None:
        raise PermissionDenied


@transaction.atomic
def meeting_record(
    *,
    actor: Person,
    body: Body,
    number: int,
    held_on: date,
    agenda_ja: str = "",
    agenda_en: str = "",
    minutes_ja: str = "",
    minutes_en: str = "",
    decisions_ja: str = "",
    decisions_en: str = "",
) -> Meeting:
    _working_group_coordinator(actor, body)
    if body.meetings.filter(number=number).exists():
        raise ValidationError({"number": _("This meeting number is taken.")})
    meeting = Meeting.objects.create(
        body=body,
        number=number,
        held_on=held_on,
        agenda_ja=agenda_ja,
        agenda_en=agenda_en,
        minutes_ja=minutes_ja,
        minutes_en=minutes_en,
        decisions_ja=decisions_ja,
        decisions_en=decisions_en,
    )
    record_event(
        actor=actor,
        action="coordination.meeting.record",
        obj=meeting,
        after={"body": body.code, "number": number, "held_on": held_on},
    )
    return meeting


@transaction.atomic
def action_item_add(
    *,
    actor: Person,
    meeting: Meeting,
    owner: Organization,
    title_ja: str = "",
    title_en: str = "",
    due_on: date | None = None,
) -> ActionItem:
    _working_group_coordinator(actor, meeting.body)
    if not title_ja.strip() and not title_en.strip():
        raise ValidationError({"title": _("Give the action a title in at least one language.")})
    item = ActionItem.objects.create(
        meeting=meeting, owner=owner, title_ja=title_ja, title_en=title_en, due_on=due_on
    )
    record_event(
        actor=actor,
        action="coordination.action_item.add",
        obj=item,
        after={"meeting": meeting.pk, "owner": owner.code, "title_en": title_en},
    )
    return item


@transaction.atomic
def action_item_close(*, actor: Person, item: ActionItem, note: str) -> ActionItem:
    item = ActionItem.objects.select_for_update().select_related("meeting__body").get(pk=item.pk)
    if policy.acting_membership(actor, item.owner) is None:
        _working_group_coordinator(actor, item.meeting.body)
    if item.closed_at is not None:
        raise ValidationError({"status": _("This action item is already closed.")})
    if not note.strip():
        raise ValidationError({"note": _("Say how the action was closed.")})
    item.closed_at = timezone.now()
    item.closed_by = actor
    item.closing_note = note.strip()
    item.save(update_fields=["closed_at", "closed_by", "closing_note"])
    record_event(
        actor=actor, action="coordination.action_item.close", obj=item, after={"note": note}
    )
    return item


# --- the activity log ----------------------------------------------------------------------


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


# --- requests for support ------------------------------------------------------------------


@dataclass(frozen=True)
class LineInput:
    category: str
    description: str
    quantity: Decimal | None
    unit: str


def _clean_lines(lines: Sequence[LineInput]) -> list[tuple[Category, LineInput]]:
    if not lines:
        raise ValidationError({"lines": _("Add at least one line: what is needed, how much.")})
    categories = {c.code: c for c in Category.objects.filter(code__in=[x.category for x in lines])}
    errors: dict[str, str] = {}
    cleaned = []
    for index, line in enumerate(lines):
        category = categories.get(line.category)
        if category is None:
            errors[f"lines.{index}.category"] = _("Unknown category.")
        elif category.prohibited:
            errors[f"lines.{index}.category"] = _("Weapons are never provided.")
        if line.quantity is None or line.quantity <= 0:
            errors[f"lines.{index}.quantity"] = _("Give a quantity greater than zero.")
        if not line.unit.strip():
            errors[f"lines.{index}.unit"] = _("Give the unit (tonnes, litres, sorties…).")
        if category is not None:
            cleaned.append((category, line))
    if errors:
        raise ValidationError(errors)
    return cleaned


@transaction.atomic
def request_create(
    *,
    actor: Person,
    body: Body,
    requesting_organization: Organization,
    supporting_organization: Organization,
    summary: str,
    language: str,
    place_name: str,
    needed_by: datetime,
    priority: str,
    lines: Sequence[LineInput],
) -> SupportRequest:
    if policy.acting_membership(actor, requesting_organization) is None or not policy.may_post(
        actor, body
    ):
        raise PermissionDenied
    if body.situation is None or not body.situation.is_open or not body.is_active:
        raise ValidationError({"body": _("This body takes no requests: it has stood down.")})
    if not summary.strip():
        raise ValidationError({"summary": _("Say what is needed.")})
    if not place_name.strip():
        raise ValidationError({"place_name": _("Say where it is needed.")})
    if priority not in SupportRequest.Priority.values:
        raise ValidationError({"priority": _("Unknown priority.")})
    if language not in Language.values:
        raise ValidationError({"language": _("Choose Japanese or English.")})
    if requesting_organization == supporting_organization:
        raise ValidationError({"supporting_organization": _("Ask another organization.")})
    bounds.check_moment("needed_by", needed_by, field="needed_by")
    cleaned = _clean_lines(lines)
    request = SupportRequest.objects.create(
        situation=body.situation,
        body=body,
        requesting_organization=requesting_organization,
        supporting_organization=supporting_organization,
        summary=summary.strip(),
        language=language,
        place_name=place_name.strip(),
        needed_by=needed_by,
        priority=priority,
        created_by=actor,
    )
    RequestLine.objects.bulk_create(
        RequestLine(
            request=request,
            category=category,
            description=line.description.strip(),
            quantity=line.quantity or Decimal(0),  # checked above: always a positive quantity
            unit=line.unit.strip(),
        )
        for category, line in cleaned
    )
    RequestEvent.objects.create(
        request=request,
        action=RequestEvent.Action.CREATED,
        actor=actor,
        from_body=body,
        to_body=body,
    )
    record_event(
        actor=actor,
        action="coordination.request.create",
        obj=request,
        after={
            "body": body.code,
            "from": requesting_organization.code,
            "to": supporting_organization.code,
            "summary": summary,
            "lines": [
                {"category": c.code, "quantity": x.quantity, "unit": x.unit} for c, x in cleaned
            ],
        },
    )
    return request


def _locked_request(request: SupportRequest) -> SupportRequest:
    return (
        SupportRequest.objects.select_for_update()
        .select_related("situation", "body", "requesting_organization", "supporting_organization")
        .get(pk=request.pk)
    )


def _step(
    *,
    request: SupportRequest,
    actor: Person,
    membership: Membership,
    allowed_from: Sequence[str],
    to_status: str,
    action: str,
    note: str = "",
    to_body: Body | None = None,
) -> SupportRequest:
    """Move a request one step along its lifecycle, with its history, audit and log entry."""
    if request.status not in allowed_from:
        raise ValidationError(
            {
                "status": _("A request that is %(status)s cannot be %(action)s.")
                % {
                    "status": request.get_status_display(),
                    "action": RequestEvent.Action(action).label,
                }
            }
        )
    situation = _lock(request.situation)
    from_body = request.body
    before = {"status": request.status, "body": from_body.code}
    request.status = to_status
    request.body = to_body or from_body
    request.save(update_fields=["status", "body", "decline_reason"])
    RequestEvent.objects.create(
        request=request,
        action=action,
        actor=actor,
        from_body=from_body,
        to_body=request.body,
        note=note,
    )
    record_event(
        actor=actor,
        action=f"coordination.request.{action}",
        obj=request,
        before=before,
        after={"status": to_status, "body": request.body.code, "note": note},
    )
    label = RequestEvent.Action(action)
    _system_entry(
        situation=situation,
        body=request.body,
        kind=LogEntry.Kind.REQUEST,
        actor=actor,
        membership=membership,
        compose=lambda: (
            _("Request #%(number)s (%(summary)s): %(action)s")
            % {"number": request.reference, "summary": request.summary, "action": str(label.label)}
        ),
        support_request=request,
    )
    return request


def _for(actor: Person, organization: Organization) -> Membership:
    membership = policy.acting_membership(actor, organization)
    if membership is None:
        raise PermissionDenied
    return membership


S = SupportRequest.Status
A = RequestEvent.Action


def _simple_step(
    request: SupportRequest,
    actor: Person,
    *,
    party: str,
    allowed_from: Sequence[str],
    to_status: str,
    action: str,
) -> SupportRequest:
    """A step taken for one party (`requesting` or `supporting`) with nothing to add."""
    request = _locked_request(request)
    membership = _for(actor, getattr(request, f"{party}_organization"))
    return _step(
        request=request,
        actor=actor,
        membership=membership,
        allowed_from=allowed_from,
        to_status=to_status,
        action=action,
    )


@transaction.atomic
def request_submit(*, actor: Person, request: SupportRequest) -> SupportRequest:
    return _simple_step(
        request,
        actor,
        party="requesting",
        allowed_from=policy.REQUEST_STEPS["submit"][1],
        to_status=S.SUBMITTED,
        action=A.SUBMITTED,
    )


@transaction.atomic
def request_acknowledge(*, actor: Person, request: SupportRequest) -> SupportRequest:
    return _simple_step(
        request,
        actor,
        party="supporting",
        allowed_from=policy.REQUEST_STEPS["acknowledge"][1],
        to_status=S.ACKNOWLEDGED,
        action=A.ACKNOWLEDGED,
    )


@transaction.atomic
def request_accept(
    *, actor: Person, request: SupportRequest, accepted: dict[int, Decimal] | None = None
) -> SupportRequest:
    """Accept every line in full, or the quantities given per line id (partly)."""
    request = _locked_request(request)
    membership = _for(actor, request.supporting_organization)
    lines = list(request.lines.select_for_update())
    amounts = {line.pk: line.quantity for line in lines}
    if accepted is not None:
        unknown = set(accepted) - set(amounts)
        if unknown:
            raise ValidationError({"lines": _("Unknown line of this request.")})
        amounts = {pk: accepted.get(pk, Decimal(0)) for pk in amounts}
    errors = {}
    for line in lines:
        amount = amounts[line.pk]
        if amount < 0 or amount > line.quantity:
            errors[f"lines.{line.public_id}"] = _(
                "Accept between 0 and the %(quantity)s %(unit)s requested."
            ) % {"quantity": _amount(line.quantity), "unit": line.unit}
    if errors:
        raise ValidationError(errors)
    if not any(amounts.values()):
        raise ValidationError({"lines": _("Accept something, or decline with a reason.")})
    for line in lines:
        line.accepted = amounts[line.pk]
    RequestLine.objects.bulk_update(lines, ["accepted"])
    full = all(line.accepted == line.quantity for line in lines)
    return _step(
        request=request,
        actor=actor,
        membership=membership,
        allowed_from=policy.REQUEST_STEPS["accept"][1],
        to_status=S.ACCEPTED if full else S.PARTLY_ACCEPTED,
        action=A.ACCEPTED,
    )


@transaction.atomic
def request_decline(*, actor: Person, request: SupportRequest, reason: str) -> SupportRequest:
    request = _locked_request(request)
    membership = _for(actor, request.supporting_organization)
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for declining.")})
    request.decline_reason = reason.strip()
    return _step(
        request=request,
        actor=actor,
        membership=membership,
        allowed_from=policy.REQUEST_STEPS["decline"][1],
        to_status=S.DECLINED,
        action=A.DECLINED,
        note=reason.strip(),
    )


@transaction.atomic
def request_progress(
    *,
    actor: Person,
    request: SupportRequest,
    line_id: int,
    committed: Decimal,
    in_transit: Decimal,
    fulfilled: Decimal,
) -> SupportRequest:
    """Record how much of a line is committed, in transit and fulfilled. The first record
    puts an accepted request in progress."""
    request = _locked_request(request)
    membership = _for(actor, request.supporting_organization)
    if request.status not in (S.ACCEPTED, S.PARTLY_ACCEPTED, S.IN_PROGRESS):
        raise ValidationError({"status": _("Progress is recorded once a request is accepted.")})
    line = request.lines.select_for_update().filter(pk=line_id).first()
    if line is None:
        raise ValidationError({"line": _("Unknown line of this request.")})
    if min(committed, in_transit, fulfilled) < 0:
        raise ValidationError({"quantity": _("Quantities are zero or more.")})
    if committed > line.accepted:
        raise ValidationError(
            {
                "committed": _("Commit at most the %(accepted)s accepted.")
                % {"accepted": _amount(line.accepted)}
            }
        )
    if in_transit + fulfilled > committed:
        raise ValidationError(
            {"fulfilled": _("In transit and fulfilled together cannot exceed what is committed.")}
        )
    line.committed, line.in_transit, line.fulfilled = committed, in_transit, fulfilled
    line.save(update_fields=["committed", "in_transit", "fulfilled"])
    note = " / ".join(_amount(q) for q in (committed, in_transit, fulfilled))
    note = f"{line.description}: {note} {line.unit}"
    if request.status == S.IN_PROGRESS:
        return _step(
            request=request,
            actor=actor,
            membership=membership,
            allowed_from=[S.IN_PROGRESS],
            to_status=S.IN_PROGRESS,
            action=A.PROGRESS,
            note=note,
        )
    return _step(
        request=request,
        actor=actor,
        membership=membership,
        allowed_from=[S.ACCEPTED, S.PARTLY_ACCEPTED],
        to_status=S.IN_PROGRESS,
        action=A.STARTED,
        note=note,
    )


@transaction.atomic
def request_complete(*, actor: Person, request: SupportRequest) -> SupportRequest:
    request = _locked_request(request)  # no progress may slip in between check and step
    short = [line for line in request.lines.all() if line.fulfilled < line.accepted]
    if short:
        listed = ", ".join(
            f"{x.description} ({_amount(x.fulfilled)}/{_amount(x.accepted)})" for x in short
        )
        raise ValidationError({"lines": _("Not yet fulfilled: %(lines)s") % {"lines": listed}})
    return _simple_step(
        request,
        actor,
        party="supporting",
        allowed_from=policy.REQUEST_STEPS["complete"][1],
        to_status=S.COMPLETED,
        action=A.COMPLETED,
    )


# The steps that need nothing but the person taking them, by the name pages and API use.
SIMPLE_STEPS = {
    "submit": request_submit,
    "acknowledge": request_acknowledge,
    "complete": request_complete,
}


@transaction.atomic
def request_escalate(*, actor: Person, request: SupportRequest, note: str) -> SupportRequest:
    """Pass a request up one level (CCC -> BOCC -> ACG) in one action, keeping its history."""
    request = _locked_request(request)
    if not policy.may_escalate(actor, request):
        raise PermissionDenied
    target = request.body.parent
    if target is None or not target.is_active:
        raise ValidationError({"body": _("There is no higher body to escalate to.")})
    if not request.is_open:
        raise ValidationError({"status": _("A closed request is not escalated.")})
    if not note.strip():
        raise ValidationError({"note": _("Say why the request goes up.")})
    membership = policy.posting_membership(actor, request.body)
    assert membership is not None
    return _step(
        request=request,
        actor=actor,
        membership=membership,
        allowed_from=SupportRequest.OPEN_STATUSES,
        to_status=request.status,
        action=A.ESCALATED,
        note=note.strip(),
        to_body=target,
    )


# --- resources committed -------------------------------------------------------------------


@transaction.atomic
def resources_report(
    *,
    actor: Person,
    situation: Situation,
    organization: Organization,
    as_of: datetime,
    personnel: int,
    ships: int,
    aircraft: int,
    approximate: bool = False,
) -> ResourceReport:
    membership = policy.acting_membership(actor, organization)
    if membership is None or not policy.situations_visible(actor).filter(pk=situation.pk).exists():
        raise PermissionDenied
    situation = _lock(situation)
    _check_event_time(as_of, field="as_of")
    for name, count in (("personnel", personnel), ("ships", ships), ("aircraft", aircraft)):
        if not 0 <= count <= bounds.MAX_COUNT:
            raise ValidationError(
                {name: _("Counts are from 0 to %(most)s.") % {"most": f"{bounds.MAX_COUNT:,}"}}
            )
    if ResourceReport.objects.filter(
        situation=situation, organization=organization, as_of=as_of
    ).exists():
        raise ValidationError({"as_of": _("This organization has reported for this time already.")})
    report = ResourceReport.objects.create(
        situation=situation,
        organization=organization,
        as_of=as_of,
        personnel=personnel,
        ships=ships,
        aircraft=aircraft,
        approximate=approximate,
        reported_by=actor,
    )
    record_event(
        actor=actor,
        action="coordination.resources.report",
        obj=report,
        after={
            "organization": organization.code,
            "as_of": as_of,
            "personnel": personnel,
            "ships": ships,
            "aircraft": aircraft,
            "approximate": approximate,
        },
    )
    _system_entry(
        situation=situation,
        body=None,
        kind=LogEntry.Kind.REPORT,
        actor=actor,
        membership=membership,
        compose=lambda: (
            (
                _(
                    "%(organization)s committed: about %(personnel)s personnel, about "
                    "%(ships)s ships, about %(aircraft)s aircraft"
                )
                if approximate
                else _(
                    "%(organization)s committed: %(personnel)s personnel, %(ships)s ships, "
                    "%(aircraft)s aircraft"
                )
            )
            % {
                "organization": _bilingual(organization.name_ja, organization.name_en),
                "personnel": f"{personnel:,}",
                "ships": ships,
                "aircraft": aircraft,
            }
        ),
        event_at=as_of,
    )
    return report


@transaction.atomic
def request_to_order(
    *,
    actor: Person,
    request: SupportRequest,
    currency: str,
    settlement_method: str,
    unit_prices: dict[int, Decimal],
    legal_basis: str = "",
) -> Order:
    """A request to the other nation's forces becomes an ACSA order in one step: a draft
    carrying the request's parties, lines, place and date, under the designation in force,
    linked both ways. The ACSA services take it from there (and check who may order)."""
    request = _locked_request(request)
    membership = _for(actor, request.requesting_organization)
    if request.acsa_order_id is not None:
        raise ValidationError({"request": _("This request has already become an ACSA order.")})
    if request.requesting_organization.nation_id == request.supporting_organization.nation_id:
        raise ValidationError(
            {
                "supporting_organization": _(
                    "An ACSA order passes between the two nations' forces; this request "
                    "stays within one nation."
                )
            }
        )
    if request.status in (S.DECLINED, S.COMPLETED):
        raise ValidationError(
            {
                "status": _("A request that is %(status)s cannot become an ACSA order.")
                % {"status": request.get_status_display()}
            }
        )
    situation_type = selectors.designation_in_force(request.situation, timezone.now())
    if situation_type is None:
        raise ValidationError(
            {
                "situation": _(
                    "Designate the situation first: the ACSA applies by legal designation."
                )
            }
        )
    lines = list(request.lines.select_related("category"))
    missing = [line for line in lines if line.pk not in unit_prices]
    if missing:
        raise ValidationError({"unit_prices": _("Give a unit price for every line.")})
    order = acsa_services.order_create(
        actor=actor,
        supplying_org=request.supporting_organization,
        receiving_org=request.requesting_organization,
        situation_type=situation_type,
        legal_basis=legal_basis.strip() or situation_type.name,
        currency=currency,
        settlement_method=settlement_method,
        lines=[
            acsa_services.LineInput(
                category=line.category.code,
                description=line.description,
                quantity=line.accepted or line.quantity,
                unit=line.unit,
                unit_price=unit_prices[line.pk],
                delivery_place=request.place_name,
                delivery_date=places.date_of(request.needed_by),
            )
            for line in lines
        ],
    )
    request.acsa_order = order
    request.save(update_fields=["acsa_order"])
    record_event(
        actor=actor,
        action="coordination.request.acsa_order",
        obj=request,
        after={"acsa_order": order.pk, "situation_type": situation_type.code},
    )
    _system_entry(
        situation=_lock(request.situation),
        body=request.body,
        kind=LogEntry.Kind.REQUEST,
        actor=actor,
        membership=membership,
        compose=lambda: (
            # Not the order's number: the log's readers may not see the order.
            _("Request #%(number)s became an ACSA order.") % {"number": request.reference}
        ),
        support_request=request,
    )
    return order
