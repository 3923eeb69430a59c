"""Who may see and record exercises. Every page, API route, export, chart and map layer of
the app asks here.

An exercise is a marked record (sharing's classification, releasability, caveats and
communities): a person sees it, its areas, objectives and figures, and every total made from
them, only when the sharing policy lets them read its marking. The demo's exercises are
marked at Japan's lowest level, releasable to both nations, so every cleared person reads
them. Exercise controllers (統裁官) record exercises; everyone else reads.
"""

from __future__ import annotations

from django.db.models import QuerySet

from kizuna.core.models import Person, Role
from kizuna.sharing import policy as sharing_policy

from .models import Area, CorrectiveAction, Exercise, Lesson, Objective, Observation, Participation


def exercises_visible(person: Person) -> QuerySet[Exercise]:
    return sharing_policy.restrict(Exercise.objects.all(), person)


def participations_visible(person: Person) -> QuerySet[Participation]:
    return Participation.objects.filter(sharing_policy.marking_filter(person, "exercise__"))


def areas_visible(person: Person) -> QuerySet[Area]:
    return Area.objects.filter(sharing_policy.marking_filter(person, "exercise__"))


def objectives_visible(person: Person) -> QuerySet[Objective]:
    return Objective.objects.filter(sharing_policy.marking_filter(person, "exercise__"))


def may_read(person: Person) -> bool:
    """Anyone signed in with a clearance; without one nothing marked is visible."""
    return sharing_policy.reach_of(person) is not None


def may_record(person: Person) -> bool:
    """Exercise controllers holding a clearance record exercises and their figures."""
    return (
        any(m.role == Role.EXERCISE_CONTROLLER for m in person.membership_rows())
        and sharing_policy.reach_of(person) is not None
    )


def observations_visible(person: Person) -> QuerySet[Observation]:
    return sharing_policy.restrict(Observation.objects.all(), person)


def lessons_visible(person: Person) -> QuerySet[Lesson]:
    return sharing_policy.restrict(Lesson.objects.all(), person)


def corrective_actions_visible(person: Person) -> QuerySet[CorrectiveAction]:
    return sharing_policy.restrict(CorrectiveAction.objects.all(), person)


def may_review(person: Person) -> bool:
    """Evaluators of the after-action review are the exercise's recorders: the one place to
    widen when evaluators become a role of their own."""
    return may_record(person)


def owns(person: Person, action: CorrectiveAction) -> bool:
    """A member of the action's owner organization, cleared to read anything at all."""
    return sharing_policy.reach_of(person) is not None and any(
        m.organization_id == action.owner_id for m in person.membership_rows()
    )


def may_carry(person: Person, action: CorrectiveAction) -> bool:
    """Who updates and closes a corrective action: its owner's people or a reviewer."""
    return owns(person, action) or may_review(person)
