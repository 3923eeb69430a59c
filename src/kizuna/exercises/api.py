"""The exercises API, mounted at /api/exercises/ by kizuna.api: the record, the scenario and
the after-action review (read; corrective actions carried forward and closed). Thin: parse,
call a service or selector, shape the answer. Every answer about an exercise or its scenario
says it is exercise traffic. An inject not yet delivered answers a player 404, as if it did
not exist."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any, Literal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from pydantic import Field

from kizuna.coordination.models import Body
from kizuna.core.auth import person_of
from kizuna.core.models import Nation
from kizuna.core.public_ids import public_id_of
from kizuna.core.selectors import organization_get
from kizuna.sharing.api import MarkingIn
from kizuna.sharing.marking import Marking

from . import documents, selectors, services
from .models import (
    MEASURES,
    CorrectiveAction,
    Exercise,
    ExerciseClock,
    Inject,
    Participation,
    Provenance,
    Qualifier,
)

router = Router(tags=["exercises"])


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


# --- the after-action review ---------------------------------------------------------------


class ObservationOut(Schema):
    id: str
    objective: int
    assessment: str
    observed_at: datetime
    language: str
    text: str
    translation: str
    organization: str
    provenance: str


class LessonOut(Schema):
    id: str
    objective: int | None
    title: str
    observation: str
    discussion: str
    lesson: str
    recommendation: str
    language: str
    organization: str
    provenance: str


class CorrectiveActionOut(Schema):
    id: str
    traffic: str = Field(description="Always EXERCISE EXERCISE EXERCISE: never real traffic.")
    exercise: str
    lesson: str
    owner: str
    text: str
    language: str
    due_on: date
    status: str
    overdue: bool
    progress_note: str
    closed_at: datetime | None
    closing_note: str
    provenance: str


class ReviewOut(Schema):
    traffic: str = Field(description="Always EXERCISE EXERCISE EXERCISE: never real traffic.")
    exercise: str
    observations: list[ObservationOut]
    lessons: list[LessonOut]
    corrective_actions: list[CorrectiveActionOut]


def _action(action: CorrectiveAction) -> dict[str, Any]:
    return {
        "id": action.public_id,
        "traffic": documents.BANNER,
        "exercise": action.exercise.public_id,
        "lesson": action.lesson.public_id,
        "owner": action.owner.code,
        "text": action.text,
        "language": action.language,
        "due_on": action.due_on,
        "status": action.status,
        "overdue": action.overdue,
        "progress_note": action.progress_note,
        "closed_at": action.closed_at,
        "closing_note": action.closing_note,
        "provenance": action.provenance,
    }


@router.get("/exercises/{exercise_id}/review", response=ReviewOut)
def review(request: HttpRequest, exercise_id: str) -> dict[str, Any]:
    """The exercise's observations, lessons and corrective actions the reader may see."""
    person = person_of(request)
    exercise = selectors.exercise_get(person=person, public_id=exercise_id)
    found = selectors.review_of(person=person, exercise=exercise)
    return {
        "traffic": documents.BANNER,
        "exercise": exercise.public_id,
        "observations": [
            {
                "id": o.public_id,
                "objective": o.objective.number,
                "assessment": o.assessment,
                "observed_at": o.observed_at,
                "language": o.language,
                "text": o.text,
                "translation": o.translation,
                "organization": o.author_organization.code,
                "provenance": o.provenance,
            }
            for o in found["observations"]
        ],
        "lessons": [
            {
                "id": lesson.public_id,
                "objective": lesson.objective.number if lesson.objective else None,
                "title": lesson.title,
                "observation": lesson.observation,
                "discussion": lesson.discussion,
                "lesson": lesson.lesson,
                "recommendation": lesson.recommendation,
                "language": lesson.language,
                "organization": lesson.author_organization.code,
                "provenance": lesson.provenance,
            }
            for lesson in found["lessons"]
        ],
        "corrective_actions": [_action(a) for a in found["actions"]],
    }


@router.get("/corrective-actions", response=list[CorrectiveActionOut])
def corrective_actions(request: HttpRequest, state: str = "") -> list[dict[str, Any]]:
    """Every corrective action the reader sees; `state` "open" or "overdue" narrows."""
    found = selectors.corrective_actions(person=person_of(request), state=state)
    return [_action(a) for a in found]


class ActionUpdateIn(Schema):
    status: str
    note: str
    due_on: date | None = None


class ActionCloseIn(Schema):
    note: str = ""


def _carried(request: HttpRequest, action_id: str) -> CorrectiveAction:
    return selectors.corrective_action_get(person=person_of(request), public_id=action_id)


@router.post("/corrective-actions/{action_id}/update", response=CorrectiveActionOut)
def corrective_action_update(
    request: HttpRequest, action_id: str, payload: ActionUpdateIn
) -> dict[str, Any]:
    updated = services.corrective_action_update(
        actor=person_of(request),
        action=_carried(request, action_id),
        status=payload.status,
        note=payload.note,
        due_on=payload.due_on,
    )
    return _action(updated)


