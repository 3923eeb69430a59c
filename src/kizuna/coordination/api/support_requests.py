"""Requests for support: the list, making one, each step of its lifecycle, and turning
one into an ACSA order."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any, Literal, TypeVar

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Schema, Status
from pydantic import Field

from kizuna.core import bounds
from kizuna.core.auth import person_of
from kizuna.core.public_ids import public_id_of

from .. import selectors, services
from ..models import SupportRequest
from ._common import NoteIn, _organization, _visible_situation, router


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


class ProgressIn(Schema):
    line: str
    committed: Decimal = Field(max_digits=14, decimal_places=3)
    in_transit: Decimal = Field(max_digits=14, decimal_places=3)
    fulfilled: Decimal = Field(max_digits=14, decimal_places=3)


T = TypeVar("T")


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
