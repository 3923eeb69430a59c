"""Standing working groups: the list, their meetings and the meetings' action items."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from ninja import Schema, Status
from pydantic import Field

from kizuna.core.auth import person_of

from .. import selectors, services
from ..models import ActionItem, Meeting
from ._common import NoteIn, router
from .bodies import BodyOut, _body


class MeetingIn(Schema):
    number: int = Field(ge=1)
    held_on: date
    agenda_ja: str = ""
    agenda_en: str = ""
    minutes_ja: str = ""
    minutes_en: str = ""
    decisions_ja: str = ""
    decisions_en: str = ""


class ActionItemOut(Schema):
    id: str
    title_ja: str
    title_en: str
    owner: str
    due_on: date | None
    closed_at: datetime | None
    closing_note: str


class MeetingOut(Schema):
    id: str
    number: int
    held_on: date
    agenda_ja: str
    agenda_en: str
    minutes_ja: str
    minutes_en: str
    decisions_ja: str
    decisions_en: str
    action_items: list[ActionItemOut]


def _meeting(meeting: Meeting) -> dict[str, Any]:
    fields = ("agenda", "minutes", "decisions")
    return {
        "id": meeting.public_id,
        "number": meeting.number,
        "held_on": meeting.held_on,
        **{f"{f}_{lang}": getattr(meeting, f"{f}_{lang}") for f in fields for lang in ("ja", "en")},
        "action_items": [_action_item(item) for item in meeting.action_items.all()],
    }


def _action_item(item: ActionItem) -> dict[str, Any]:
    return {
        "id": item.public_id,
        "title_ja": item.title_ja,
        "title_en": item.title_en,
        "owner": item.owner.code,
        "due_on": item.due_on,
        "closed_at": item.closed_at,
        "closing_note": item.closing_note,
    }


@router.get("/working-groups", response=list[BodyOut])
def working_groups(request: HttpRequest) -> list[dict[str, Any]]:
    return [_body(b) for b in selectors.working_groups(person=person_of(request))]


@router.get("/working-groups/{code}/meetings", response=list[MeetingOut])
def meetings(request: HttpRequest, code: str) -> list[dict[str, Any]]:
    body = selectors.working_group_get(person=person_of(request), code=code)
    return [_meeting(m) for m in selectors.meetings_of(body)]


@router.post("/working-groups/{code}/meetings", response={201: MeetingOut})
def record_meeting(request: HttpRequest, code: str, payload: MeetingIn) -> Status[dict[str, Any]]:
    person = person_of(request)
    meeting = services.meeting_record(
        actor=person,
        body=selectors.working_group_get(person=person, code=code),
        **payload.dict(),
    )
    return Status(201, _meeting(meeting))


@router.post("/action-items/{item_id}/close", response=ActionItemOut)
def close_action_item(request: HttpRequest, item_id: str, payload: NoteIn) -> dict[str, Any]:
    person = person_of(request)
    item = services.action_item_close(
        actor=person,
        item=selectors.action_item_get(person=person, public_id=item_id),
        note=payload.note,
    )
    return _action_item(item)
