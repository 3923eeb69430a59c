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

from .models import Area, Exercise, Objective, Participation


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
