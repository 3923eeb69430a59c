"""Coordination bodies of a situation: the list, standing one up and down."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Schema, Status
from pydantic import Field

from kizuna.core import bounds
from kizuna.core.auth import person_of
from kizuna.core.public_ids import public_id_of

from .. import selectors, services
from ..models import Body
from ._common import _organization, _visible_situation, router


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