@router.post("/corrective-actions/{action_id}/close", response=CorrectiveActionOut)
def corrective_action_close(
    request: HttpRequest, action_id: str, payload: ActionCloseIn
) -> dict[str, Any]:
    """Closed with its note (a closing without one is refused, 422)."""
    closed = services.corrective_action_close(
        actor=person_of(request), action=_carried(request, action_id), note=payload.note
    )
    return _action(closed)


# --- the scenario ---------------------------------------------------------------------------


class InjectOut(Schema):
    id: str
    traffic: str
    number: int
    status: str
    scheduled_at: datetime
    target_body: str | None = Field(description="The target coordination body's code.")
    target_organization: str | None = Field(description="The target organization's code.")
    method: str
    text_ja: str
    text_en: str
    expected_action_ja: str
    expected_action_en: str
    objective: int | None
    due_at: datetime | None
    delivered_at: datetime | None
    late: bool
    entry: str | None = Field(description="The log entry it became, once out.")
    acknowledged_at: datetime | None
    responded_at: datetime | None
    response: str


class InjectIn(Schema):
    scheduled_at: str = Field(
        description="ISO 8601 with its zone offset (2026-11-01T01:30:00-07:00 or …Z); a bare "
        "local time is refused.",
        max_length=40,
    )
    target_body: str | None = None
    target_organization: str | None = None
    method: str
    text_ja: str = Field(max_length=5000)
    text_en: str = Field(max_length=5000)
    expected_action_ja: str = Field(max_length=2000)
    expected_action_en: str = Field(max_length=2000)
    objective: int | None = None


class InjectEditIn(Schema):
    method: str
    text_ja: str = Field(max_length=5000)
    text_en: str = Field(max_length=5000)
    expected_action_ja: str = Field(max_length=2000)
    expected_action_en: str = Field(max_length=2000)
    objective: int | None = None


class ScheduleIn(Schema):
    scheduled_at: str = Field(max_length=40)


class ResponseIn(Schema):
    response: str = Field(max_length=5000)


class ClockIn(Schema):
    action: Literal["start", "pause", "resume", "jump", "speed"]
    scenario_at: str | None = Field(default=None, max_length=40)
    speed: float | None = None


class ClockOut(Schema):
    traffic: str
    scenario_now: datetime
    speed: float
    paused: bool


def _inject(inject: Inject) -> dict[str, Any]:
    return {
        "id": inject.public_id,
        "traffic": documents.BANNER,
        "number": inject.number,
        "status": inject.status,
        "scheduled_at": inject.scheduled_at,
        "target_body": inject.target_body.code if inject.target_body else None,
        "target_organization": inject.target_organization.code
        if inject.target_organization
        else None,
        "method": inject.method,
        "text_ja": inject.text_ja,
        "text_en": inject.text_en,
        "expected_action_ja": inject.expected_action_ja,
        "expected_action_en": inject.expected_action_en,
        "objective": inject.objective.number if inject.objective else None,
        "due_at": inject.due_at,
        "delivered_at": inject.delivered_at,
        "late": inject.late,
        "entry": inject.entry.label if inject.entry else None,
        "acknowledged_at": inject.acknowledged_at,
        "responded_at": inject.responded_at,
        "response": inject.response,
    }


def _instant(value: str, field: str) -> datetime:
    """An ISO 8601 time as given; a bare local time stays bare for the service to refuse."""
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        raise DjangoValidationError({field: _("Give a date and time in ISO 8601.")}) from None


def _found(request: HttpRequest, exercise_id: str, inject_id: str) -> Inject:
    exercise = selectors.exercise_get(person=person_of(request), public_id=exercise_id)
    return selectors.inject_get(person=person_of(request), exercise=exercise, public_id=inject_id)


@router.get("/exercises/{exercise_id}/injects", response=list[InjectOut])
def inject_list(request: HttpRequest, exercise_id: str) -> list[dict[str, Any]]:
    """The scenario as the reader may see it: all of it for a controller, what has gone out
    for a player."""
    person = person_of(request)
    exercise = selectors.exercise_get(person=person, public_id=exercise_id)
    return [_inject(i) for i in selectors.injects_of(person=person, exercise=exercise)]


@router.get("/exercises/{exercise_id}/injects/{inject_id}", response=InjectOut)
def inject_detail(request: HttpRequest, exercise_id: str, inject_id: str) -> dict[str, Any]:
    return _inject(_found(request, exercise_id, inject_id))


