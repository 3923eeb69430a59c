"""The coordination API, mounted at /api/coordination/ by kizuna.api. Thin: parse, call a
service or selector, shape the answer."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal, TypeVar

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.renderers import JSONRenderer
from pydantic import Field

from kizuna.acsa.models import SituationType
from kizuna.core import bounds, paging
from kizuna.core.auth import person_of
from kizuna.core.cursors import InvalidCursor
from kizuna.core.models import Organization
from kizuna.core.public_ids import public_id_of
from kizuna.core.selectors import organization_get
from kizuna.core.traffic import EXERCISE_BANNER
from kizuna.sharing.api import MarkingIn

from . import selectors, services
from .models import ActionItem, Body, Meeting, Situation, SupportRequest

router = Router(tags=["coordination"])
# The API's own renderer, for the routes that render without validating (same bytes).
_RENDERER = JSONRenderer()


# --- schemas ---------------------------------------------------------------------------------


class SituationIn(Schema):
    organization: str
    title_ja: str = Field(default="", max_length=bounds.TITLE_CHARS)
    title_en: str = Field(default="", max_length=bounds.TITLE_CHARS)
    kind: str
    starts_at: datetime
    place_name: str = Field(default="", max_length=bounds.TITLE_CHARS)
    latitude: Decimal | None = None
    longitude: Decimal | None = None


class DesignationOut(Schema):
    situation_type: str
    name_ja: str
    name_en: str
    starts_at: datetime
    ends_at: datetime | None
    decision_number: str


class SituationOut(Schema):
    id: str
    title_ja: str
    title_en: str
    kind: str
    status: str
    starts_at: datetime
    ends_at: datetime | None
    place_name: str
    latitude: Decimal | None
    longitude: Decimal | None
    lead_organization: str
    designation: str | None
    traffic: str | None = Field(
        description='"EXERCISE EXERCISE EXERCISE" for a situation of kind exercise, else null'
    )


class CloseIn(Schema):
    text: str = Field(max_length=4000)


class DesignateIn(Schema):
    situation_type: str
    starts_at: datetime


class RedesignateIn(Schema):
    situation_type: str
    at: datetime


class EndIn(Schema):
    at: datetime


class BodyIn(Schema):
    kind: str
    code: str = Field(pattern=r"^[-a-z0-9]+$", max_length=60)
    name_ja: str = Field(max_length=bounds.TITLE_CHARS)
    name_en: str = Field(max_length=bounds.TITLE_CHARS)
    short_name: str = Field(default="", max_length=40)
    parent: str | None = None
    organizations: list[str] = Field(max_length=50)


class BodyOut(Schema):
    code: str
    kind: str
    name_ja: str
    name_en: str
    short_name: str
    situation: str | None
    parent: str | None
    organizations: list[str]
    stood_up_at: datetime
    stood_down_at: datetime | None


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


class LineIn(Schema):
    category: str
    description: str = Field(default="", max_length=bounds.SUMMARY_CHARS)
    quantity: Decimal | None = Field(default=None, max_digits=14, decimal_places=3)
    unit: str = Field(default="", max_length=30)


class RequestIn(Schema):
    requesting_organization: str
    supporting_organization: str
    summary: str = Field(max_length=bounds.SUMMARY_CHARS)
    language: str
    place_name: str = Field(max_length=bounds.TITLE_CHARS)
    needed_by: datetime
    priority: str = "routine"
    lines: list[LineIn] = Field(max_length=100)


class LineOut(Schema):
    id: str
    category: str
    description: str
    quantity: Decimal
    unit: str
    accepted: Decimal
    committed: Decimal
    in_transit: Decimal
    fulfilled: Decimal


class RequestEventOut(Schema):
    action: str
    actor: str
    at: datetime
    from_body: str
    to_body: str
    note: str


class RequestOut(Schema):
    id: str
    situation: str
    body: str
    requesting_organization: str
    supporting_organization: str
    summary: str
    language: str
    place_name: str
    needed_by: datetime
    priority: str
    status: str
    decline_reason: str
    acsa_order: str | None
    lines: list[LineOut]
    history: list[RequestEventOut] = []


class AcsaOrderIn(Schema):
    currency: str = Field(description="ISO 4217, e.g. JPY")
    settlement_method: str
    unit_prices: dict[str, Decimal] = Field(description="unit price per request line id")
    legal_basis: str = Field(default="", description="defaults to the designation's name")


class AcsaOrderOut(Schema):
    id: str
    number: str
    situation_type: str


class AcceptIn(Schema):
    lines: dict[str, Decimal] | None = Field(
        default=None, description="accepted quantity per line id; omit to accept in full"
    )


class ReasonIn(Schema):
    reason: str = Field(max_length=bounds.REASON_CHARS)


class NoteIn(Schema):
    note: str = Field(max_length=bounds.REASON_CHARS)


class ProgressIn(Schema):
    line: str
    committed: Decimal = Field(max_digits=14, decimal_places=3)
    in_transit: Decimal = Field(max_digits=14, decimal_places=3)
    fulfilled: Decimal = Field(max_digits=14, decimal_places=3)


class ResourcesIn(Schema):
    organization: str
    as_of: datetime
    personnel: int = Field(ge=0)
    ships: int = Field(ge=0)
    aircraft: int = Field(ge=0)
    approximate: bool = False


class TotalsOut(Schema):
    nation: str
    personnel: int
    ships: int
    aircraft: int
    approximate: bool


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


T = TypeVar("T")

# --- shaping ---------------------------------------------------------------------------------


def _situation(situation: Situation) -> dict[str, Any]:
    designated = selectors.designation_in_force(situation, timezone.now())
    return {
        "id": situation.public_id,
        "title_ja": situation.title_ja,
        "title_en": situation.title_en,
        "kind": situation.kind,
        "status": situation.status,
        "starts_at": situation.starts_at,
        "ends_at": situation.ends_at,
        "place_name": situation.place_name,
        "latitude": situation.latitude,
        "longitude": situation.longitude,
        "lead_organization": situation.lead_organization.code,
        "designation": designated.code if designated else None,
        "traffic": EXERCISE_BANNER if situation.is_exercise else None,
    }


def _body(body: Body) -> dict[str, Any]:
    return {
        "code": body.code,
        "kind": body.kind,
        "name_ja": body.name_ja,
        "name_en": body.name_en,
        "short_name": body.short_name,
        "situation": public_id_of(body.situation),
        "parent": body.parent.code if body.parent else None,
        "organizations": sorted(o.code for o in body.organizations.all()),
        "stood_up_at": body.stood_up_at,
        "stood_down_at": body.stood_down_at,
    }


def _request(request: SupportRequest, history: bool = False) -> dict[str, Any]:
    shaped = {
        "id": request.public_id,
        "situation": request.situation.public_id,
        "body": request.body.code,
        "requesting_organization": request.requesting_organization.code,
        "supporting_organization": request.supporting_organization.code,
        "summary": request.summary,
        "language": request.language,
        "place_name": request.place_name,
        "needed_by": request.needed_by,
        "priority": request.priority,
        "status": request.status,
        "decline_reason": request.decline_reason,
        "acsa_order": public_id_of(request.acsa_order),
        "lines": [
            {
                "id": line.public_id,
                "category": line.category.code,
                "description": line.description,
                "quantity": line.quantity,
                "unit": line.unit,
                "accepted": line.accepted,
                "committed": line.committed,
                "in_transit": line.in_transit,
                "fulfilled": line.fulfilled,
            }
            for line in request.lines.all()
        ],
    }
    if history:
        shaped["history"] = [
            {
                "action": e.action,
                "actor": e.actor.username,
                "at": e.at,
                "from_body": e.from_body.code,
                "to_body": e.to_body.code,
                "note": e.note,
            }
            for e in request.events.all()
        ]
    return shaped


def _situation_type(code: str) -> SituationType:
    situation_type = SituationType.objects.filter(code=code).first()
    if situation_type is None:
        raise ValidationError({"situation_type": _("Unknown situation type.")})
    return situation_type


def _organization(code: str) -> Organization:
    return organization_get(code=code)


def _visible_situation(request: HttpRequest, situation_id: str) -> Situation:
    return selectors.situation_get(person=person_of(request), public_id=situation_id)


def _visible_request(request: HttpRequest, request_id: str) -> SupportRequest:
    return selectors.request_get(person=person_of(request), public_id=request_id)


def _by_line(support_request: SupportRequest, field: str, values: dict[str, T]) -> dict[int, T]:
    """Values given per line's public id, keyed by the line itself for the services; a line
    not of this request is refused as the services refuse one."""
    lines = dict(support_request.lines.values_list("public_id", "pk"))
    if set(values) - set(lines):
        raise ValidationError({field: _("Unknown line of this request.")})
    return {lines[key]: value for key, value in values.items()}


def _reloaded_request(request: HttpRequest, support_request: SupportRequest) -> dict[str, Any]:
    return _request(_visible_request(request, support_request.public_id), history=True)


# --- situations and designations -------------------------------------------------------------


@router.get("/situations", response=list[SituationOut])
def situations(request: HttpRequest, exercises: bool = False) -> list[dict[str, Any]]:
    """The situations the reader may see: real-world ones, and exercises too with
    `?exercises=true`."""
    listed = selectors.situation_list(person=person_of(request), exercises=exercises)
    return [_situation(s) for s in listed]


@router.post("/situations", response={201: SituationOut})
def open_situation(request: HttpRequest, payload: SituationIn) -> Status[dict[str, Any]]:
    situation = services.situation_open(
        actor=person_of(request),
        organization=_organization(payload.organization),
        title_ja=payload.title_ja,
        title_en=payload.title_en,
        kind=payload.kind,
        starts_at=payload.starts_at,
        place_name=payload.place_name,
        latitude=payload.latitude,
        longitude=payload.longitude,
    )
    return Status(201, _situation(situation))


@router.get("/situations/{situation_id}", response=SituationOut)
def situation(request: HttpRequest, situation_id: str) -> dict[str, Any]:
    return _situation(_visible_situation(request, situation_id))


@router.post("/situations/{situation_id}/close", response=SituationOut)
def close_situation(request: HttpRequest, situation_id: str, payload: CloseIn) -> dict[str, Any]:
    situation = services.situation_close(
        actor=person_of(request),
        situation=_visible_situation(request, situation_id),
        text=payload.text,
    )
    return _situation(situation)


def _designations(situation: Situation) -> list[dict[str, Any]]:
    return [
        {
            "situation_type": d.situation_type.code,
            "name_ja": d.situation_type.name_ja,
            "name_en": d.situation_type.name_en,
            "starts_at": d.starts_at,
            "ends_at": d.ends_at,
            "decision_number": d.decision.label,
        }
        for d in selectors.designations_of(situation)
    ]


@router.get("/situations/{situation_id}/designations", response=list[DesignationOut])
def designations(request: HttpRequest, situation_id: str) -> list[dict[str, Any]]:
    return _designations(_visible_situation(request, situation_id))


@router.post("/situations/{situation_id}/designations", response={201: list[DesignationOut]})
def designate(
    request: HttpRequest, situation_id: str, payload: DesignateIn
) -> Status[list[dict[str, Any]]]:
    situation = _visible_situation(request, situation_id)
    services.designation_add(
        actor=person_of(request),
        situation=situation,
        situation_type=_situation_type(payload.situation_type),
        starts_at=payload.starts_at,
    )
    return Status(201, _designations(situation))


@router.post("/situations/{situation_id}/designations/change", response=list[DesignationOut])
def redesignate(
    request: HttpRequest, situation_id: str, payload: RedesignateIn
) -> list[dict[str, Any]]:
    situation = _visible_situation(request, situation_id)
    services.designation_change(
        actor=person_of(request),
        situation=situation,
        situation_type=_situation_type(payload.situation_type),
        at=payload.at,
    )
    return _designations(situation)


@router.post("/situations/{situation_id}/designations/end", response=list[DesignationOut])
def end_designation(
    request: HttpRequest, situation_id: str, payload: EndIn
) -> list[dict[str, Any]]:
    situation = _visible_situation(request, situation_id)
    services.designation_end(actor=person_of(request), situation=situation, at=payload.at)
    return _designations(situation)


# --- bodies --------------------------------------------------------------------------------


@router.get("/situations/{situation_id}/bodies", response=list[BodyOut])
def bodies(request: HttpRequest, situation_id: str) -> list[dict[str, Any]]:
    person = person_of(request)
    situation = _visible_situation(request, situation_id)
    return [_body(b) for b in selectors.bodies_of(person=person, situation=situation)]


@router.post("/situations/{situation_id}/bodies", response={201: BodyOut})
def stand_up(request: HttpRequest, situation_id: str, payload: BodyIn) -> Status[dict[str, Any]]:
    person = person_of(request)
    body = services.body_stand_up(
        actor=person,
        situation=_visible_situation(request, situation_id),
        kind=payload.kind,
        code=payload.code,
        name_ja=payload.name_ja,
        name_en=payload.name_en,
        short_name=payload.short_name,
        parent=selectors.body_in_reach(person=person, code=payload.parent)
        if payload.parent
        else None,
        organizations=[_organization(code) for code in payload.organizations],
    )
    return Status(201, _body(selectors.body_in_reach(person=person, code=body.code)))


@router.post("/bodies/{code}/stand-down", response=BodyOut)
def stand_down(request: HttpRequest, code: str) -> dict[str, Any]:
    person = person_of(request)
    body = services.body_stand_down(
        actor=person, body=selectors.body_in_reach(person=person, code=code)
    )
    return _body(selectors.body_in_reach(person=person, code=body.code))


# --- the activity log ------------------------------------------------------------------------


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


# --- requests for support --------------------------------------------------------------------


@router.get("/situations/{situation_id}/requests", response=list[RequestOut])
def requests(request: HttpRequest, situation_id: str) -> list[dict[str, Any]]:
    person = person_of(request)
    situation = _visible_situation(request, situation_id)
    return [_request(r) for r in selectors.requests_of(person=person, situation=situation)]


@router.post("/bodies/{code}/requests", response={201: RequestOut})
def create_request(request: HttpRequest, code: str, payload: RequestIn) -> Status[dict[str, Any]]:
    person = person_of(request)
    created = services.request_create(
        actor=person,
        body=selectors.body_in_reach(person=person, code=code),
        requesting_organization=_organization(payload.requesting_organization),
        supporting_organization=_organization(payload.supporting_organization),
        summary=payload.summary,
        language=payload.language,
        place_name=payload.place_name,
        needed_by=payload.needed_by,
        priority=payload.priority,
        lines=[
            services.LineInput(
                category=line.category,
                description=line.description,
                quantity=line.quantity,
                unit=line.unit,
            )
            for line in payload.lines
        ],
    )
    return Status(201, _reloaded_request(request, created))


@router.get("/requests/{request_id}", response=RequestOut)
def support_request(request: HttpRequest, request_id: str) -> dict[str, Any]:
    return _request(_visible_request(request, request_id), history=True)


@router.post("/requests/{request_id}/accept", response=RequestOut)
def accept(request: HttpRequest, request_id: str, payload: AcceptIn) -> dict[str, Any]:
    found = _visible_request(request, request_id)
    done = services.request_accept(
        actor=person_of(request),
        request=found,
        accepted=None if payload.lines is None else _by_line(found, "lines", payload.lines),
    )
    return _reloaded_request(request, done)


@router.post("/requests/{request_id}/decline", response=RequestOut)
def decline(request: HttpRequest, request_id: str, payload: ReasonIn) -> dict[str, Any]:
    done = services.request_decline(
        actor=person_of(request),
        request=_visible_request(request, request_id),
        reason=payload.reason,
    )
    return _reloaded_request(request, done)


@router.post("/requests/{request_id}/progress", response=RequestOut)
def progress(request: HttpRequest, request_id: str, payload: ProgressIn) -> dict[str, Any]:
    found = _visible_request(request, request_id)
    done = services.request_progress(
        actor=person_of(request),
        request=found,
        line_id=next(iter(_by_line(found, "line", {payload.line: None}))),
        committed=payload.committed,
        in_transit=payload.in_transit,
        fulfilled=payload.fulfilled,
    )
    return _reloaded_request(request, done)


@router.post("/requests/{request_id}/escalate", response=RequestOut)
def escalate(request: HttpRequest, request_id: str, payload: NoteIn) -> dict[str, Any]:
    done = services.request_escalate(
        actor=person_of(request),
        request=_visible_request(request, request_id),
        note=payload.note,
    )
    return _reloaded_request(request, done)


@router.post("/requests/{request_id}/acsa-order", response={201: AcsaOrderOut})
def acsa_order(
    request: HttpRequest, request_id: str, payload: AcsaOrderIn
) -> Status[dict[str, Any]]:
    """The request becomes an ACSA order in one step, pre-filled and linked both ways."""
    found = _visible_request(request, request_id)
    order = services.request_to_order(
        actor=person_of(request),
        request=found,
        currency=payload.currency,
        settlement_method=payload.settlement_method,
        unit_prices=_by_line(found, "unit_prices", payload.unit_prices),
        legal_basis=payload.legal_basis,
    )
    return Status(
        201,
        {
            "id": public_id_of(order),
            "number": order.number,
            "situation_type": order.situation_type.code,
        },
    )


@router.post("/requests/{request_id}/{step}", response=RequestOut)
def request_step(
    request: HttpRequest, request_id: str, step: Literal["submit", "acknowledge", "complete"]
) -> dict[str, Any]:
    """The steps that carry nothing but who takes them."""
    done = services.SIMPLE_STEPS[step](
        actor=person_of(request), request=_visible_request(request, request_id)
    )
    return _reloaded_request(request, done)


# --- resources and working groups ------------------------------------------------------------


@router.get("/situations/{situation_id}/resources", response=list[TotalsOut])
def resources(request: HttpRequest, situation_id: str) -> list[dict[str, Any]]:
    situation = _visible_situation(request, situation_id)
    return [
        {"nation": nation, **totals.__dict__}
        for nation, totals in sorted(
            selectors.resource_totals(selectors.resource_series(situation)).items()
        )
    ]


@router.post("/situations/{situation_id}/resources", response={201: list[TotalsOut]})
def report_resources(
    request: HttpRequest, situation_id: str, payload: ResourcesIn
) -> Status[list[dict[str, Any]]]:
    situation = _visible_situation(request, situation_id)
    services.resources_report(
        actor=person_of(request),
        situation=situation,
        organization=_organization(payload.organization),
        as_of=payload.as_of,
        personnel=payload.personnel,
        ships=payload.ships,
        aircraft=payload.aircraft,
        approximate=payload.approximate,
    )
    return Status(201, resources(request, situation_id))


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
