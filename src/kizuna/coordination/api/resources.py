"""Resources committed: a situation's totals per nation, and an organization's report."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Schema, Status
from pydantic import Field

from kizuna.core.auth import person_of

from .. import selectors, services
from ._common import _organization, _visible_situation, router


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
