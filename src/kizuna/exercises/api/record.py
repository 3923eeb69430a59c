"""The record of exercises and training: the list, one exercise, and an exercise recorded
with its participations in one transaction."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.http import Http404, HttpRequest
from ninja import Schema, Status
from pydantic import Field

from kizuna.core.auth import person_of
from kizuna.core.models import Nation
from kizuna.core.public_ids import public_id_of
from kizuna.core.selectors import organization_get
from kizuna.sharing.api import MarkingIn
from kizuna.sharing.marking import Marking

from .. import documents, selectors, services
from ..models import MEASURES, Exercise, Participation, Provenance, Qualifier
from ._shared import router


class FigureOut(Schema):
    value: int | None
    qualifier: str
    shown: str = Field(description="As the source gives it, in the reader's language.")


class ParticipationOut(Schema):
    nation: str
    organization: str | None
    label_ja: str
    label_en: str
    personnel: FigureOut
    ships: FigureOut
    aircraft: FigureOut
    assets_ja: str
    assets_en: str
    provenance: str
    source: str


class AreaOut(Schema):
    name_ja: str
    name_en: str
    latitude: float | None
    longitude: float | None


class ObjectiveOut(Schema):
    number: int
    text_ja: str
    text_en: str


class ExerciseOut(Schema):
    id: str
    traffic: str = Field(description="Always EXERCISE EXERCISE EXERCISE: never real traffic.")
    name_ja: str
    name_en: str
    kind: str
    series: str | None
    starts_on: date | None
    ends_on: date | None
    precision: str
    fiscal_year: int | None
    domains: list[str]
    objectives: list[ObjectiveOut]
    provenance: str
    source: str
    marking: dict[str, Any]
    situation: str | None
    areas: list[AreaOut]
    participations: list[ParticipationOut]


class ParticipationIn(Schema):
    nation: str = Field(max_length=3)
    organization: str | None = None
    label_ja: str = Field(max_length=300)
    label_en: str = Field(max_length=300)
    personnel: int | None = None
    personnel_qualifier: str = Qualifier.EXACT
    ships: int | None = None
    ships_qualifier: str = Qualifier.EXACT
    aircraft: int | None = None
    aircraft_qualifier: str = Qualifier.EXACT
    provenance: str = Provenance.ILLUSTRATIVE
    source: str = Field(default="", max_length=300)


class ExerciseIn(Schema):
    organization: str
    name_ja: str = Field(max_length=200)
    name_en: str = Field(max_length=200)
    kind: str
    precision: str = Exercise.Precision.DAY
    starts_on: date | None = None
    ends_on: date | None = None
    domains: list[str] = Field(default=[], max_length=5)
    provenance: str = Provenance.ILLUSTRATIVE
    source: str = Field(default="", max_length=300)
    marking: MarkingIn | None = None
    participations: list[ParticipationIn] = Field(default=[], max_length=50)


def _participation(part: Participation) -> dict[str, Any]:
    def figure(measure: str) -> dict[str, Any]:
        return {
            "value": getattr(part, measure),
            "qualifier": getattr(part, f"{measure}_qualifier"),
            "shown": str(part.figure(measure)),
        }

    return {
        "nation": part.nation_id,
        "organization": part.organization.code if part.organization else None,
        "label_ja": part.label_ja,
        "label_en": part.label_en,
        **{measure: figure(measure) for measure in MEASURES},
        "assets_ja": part.assets_ja,
        "assets_en": part.assets_en,
        "provenance": part.provenance,
        "source": part.source,
    }


def _exercise(exercise: Exercise) -> dict[str, Any]:
    return {
        "id": exercise.public_id,
        "traffic": documents.BANNER,
        "name_ja": exercise.name_ja,
        "name_en": exercise.name_en,
        "kind": exercise.kind,
        "series": exercise.series.code if exercise.series else None,
        "starts_on": exercise.starts_on,
        "ends_on": exercise.ends_on,
        "precision": exercise.precision,
        "fiscal_year": exercise.fiscal_year,
        "domains": [d.domain for d in exercise.domains.all()],
        "objectives": [
            {"number": o.number, "text_ja": o.text_ja, "text_en": o.text_en}
            for o in exercise.objectives.all()
        ],
        "provenance": exercise.provenance,
        "source": exercise.source,
        "marking": Marking.from_key(exercise.marking.key).as_json(),
        "situation": public_id_of(exercise.situation),
        "areas": [
            {
                "name_ja": a.name_ja,
                "name_en": a.name_en,
                "latitude": float(a.latitude) if a.latitude is not None else None,
                "longitude": float(a.longitude) if a.longitude is not None else None,
            }
            for a in exercise.areas.all()
        ],
        "participations": [_participation(p) for p in exercise.participations.all()],
    }


@router.get("/exercises", response=list[ExerciseOut])
def exercise_list(request: HttpRequest, kind: str = "", year: str = "") -> list[dict[str, Any]]:
    exercises = selectors.exercise_list(person=person_of(request), kind=kind, year=year)
    return [_exercise(e) for e in exercises]


@router.get("/exercises/{exercise_id}", response=ExerciseOut)
def exercise_detail(request: HttpRequest, exercise_id: str) -> dict[str, Any]:
    return _exercise(selectors.exercise_get(person=person_of(request), public_id=exercise_id))


def _nation(code: str) -> Nation:
    found = Nation.objects.filter(code=code).first()
    if found is None:
        raise Http404
    return found


@router.post("/exercises", response={201: ExerciseOut})
def exercise_create(request: HttpRequest, payload: ExerciseIn) -> Status[dict[str, Any]]:
    """An exercise with its participations, in one transaction: one refused figure and
    nothing is recorded."""
    actor = person_of(request)
    with transaction.atomic():
        exercise = services.exercise_record(
            actor=actor,
            organization=organization_get(code=payload.organization),
            name_ja=payload.name_ja,
            name_en=payload.name_en,
            kind=payload.kind,
            precision=payload.precision,
            starts_on=payload.starts_on,
            ends_on=payload.ends_on,
            domains=payload.domains,
            provenance=payload.provenance,
            source=payload.source,
            marking=payload.marking.marking() if payload.marking else None,
        )
        for part in payload.participations:
            services.participation_record(
                actor=actor,
                exercise=exercise,
                nation=_nation(part.nation),
                organization=organization_get(code=part.organization)
                if part.organization
                else None,
                label_ja=part.label_ja,
                label_en=part.label_en,
                personnel=part.personnel,
                personnel_qualifier=part.personnel_qualifier,
                ships=part.ships,
                ships_qualifier=part.ships_qualifier,
                aircraft=part.aircraft,
                aircraft_qualifier=part.aircraft_qualifier,
                provenance=part.provenance,
                source=part.source,
            )
    return Status(
        201, _exercise(selectors.exercise_get(person=actor, public_id=exercise.public_id))
    )
