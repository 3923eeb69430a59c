"""The scenario: injects (written, approved, held, rescheduled, fired by controllers;
acknowledged and answered by players once out) and the exercise clock. An inject not yet
delivered answers a player 404, as if it did not exist."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, Literal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Schema, Status
from pydantic import Field

from kizuna.coordination.models import Body
from kizuna.core import bounds
from kizuna.core.auth import person_of
from kizuna.core.selectors import organization_get

from .. import documents, selectors, services
from ..models import INJECT_TEXT_CHARS, ExerciseClock, Inject
from ._shared import WITH_ZONE, instant, router


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
        description=WITH_ZONE,
        max_length=40,
    )
    target_body: str | None = None
    target_organization: str | None = None
    method: str
    text_ja: str = Field(max_length=INJECT_TEXT_CHARS)
    text_en: str = Field(max_length=INJECT_TEXT_CHARS)
    expected_action_ja: str = Field(max_length=bounds.REASON_CHARS)
    expected_action_en: str = Field(max_length=bounds.REASON_CHARS)
    objective: int | None = None


class InjectEditIn(Schema):
    method: str
    text_ja: str = Field(max_length=INJECT_TEXT_CHARS)
    text_en: str = Field(max_length=INJECT_TEXT_CHARS)
    expected_action_ja: str = Field(max_length=bounds.REASON_CHARS)
    expected_action_en: str = Field(max_length=bounds.REASON_CHARS)
    objective: int | None = None


class ScheduleIn(Schema):
    scheduled_at: str = Field(max_length=40)


class ResponseIn(Schema):
    response: str = Field(max_length=INJECT_TEXT_CHARS)


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
        scheduled_at=instant(payload.scheduled_at, "scheduled_at"),
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
        scheduled_at=instant(payload.scheduled_at, "scheduled_at"),
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
    at = instant(payload.scenario_at, "scenario_at")
    if payload.action == "jump":
        return _clock(services.clock_jump(actor=person, exercise=exercise, scenario_at=at))
    return _clock(
        services.clock_start(
            actor=person, exercise=exercise, scenario_at=at, speed=payload.speed or 1
        )
    )
