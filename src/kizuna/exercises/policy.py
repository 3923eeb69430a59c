"""Who may see and record exercises. Every page, API route, export, chart and map layer of
the app asks here.

An exercise is a marked record (sharing's classification, releasability, caveats and
communities): a person sees it, its areas, objectives and figures, and every total made from
them, only when the sharing policy lets them read its marking. The demo's exercises are
marked at Japan's lowest level, releasable to both nations, so every cleared person reads
them. Exercise controllers (統裁官) record exercises; everyone else reads. The after-action review
is written by evaluators (today the controllers, `may_review`); an observation's translation
also by information managers, the liaison officers who translate log entries.

The scenario: an inject is marked like its exercise plus the controllers' community until it
is delivered (models.scenario), so `injects_visible` is the sharing rule and nothing more —
a player asking for an inject ahead of time gets the 404 of a record that does not exist.
Controlling an exercise (its injects, its clock) takes the controller's role, the
controllers' community in one's clearance, and sight of the exercise. Players of an inject
are the staff of its target cell: they acknowledge and answer it once it is out.
"""

from __future__ import annotations

from django.db.models import QuerySet

from kizuna.coordination import policy as coordination_policy
from kizuna.core.models import Person, Role
from kizuna.sharing import policy as sharing_policy
from kizuna.sharing.models import Community

from .models import (
    CONTROL_COMMUNITY,
    Area,
    CorrectiveAction,
    Exercise,
    Inject,
    Lesson,
    Objective,
    Observation,
    Participation,
)


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


def may_translate(person: Person) -> bool:
    """Who gives an observation its translation: an evaluator (who may record it), or an
    information manager — coordination's liaison officers, who translate log entries —
    holding a clearance. Which observation they reach is the sharing rule's
    (`observations_visible`)."""
    return may_review(person) or (
        coordination_policy.holds(person, Role.INFORMATION_MANAGER)
        and sharing_policy.reach_of(person) is not None
    )


def owns(person: Person, action: CorrectiveAction) -> bool:
    """A member of the action's owner organization, cleared to read anything at all."""
    return sharing_policy.reach_of(person) is not None and any(
        m.organization_id == action.owner_id for m in person.membership_rows()
    )


def may_carry(person: Person, action: CorrectiveAction) -> bool:
    """Who updates and closes a corrective action: its owner's people or a reviewer."""
    return owns(person, action) or may_review(person)


def injects_visible(person: Person) -> QuerySet[Inject]:
    return sharing_policy.restrict(Inject.objects.all(), person)


def holds_control_community(person: Person) -> bool:
    reach = sharing_policy.reach_of(person)
    if reach is None:
        return False
    return Community.objects.filter(code=CONTROL_COMMUNITY, pk__in=reach.communities).exists()


def may_control(person: Person, exercise: Exercise) -> bool:
    """An exercise controller (統裁官) of the controllers' cell who sees the exercise: only
    they write the scenario, approve, hold, reschedule and fire injects, and touch the clock."""
    return (
        may_record(person)
        and holds_control_community(person)
        and exercises_visible(person).filter(pk=exercise.pk).exists()
    )


def may_play(person: Person, inject: Inject) -> bool:
    """Staff of the inject's target cell (a member organization of the target body, or the
    target organization) answer it once it is out. A controller's membership plays no part:
    the controllers are a cell of their own."""
    if not inject.is_out:
        return False
    playing = {
        m.organization_id
        for m in person.membership_rows()
        if m.role not in (Role.EXERCISE_CONTROLLER, *coordination_policy.OVERSEEING_ROLES)
    }
    if inject.target_body is not None:
        cell = {o.pk for o in inject.target_body.organizations.all()}
    else:
        cell = {inject.target_organization_id or 0}
    return bool(playing & cell)
