"""Coordination bodies and working groups: standing a body up and down, a working group's
meetings and their action items."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kizuna.core.audit import record_event
from kizuna.core.models import Membership, Organization, Person, Role

from .. import policy
from ..models import ActionItem, Body, LogEntry, Meeting, Situation
from ._common import _bilingual, _lock
from .log import _system_entry


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
