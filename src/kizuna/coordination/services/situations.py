"""Situations and their legal designations: opening and closing a situation, designating it
as an ACSA situation type, ending and changing the designation, each by a decision entry in
its log."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from decimal import Decimal

from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from kizuna.acsa.models import SituationType
from kizuna.core import bounds, places
from kizuna.core.audit import record_event
from kizuna.core.models import Membership, Organization, Person

from .. import policy
from ..models import Designation, LogEntry, Situation, SupportRequest
from ._common import _bilingual, _check_event_time, _lock
from .log import _append, _system_entry


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
