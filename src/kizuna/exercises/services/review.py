"""The after-action review's writes: observations during the exercise (and their
translations), lessons after it, and each lesson's corrective actions followed to closure.
One transaction each, audited in it; bad input is refused in the person's language, beside
its field, and nothing is written."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kizuna.coordination.models import Language
from kizuna.core import bounds, places
from kizuna.core.audit import record_event
from kizuna.core.models import Organization, Person

from .. import policy
from ..models import CorrectiveAction, Exercise, Lesson, Objective, Observation, Provenance

# A corrective action is due within this many days of being opened or updated, at most.
LONGEST_DUE = timedelta(days=5 * 366)


def _require_reviewer(actor: Person | None) -> None:
    """The demo loader writes as nobody (actor None); people must be evaluators."""
    if actor is not None and not policy.may_review(actor):
        raise PermissionDenied(_("Only an exercise evaluator records the after-action review."))


def _author_organization(actor: Person | None, organization: Organization | None) -> Organization:
    """The organization written for: the writer's own (their first unless they name one);
    the demo loader names it."""
    if actor is not None:
        own = [m.organization for m in actor.membership_rows()]
        organization = organization or (own[0] if own else None)
        if organization not in own:
            raise PermissionDenied(_("Write for your own organization."))
    if organization is None:
        raise ValidationError({"organization": _("Name the organization writing.")})
    return organization


def checked_text(value: str, field: str, *, limit: int = bounds.REASON_CHARS) -> str:
    """A text stripped, present, within `limit` and free of control characters, or refused
    beside `field` (the scenario's texts are checked here too)."""
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: _("This field is required.")})
    if len(value) > limit:
        raise ValidationError(
            {
                field: _("Keep it to %(limit)s characters (this has %(count)s).")
                % {"limit": limit, "count": len(value)}
            }
        )
    try:
        bounds.refuse_control_characters(value)
    except ValidationError as error:
        raise ValidationError({field: error.messages}) from None
    return value


def _language(language: str) -> None:
    if language not in Language.values:
        raise ValidationError({"language": _("Say which language the text is written in.")})


def _provenance(provenance: str) -> None:
    if provenance not in ("", Provenance.ILLUSTRATIVE):
        raise ValidationError({"provenance": _("Only the demo marks a review illustrative.")})


def _due(due_on: date | None, exercise: Exercise) -> date:
    """Not before the exercise began, not past five years from today."""
    if due_on is None:
        raise ValidationError({"due_on": _("Give the due date.")})
    earliest = exercise.starts_on or bounds.EARLIEST
    latest = places.today() + LONGEST_DUE
    if due_on < earliest:
        raise ValidationError(
            {
                "due_on": _("The due date is before the exercise (%(start)s): give a later one.")
                % {"start": earliest.isoformat()}
            }
        )
    if due_on > latest:
        raise ValidationError(
            {
                "due_on": _("The due date is after %(latest)s: give one within five years.")
                % {"latest": latest.isoformat()}
            }
        )
    return due_on


def _objective_of(exercise: Exercise, objective: Objective | None) -> None:
    if objective is not None and objective.exercise_id != exercise.pk:
        raise ValidationError({"objective": _("That objective is not one of this exercise's.")})


@transaction.atomic
def observation_record(
    *,
    actor: Person | None,
    exercise: Exercise,
    objective: Objective | None,
    assessment: str,
    language: str,
    text: str,
    observed_at: datetime | None = None,
    organization: Organization | None = None,
    provenance: str = "",
) -> Observation:
    """An evaluator's observation against one of the exercise's objectives."""
    _require_reviewer(actor)
    if objective is None:
        raise ValidationError({"objective": _("Choose the objective observed.")})
    _objective_of(exercise, objective)
    if assessment not in Observation.Assessment.values:
        raise ValidationError({"assessment": _("Say whether the objective was met.")})
    _language(language)
    body = checked_text(text, "text", limit=bounds.ENTRY_CHARS)
    observed_at = observed_at or timezone.now()
    if timezone.is_naive(observed_at):
        raise ValidationError({"observed_at": _("Give the time with its time zone.")})
    bounds.check_moment("observed", observed_at, field="observed_at")
    _provenance(provenance)
    observation = Observation.objects.create(
        exercise=exercise,
        marking_id=exercise.marking_id,
        objective=objective,
        assessment=assessment,
        language=language,
        text=body,
        observed_at=observed_at,
        author=actor,
        author_organization=_author_organization(actor, organization),
        provenance=provenance,
    )
    record_event(
        actor=actor,
        action="exercises.observation.record",
        obj=observation,
        after={
            "exercise": exercise.public_id,
            "objective": observation.objective.number,
            "assessment": assessment,
        },
    )
    return observation


@transaction.atomic
def observation_translate(
    *, actor: Person, observation: Observation, translation: str
) -> Observation:
    """The observation's text given in the other language, once, as a log entry's is; by an
    evaluator or an information manager (policy.may_translate). Its reader finds it through a
    selector first: a hidden observation is missing, not refused."""
    observation = Observation.objects.select_for_update().get(pk=observation.pk)
    if not policy.may_translate(actor):
        raise PermissionDenied(
            _("Only an exercise evaluator or an information manager translates an observation.")
        )
    if observation.translation:
        raise ValidationError({"translation": _("This observation already has its translation.")})
    words = checked_text(translation, "translation", limit=bounds.ENTRY_CHARS)
    observation.translation = words
    observation.save(update_fields=["translation"])
    record_event(
        actor=actor,
        action="exercises.observation.translate",
        obj=observation,
        after={"exercise": observation.exercise.public_id, "translation": words},
    )
    return observation


