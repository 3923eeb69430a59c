"""The activity log: its pages of entries (the hot read), posting, translating, vetting,
changing an entry's event time, and the translation queue."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Query, Schema, Status
from ninja.renderers import JSONRenderer
from pydantic import Field

from kizuna.core import bounds, paging
from kizuna.core.auth import person_of
from kizuna.core.cursors import InvalidCursor
from kizuna.sharing.api import MarkingIn

from .. import selectors, services
from ._common import router


class EntryIn(Schema):
    kind: str
    text: str = Field(max_length=bounds.ENTRY_CHARS)
    language: str
    event_at: datetime | None = None
    significant: bool = False
    corrects: str | None = Field(default=None, description="id of the entry this corrects")
    marking: MarkingIn | None = Field(
        default=None,
        description=(
            "Default: the lowest level of the author's nation, releasable to the nations "
            "sitting in the body; a correction's default is the corrected entry's marking."
        ),
    )


class EntryMarkingOut(Schema):
    level: str
    releasable_to: list[str]
    caveats: list[str]
    communities: list[str]


class EntryOut(Schema):
    id: str
    situation: str
    number: str
    kind: str
    body: str | None
    author: str
    author_name_ja: str
    author_name_en: str
    organization: str
    position: str
    recorded_at: datetime
    recorded_dtg: str
    event_at: datetime
    event_dtg: str
    language: str
    text: str
    translation: str
    translated_by: str | None
    translated_at: datetime | None
    significant: bool
    on_board: bool
    corrects: str | None = Field(
        description="id of the entry this corrects, when the reader may see that entry too"
    )
    request: str | None
    marking: EntryMarkingOut
    traffic: str | None = Field(
        description='"EXERCISE EXERCISE EXERCISE" for an entry of an exercise, else null'
    )


class EntryPageOut(Schema):
    entries: list[EntryOut]
    # The next (older) page's cursor: opaque, good only for this reader and situation.
    next_before: str | None


class TranslationIn(Schema):
    text: str = Field(max_length=bounds.ENTRY_CHARS)
    language: str


class EventTimeIn(Schema):
    event_at: datetime
    reason: str = Field(max_length=bounds.SUMMARY_CHARS)


# The API's own renderer, for the routes that render without validating (same bytes).
_RENDERER = JSONRenderer()


@router.get("/situations/{situation_id}/entries", response=EntryPageOut)
def entries(
    request: HttpRequest,
    situation_id: str,
    before: str | None = None,
    limit: int = Query(selectors.PAGE_SIZE, ge=1, le=selectors.MAX_PAGE_SIZE),
    body: str | None = None,
) -> HttpResponse:
    """The log's hot read: the page is built as plain data and rendered without validating
    each entry through the schema (which still documents it). `before` is the cursor the
    previous page gave as `next_before`."""
    person = person_of(request)
    scope = selectors.log_scope(situation_id)
    try:
        position = paging.unseal_position(before, reader=person.pk, scope=scope)
    except InvalidCursor:
        refused = _("This page cursor was not given to you for this log.")
        raise ValidationError({"before": refused}) from None
    page = selectors.entries_payloads(
        person=person, situation_id=situation_id, before=position, limit=limit, body=body
    )
    full = len(page.entries) == min(limit, selectors.MAX_PAGE_SIZE)
    following = page.last if full else None
    data = {
        "entries": page.entries,
        "next_before": paging.seal_position(following, reader=person.pk, scope=scope),
    }
    return HttpResponse(
        _RENDERER.render(request, data, response_status=200),
        content_type="application/json; charset=utf-8",
    )


@router.post("/bodies/{code}/entries", response={201: EntryOut})
def post_entry(request: HttpRequest, code: str, payload: EntryIn) -> Status[dict[str, Any]]:
    person = person_of(request)
    entry = services.entry_post(
        actor=person,
        body=selectors.body_in_reach(person=person, code=code),
        kind=payload.kind,
        text=payload.text,
        language=payload.language,
        event_at=payload.event_at,
        significant=payload.significant,
        corrects=selectors.entry_get(person=person, public_id=payload.corrects)
        if payload.corrects
        else None,
        marking=payload.marking.marking() if payload.marking else None,
    )
    return Status(201, selectors.entry_payload(person=person, pk=entry.pk))


@router.post("/entries/{entry_id}/translation", response=EntryOut)
def translate(request: HttpRequest, entry_id: str, payload: TranslationIn) -> dict[str, Any]:
    person = person_of(request)
    services.entry_translate(
        actor=person,
        entry=(entry := selectors.entry_get(person=person, public_id=entry_id)),
        text=payload.text,
        language=payload.language,
    )
    return selectors.entry_payload(person=person, pk=entry.pk)


@router.post("/entries/{entry_id}/vet", response=EntryOut)
def vet(request: HttpRequest, entry_id: str) -> dict[str, Any]:
    person = person_of(request)
    entry = selectors.entry_get(person=person, public_id=entry_id)
    services.entry_vet(actor=person, entry=entry)
    return selectors.entry_payload(person=person, pk=entry.pk)


@router.patch("/entries/{entry_id}/event-time", response=EntryOut)
def set_event_time(request: HttpRequest, entry_id: str, payload: EventTimeIn) -> dict[str, Any]:
    person = person_of(request)
    services.entry_set_event_time(
        actor=person,
        entry=(entry := selectors.entry_get(person=person, public_id=entry_id)),
        event_at=payload.event_at,
        reason=payload.reason,
    )
    return selectors.entry_payload(person=person, pk=entry.pk)


@router.get("/translation-queue", response=list[EntryOut])
def translation_queue(request: HttpRequest) -> list[dict[str, Any]]:
    return selectors.translation_queue_payloads(person=person_of(request))
