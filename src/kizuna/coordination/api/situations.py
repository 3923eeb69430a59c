"""Situations and their legal designations: the list, opening and closing a situation,
designating it, changing and ending the designation."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Schema, Status
from pydantic import Field

from kizuna.acsa.models import SituationType
from kizuna.core import bounds
from kizuna.core.auth import person_of
from kizuna.core.traffic import EXERCISE_BANNER

from .. import selectors, services
from ..models import Situation
from ._common import _organization, _visible_situation, router


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


def _situation_type(code: str) -> SituationType:
    situation_type = SituationType.objects.filter(code=code).first()
    if situation_type is None:
        raise ValidationError({"situation_type": _("Unknown situation type.")})
    return situation_type


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