@router.post("/exercises/{exercise_id}/injects", response={201: InjectOut})
def inject_create(
    request: HttpRequest, exercise_id: str, payload: InjectIn
) -> Status[dict[str, Any]]:
    person = person_of(request)
    exercise = selectors.exercise_get(person=person, public_id=exercise_id)
    inject = services.inject_add(
        actor=person,
        exercise=exercise,
        scheduled_at=_instant(payload.scheduled_at, "scheduled_at"),
        target_body=Body.objects.filter(code=payload.target_body).first()
        if payload.target_body
        else None,
        target_organization=organization_get(code=payload.target_organization)
        if payload.target_organization
        else None,
        method=payload.method,
        text_ja=payload.text_ja,
        text_en=payload.text_en,
        expected_action_ja=payload.expected_action_ja,
        expected_action_en=payload.expected_action_en,
        objective=exercise.objectives.filter(number=payload.objective).first()
        if payload.objective is not None
        else None,
    )
    return Status(201, _inject(inject))


@router.post("/exercises/{exercise_id}/injects/{inject_id}/edit", response=InjectOut)
def inject_edit(
    request: HttpRequest, exercise_id: str, inject_id: str, payload: InjectEditIn
) -> dict[str, Any]:
    """Before it goes out only; an approved inject edited goes back to draft."""
    inject = _found(request, exercise_id, inject_id)
    edited = services.inject_edit(
        actor=person_of(request),
        inject=inject,
        method=payload.method,
        text_ja=payload.text_ja,
        text_en=payload.text_en,
        expected_action_ja=payload.expected_action_ja,
        expected_action_en=payload.expected_action_en,
        objective=inject.exercise.objectives.filter(number=payload.objective).first()
        if payload.objective is not None
        else None,
    )
    return _inject(edited)


@router.post("/exercises/{exercise_id}/injects/{inject_id}/reschedule", response=InjectOut)
def inject_reschedule(
    request: HttpRequest, exercise_id: str, inject_id: str, payload: ScheduleIn
) -> dict[str, Any]:
    inject = services.inject_reschedule(
        actor=person_of(request),
        inject=_found(request, exercise_id, inject_id),
        scheduled_at=_instant(payload.scheduled_at, "scheduled_at"),
    )
    return _inject(inject)


@router.post("/exercises/{exercise_id}/injects/{inject_id}/respond", response=InjectOut)
def inject_respond(
    request: HttpRequest, exercise_id: str, inject_id: str, payload: ResponseIn
) -> dict[str, Any]:
    inject = services.inject_respond(
        actor=person_of(request),
        inject=_found(request, exercise_id, inject_id),
        response=payload.response,
    )
    return _inject(inject)


_STEPS: dict[str, Callable[..., Inject]] = {
    "approve": services.inject_approve,
    "hold": services.inject_hold,
    "fire": services.inject_fire_now,
    "acknowledge": services.inject_acknowledge,
}


@router.post(
    "/exercises/{exercise_id}/injects/{inject_id}/{step}",
    response=InjectOut,
    description="step: approve, hold, fire (controllers) or acknowledge (players).",
)
def inject_step(
    request: HttpRequest, exercise_id: str, inject_id: str, step: str
) -> dict[str, Any]:
    if step not in _STEPS:
        raise Http404
    return _inject(
        _STEPS[step](actor=person_of(request), inject=_found(request, exercise_id, inject_id))
    )


def _clock(clock: ExerciseClock) -> dict[str, Any]:
    return {
        "traffic": documents.BANNER,
        "scenario_now": clock.scenario_now(timezone.now()),
        "speed": float(clock.speed),
        "paused": clock.paused,
    }


@router.get("/exercises/{exercise_id}/clock", response=ClockOut)
def clock_detail(request: HttpRequest, exercise_id: str) -> dict[str, Any]:
    person = person_of(request)
    exercise = selectors.exercise_get(person=person, public_id=exercise_id)
    board = selectors.console(person=person, exercise=exercise, now=timezone.now())
    if board.clock is None:
        raise Http404
    return _clock(board.clock)


@router.post("/exercises/{exercise_id}/clock", response=ClockOut)
def clock_change(request: HttpRequest, exercise_id: str, payload: ClockIn) -> dict[str, Any]:
    """Only controllers; each change audited. start and jump need scenario_at (with its
    offset), start and speed a speed."""
    person = person_of(request)
    exercise = selectors.exercise_get(person=person, public_id=exercise_id)
    if payload.action == "pause":
        return _clock(services.clock_pause(actor=person, exercise=exercise))
    if payload.action == "resume":
        return _clock(services.clock_resume(actor=person, exercise=exercise))
    if payload.action == "speed":
        return _clock(services.clock_speed(actor=person, exercise=exercise, speed=payload.speed))
    if not payload.scenario_at:
        raise DjangoValidationError({"scenario_at": _("Give the scenario time.")})
    at = _instant(payload.scenario_at, "scenario_at")
    if payload.action == "jump":
        return _clock(services.clock_jump(actor=person, exercise=exercise, scenario_at=at))
    return _clock(
        services.clock_start(
            actor=person, exercise=exercise, scenario_at=at, speed=payload.speed or 1
        )
    )
