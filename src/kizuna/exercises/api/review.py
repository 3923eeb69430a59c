"""The after-action review: read it; record observations (and their translations) and
lessons; open a lesson's corrective actions and carry them forward to closure. Hidden
records answer 404; a reader the exercises policy does not let write, 403."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Schema, Status
from pydantic import Field

from kizuna.core.auth import person_of
from kizuna.core.models import Organization, Person
from kizuna.core.selectors import organization_list

from .. import documents, policy, selectors, services
from ..models import CorrectiveAction, Exercise, Lesson, Objective, Observation
from ._shared import WITH_ZONE, instant, router


class ObservationOut(Schema):
    id: str
    traffic: str = Field(description="Always EXERCISE EXERCISE EXERCISE: never real traffic.")
    exercise: str
    objective: int = Field(description="The objective's number in its exercise.")
    assessment: str
    observed_at: datetime
    language: str
    text: str
    translation: str
    organization: str
    provenance: str


class LessonOut(Schema):
    id: str
    traffic: str = Field(description="Always EXERCISE EXERCISE EXERCISE: never real traffic.")
    exercise: str
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


def _observation(observation: Observation) -> dict[str, Any]:
    return {
        "id": observation.public_id,
        "traffic": documents.BANNER,
        "exercise": observation.exercise.public_id,
        "objective": observation.objective.number,
        "assessment": observation.assessment,
        "observed_at": observation.observed_at,
        "language": observation.language,
        "text": observation.text,
        "translation": observation.translation,
        "organization": observation.author_organization.code,
        "provenance": observation.provenance,
    }


def _lesson(lesson: Lesson) -> dict[str, Any]:
    return {
        "id": lesson.public_id,
        "traffic": documents.BANNER,
        "exercise": lesson.exercise.public_id,
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


@router.get("/exercises/{exercise_id}/review", response=ReviewOut)
def review(request: HttpRequest, exercise_id: str) -> dict[str, Any]:
    """The exercise's observations, lessons and corrective actions the reader may see."""
    person = person_of(request)
    exercise = selectors.exercise_get(person=person, public_id=exercise_id)
    found = selectors.review_of(person=person, exercise=exercise)
    return {
        "traffic": documents.BANNER,
        "exercise": exercise.public_id,
        "observations": [_observation(o) for o in found["observations"]],
        "lessons": [_lesson(lesson) for lesson in found["lessons"]],
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


class ObservationIn(Schema):
    objective: int = Field(description="The objective's number in the exercise.")
    assessment: str = Field(description="met, partially_met or not_met.")
    language: str = Field(description="ja or en: the language the text is written in.")
    text: str
    observed_at: str | None = Field(
        default=None,
        description=f"When it was seen: {WITH_ZONE} Now when not given.",
        max_length=40,
    )


class LessonIn(Schema):
    objective: int | None = Field(
        default=None, description="The number of the objective it draws on, if any."
    )
    title: str
    observation: str
    discussion: str
    lesson: str
    recommendation: str
    language: str = Field(description="ja or en: the language the lesson is written in.")


class ActionOpenIn(Schema):
    owner: str = Field(description="The owner organization's code.")
    due_on: date | None = None
    text: str = Field(default="", description="The action; the lesson's recommendation if empty.")
    language: str = Field(default="", description="ja or en; the lesson's if empty.")


class TranslationIn(Schema):
    translation: str = Field(description="The observation's text in the other language.")


def _reviewing(request: HttpRequest, exercise_id: str) -> tuple[Person, Exercise]:
    """The exercise, for an evaluator: hidden, a 404; seen but not theirs to review, a 403
    before any input is looked at (as the pages refuse)."""
    person = person_of(request)
    exercise = selectors.exercise_get(person=person, public_id=exercise_id)
    if not policy.may_review(person):
        raise PermissionDenied
    return person, exercise


def _objective(exercise: Exercise, number: int | None) -> Objective | None:
    if number is None:
        return None
    found = exercise.objectives.filter(number=number).first()
    if found is None:
        raise ValidationError(
            {"objective": _("This exercise has no objective %(number)s.") % {"number": number}}
        )
    return found


def _owner(code: str) -> Organization:
    found = organization_list().filter(code=code).first()
    if found is None:
        raise ValidationError(
            {"owner": _("No organization has the code “%(code)s”.") % {"code": code}}
        )
    return found


@router.post("/exercises/{exercise_id}/observations", response={201: ObservationOut})
def observation_create(
    request: HttpRequest, exercise_id: str, payload: ObservationIn
) -> Status[dict[str, Any]]:
    """An evaluator's observation against one of the exercise's objectives."""
    person, exercise = _reviewing(request, exercise_id)
    observation = services.observation_record(
        actor=person,
        exercise=exercise,
        objective=_objective(exercise, payload.objective),
        assessment=payload.assessment,
        language=payload.language,
        text=payload.text,
        observed_at=instant(payload.observed_at, "observed_at") if payload.observed_at else None,
    )
    return Status(201, _observation(observation))


@router.post(
    "/exercises/{exercise_id}/observations/{observation_id}/translation",
    response=ObservationOut,
)
def observation_translate(
    request: HttpRequest, exercise_id: str, observation_id: str, payload: TranslationIn
) -> dict[str, Any]:
    """The observation's text in the other language, once (evaluators and information
    managers)."""
    person = person_of(request)
    exercise = selectors.exercise_get(person=person, public_id=exercise_id)
    found = selectors.observation_get(person=person, exercise=exercise, public_id=observation_id)
    translated = services.observation_translate(
        actor=person, observation=found, translation=payload.translation
    )
    return _observation(translated)


@router.post("/exercises/{exercise_id}/lessons", response={201: LessonOut})
def lesson_create(
    request: HttpRequest, exercise_id: str, payload: LessonIn
) -> Status[dict[str, Any]]:
    """A lesson in JLLIS's five parts; open its corrective actions next."""
    person, exercise = _reviewing(request, exercise_id)
    lesson = services.lesson_record(
        actor=person,
        exercise=exercise,
        objective=_objective(exercise, payload.objective),
        title=payload.title,
        observation=payload.observation,
        discussion=payload.discussion,
        lesson=payload.lesson,
        recommendation=payload.recommendation,
        language=payload.language,
    )
    return Status(201, _lesson(lesson))


@router.post("/lessons/{lesson_id}/corrective-actions", response={201: CorrectiveActionOut})
def corrective_action_open(
    request: HttpRequest, lesson_id: str, payload: ActionOpenIn
) -> Status[dict[str, Any]]:
    """The lesson's recommendation turned into one organization's action with a due date."""
    person = person_of(request)
    lesson = selectors.lesson_get(person=person, public_id=lesson_id)
    if not policy.may_review(person):
        raise PermissionDenied
    action = services.corrective_action_open(
        actor=person,
        lesson=lesson,
        owner=_owner(payload.owner),
        due_on=payload.due_on,
        text=payload.text,
        language=payload.language,
    )
    return Status(201, _action(action))