@transaction.atomic
def lesson_record(
    *,
    actor: Person | None,
    exercise: Exercise,
    title: str,
    observation: str,
    discussion: str,
    lesson: str,
    recommendation: str,
    language: str,
    objective: Objective | None = None,
    organization: Organization | None = None,
    provenance: str = "",
) -> Lesson:
    """A lesson of the after-action review, in JLLIS's five parts."""
    _require_reviewer(actor)
    _objective_of(exercise, objective)
    _language(language)
    parts = {
        "title": checked_text(title, "title", limit=bounds.TITLE_CHARS),
        "observation": checked_text(observation, "observation"),
        "discussion": checked_text(discussion, "discussion"),
        "lesson": checked_text(lesson, "lesson"),
        "recommendation": checked_text(recommendation, "recommendation"),
    }
    _provenance(provenance)
    row = Lesson.objects.create(
        exercise=exercise,
        marking_id=exercise.marking_id,
        objective=objective,
        language=language,
        author=actor,
        author_organization=_author_organization(actor, organization),
        provenance=provenance,
        **parts,
    )
    record_event(
        actor=actor,
        action="exercises.lesson.record",
        obj=row,
        after={"exercise": exercise.public_id, "title": row.title},
    )
    return row


@transaction.atomic
def corrective_action_open(
    *,
    actor: Person | None,
    lesson: Lesson,
    owner: Organization,
    due_on: date | None,
    text: str = "",
    language: str = "",
    organization: Organization | None = None,
    provenance: str = "",
) -> CorrectiveAction:
    """A lesson's recommendation turned into one organization's action with a due date
    (the action's words default to the recommendation's)."""
    _require_reviewer(actor)
    language = language or lesson.language
    _language(language)
    words = checked_text(text or lesson.recommendation, "text")
    due_on = _due(due_on, lesson.exercise)
    _provenance(provenance)
    action = CorrectiveAction.objects.create(
        exercise=lesson.exercise,
        marking_id=lesson.marking_id,
        lesson=lesson,
        owner=owner,
        text=words,
        language=language,
        due_on=due_on,
        author=actor,
        author_organization=_author_organization(actor, organization),
        provenance=provenance,
    )
    record_event(
        actor=actor,
        action="exercises.corrective_action.open",
        obj=action,
        after={"lesson": lesson.public_id, "owner": owner.code, "due_on": due_on.isoformat()},
    )
    return action


def _require_carrier(actor: Person, action: CorrectiveAction) -> None:
    if not policy.may_carry(actor, action):
        raise PermissionDenied(
            _("Only the owner organization's people or an evaluator carry this action forward.")
        )
    if action.status == CorrectiveAction.Status.CLOSED:
        raise ValidationError({"status": _("This corrective action is closed.")})


@transaction.atomic
def corrective_action_update(
    *,
    actor: Person,
    action: CorrectiveAction,
    status: str,
    note: str,
    due_on: date | None = None,
) -> CorrectiveAction:
    """Progress on an open action: its status (open or in progress), a note, a new due date."""
    action = CorrectiveAction.objects.select_for_update().get(pk=action.pk)
    _require_carrier(actor, action)
    if status not in (CorrectiveAction.Status.OPEN, CorrectiveAction.Status.IN_PROGRESS):
        raise ValidationError(
            {"status": _("Choose open or in progress; close an action with its closing note.")}
        )
    words = checked_text(note, "note")
    before = {"status": action.status, "due_on": action.due_on.isoformat()}
    if due_on is not None:
        action.due_on = _due(due_on, action.exercise)
    action.status = status
    action.progress_note = words
    action.save(update_fields=["status", "progress_note", "due_on"])
    record_event(
        actor=actor,
        action="exercises.corrective_action.update",
        obj=action,
        before=before,
        after={"status": status, "due_on": action.due_on.isoformat(), "note": words},
    )
    return action


@transaction.atomic
def corrective_action_close(
    *, actor: Person, action: CorrectiveAction, note: str
) -> CorrectiveAction:
    """Closed, with a note of how it was corrected: an action never closes in silence."""
    action = CorrectiveAction.objects.select_for_update().get(pk=action.pk)
    _require_carrier(actor, action)
    if not (note or "").strip():
        raise ValidationError({"note": _("Say how the action was carried out to close it.")})
    words = checked_text(note, "note")
    before = {"status": action.status}
    action.status = CorrectiveAction.Status.CLOSED
    action.closing_note = words
    action.closed_at = timezone.now()
    action.closed_by = actor
    action.save(update_fields=["status", "closing_note", "closed_at", "closed_by"])
    record_event(
        actor=actor,
        action="exercises.corrective_action.close",
        obj=action,
        before=before,
        after={"status": action.status, "note": words},
    )
    return action
