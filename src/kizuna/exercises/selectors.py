"""Every read of the exercises app, starting from its policy (so from the reader's
markings): lists, a record, the yearly table, the shared map's layer, the after-action
review, what keeps recurring across exercises and what an organization owes."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, QuerySet
from django.urls import reverse

from kizuna.coordination import policy as coordination_policy
from kizuna.coordination.models import Situation
from kizuna.core import places
from kizuna.core.models import Nation, Person
from kizuna.core.public_ids import get_public_or_404
from kizuna.sharing.selectors import MapPlace

from . import documents, policy
from .models import (
    DUE_SOON_DAYS,
    MEASURES,
    Area,
    CorrectiveAction,
    Domain,
    Exercise,
    ExerciseClock,
    Figure,
    Inject,
    Lesson,
    Objective,
    Observation,
    Participation,
    fiscal_year_label,
)


def _with_parts(exercises: QuerySet[Exercise]) -> QuerySet[Exercise]:
    return exercises.select_related("series", "marking", "situation").prefetch_related(
        "domains",
        "areas",
        "objectives",
        Prefetch(
            "participations",
            queryset=Participation.objects.select_related("nation", "organization"),
        ),
    )


def exercise_list(*, person: Person, kind: str = "", year: str = "") -> QuerySet[Exercise]:
    exercises = policy.exercises_visible(person)
    if kind in Exercise.Kind.values:
        exercises = exercises.filter(kind=kind)
    if year.isdigit():
        exercises = exercises.filter(fiscal_year=int(year))
    return _with_parts(exercises).order_by("-fiscal_year", "-starts_on", "name_en")


def exercise_get(*, person: Person, public_id: str) -> Exercise:
    """One exercise the person may see; a hidden one is as missing (404)."""
    return get_public_or_404(_with_parts(policy.exercises_visible(person)), public_id)


@dataclass
class Year:
    """One fiscal year of the yearly table: counts by kind and domain, each nation's figures
    totalled (approximate when any figure in the total is), and the exercises themselves."""

    fiscal_year: int | None
    by_kind: dict[str, int] = field(default_factory=dict)
    by_domain: dict[str, int] = field(default_factory=dict)
    by_nation: dict[str, dict[str, Figure]] = field(default_factory=dict)
    exercises: list[Exercise] = field(default_factory=list)

    @property
    def label(self) -> str:
        return fiscal_year_label(self.fiscal_year)

    def kind_counts(self) -> list[tuple[str, int]]:
        return [(str(label), self.by_kind.get(kind, 0)) for kind, label in Exercise.Kind.choices]

    def domain_counts(self) -> list[tuple[str, int]]:
        return [(str(label), self.by_domain.get(code, 0)) for code, label in Domain.choices]

    def nation_rows(self) -> list[tuple[str, Figure, Figure, Figure]]:
        names = {n.code: n.name for n in Nation.objects.filter(code__in=self.by_nation)}
        return [
            (names.get(code, code), totals["personnel"], totals["ships"], totals["aircraft"])
            for code, totals in sorted(self.by_nation.items())
        ]


def yearly_table(exercises: Iterable[Exercise]) -> list[Year]:
    """The white paper's data annex, by Japan's fiscal year (newest first, the years the
    source does not give last), from the exercises the reader sees."""
    years: dict[int | None, Year] = {}
    for exercise in exercises:
        year = years.setdefault(exercise.fiscal_year, Year(exercise.fiscal_year))
        year.exercises.append(exercise)
        year.by_kind[exercise.kind] = year.by_kind.get(exercise.kind, 0) + 1
        for domain in exercise.domains.all():
            year.by_domain[domain.domain] = year.by_domain.get(domain.domain, 0) + 1
        for part in exercise.participations.all():
            totals = year.by_nation.setdefault(part.nation_id, defaultdict(lambda: Figure(None)))
            for measure in MEASURES:
                totals[measure] = totals[measure] + part.figure(measure)
    return sorted(years.values(), key=lambda y: -(y.fiscal_year or -1))


def areas_on_map(person: Person, limit: int = 200) -> list[MapPlace]:
    """The shared map's exercises layer: areas with a position of exercises the person may
    see (this app's policy)."""
    rows = (
        Area.objects.filter(
            exercise__in=policy.exercises_visible(person),
            latitude__isnull=False,
            longitude__isnull=False,
        )
        .select_related("exercise")
        .order_by("-exercise__starts_on", "pk")[:limit]
    )
    return [
        MapPlace(
            layer="exercise",
            url=reverse("exercises:detail", args=[area.exercise.public_id]),
            title=area.exercise.name,
            latitude=float(area.latitude),  # type: ignore[arg-type]
            longitude=float(area.longitude),  # type: ignore[arg-type]
            note=f"{documents.BANNER} · {area.exercise.get_kind_display()} · {area.name}",
        )
        for area in rows
    ]


# --- the after-action review ---------------------------------------------------------------


def review_of(*, person: Person, exercise: Exercise) -> dict[str, list[Any]]:
    """The exercise's observations, lessons and corrective actions the person may read."""
    return {
        "observations": list(
            policy.observations_visible(person)
            .filter(exercise=exercise)
            .select_related("exercise", "objective", "author", "author_organization")
        ),
        "lessons": list(
            policy.lessons_visible(person)
            .filter(exercise=exercise)
            .select_related("exercise", "objective", "author_organization")
        ),
        "actions": list(
            policy.corrective_actions_visible(person)
            .filter(exercise=exercise)
            .select_related("owner", "lesson", "exercise")
        ),
    }


def observation_get(*, person: Person, exercise: Exercise, public_id: str) -> Observation:
    """One of the exercise's observations the person may read; a hidden one is missing."""
    return get_public_or_404(
        policy.observations_visible(person)
        .filter(exercise=exercise)
        .select_related("exercise", "objective", "author_organization"),
        public_id,
    )


def lesson_get(*, person: Person, public_id: str) -> Lesson:
    return get_public_or_404(
        policy.lessons_visible(person).select_related(
            "exercise", "objective", "author_organization", "marking"
        ),
        public_id,
    )


def corrective_action_get(*, person: Person, public_id: str) -> CorrectiveAction:
    return get_public_or_404(
        policy.corrective_actions_visible(person).select_related(
            "exercise", "lesson", "owner", "closed_by", "marking"
        ),
        public_id,
    )


def corrective_actions(
    *, person: Person, state: str = "", mine: bool = False
) -> QuerySet[CorrectiveAction]:
    """The actions the person reads, soonest due first; `state` "overdue" or "open" narrows,
    `mine` keeps those their organizations own."""
    actions = policy.corrective_actions_visible(person).select_related(
        "exercise", "lesson", "owner"
    )
    if mine:
        actions = actions.filter(owner__in=[m.organization_id for m in person.membership_rows()])
    if state == "overdue":
        actions = actions.exclude(status=CorrectiveAction.Status.CLOSED).filter(
            due_on__lt=places.today()
        )
    elif state == "open":
        actions = actions.exclude(status=CorrectiveAction.Status.CLOSED)
    return actions.order_by("due_on", "pk")


def owed_by(*, person: Person, today: date | None = None) -> dict[str, int]:
    """The open corrective actions the person's organizations own: overdue, and due within
    `DUE_SOON_DAYS` (only those the person is cleared to read)."""
    today = today or places.today()
    own = [m.organization_id for m in person.membership_rows()]
    open_ = (
        policy.corrective_actions_visible(person)
        .filter(owner__in=own)
        .exclude(status=CorrectiveAction.Status.CLOSED)
    )
    return {
        "overdue": open_.filter(due_on__lt=today).count(),
        "due": open_.filter(
            due_on__gte=today, due_on__lte=today + timedelta(days=DUE_SOON_DAYS)
        ).count(),
    }


def under_way(*, person: Person) -> list[Exercise]:
    """The exercises being run now on situations the person takes part in (the situation
    still open): where they play, kept apart from the real world's situations."""
    return list(
        policy.exercises_visible(person)
        .filter(
            situation__status=Situation.Status.OPEN,
            situation__in=coordination_policy.situations_visible(person),
        )
        .select_related("situation")
        .order_by("-situation__starts_at")[:10]
    )


def objective_key(objective: Objective) -> str:
    """What makes two exercises' objectives the same one: the English text, letter case,
    spacing and the final full stop aside (a series repeats its objectives word for word)."""
    return " ".join(objective.text_en.casefold().split()).rstrip(".")


@dataclass
class Recurring:
    """One objective falling short in several exercises: each exercise's observations that
    found it not (fully) met and lessons drawn on it."""

    text: str
    exercises: list[Exercise] = field(default_factory=list)
    shortfalls: int = 0
    lessons: list[Lesson] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.exercises)


def recurring(*, person: Person, least: int = 2) -> list[Recurring]:
    """The objectives that fell short in at least `least` exercises the person reads (an
    observation "not met" or "partially met", or a lesson on it), most exercises first."""
    groups: dict[str, Recurring] = {}
    seen: dict[str, set[int]] = defaultdict(set)

    def group_of(objective: Objective) -> Recurring:
        key = objective_key(objective)
        return groups.setdefault(key, Recurring(objective.text))

    def note(objective: Objective, exercise: Exercise) -> Recurring:
        found = group_of(objective)
        key = objective_key(objective)
        if exercise.pk not in seen[key]:
            seen[key].add(exercise.pk)
            found.exercises.append(exercise)
        return found

    shortfalls = (
        policy.observations_visible(person)
        .exclude(assessment=Observation.Assessment.MET)
        .select_related("objective", "exercise")
        .order_by("exercise__starts_on", "pk")
    )
    for observation in shortfalls:
        note(observation.objective, observation.exercise).shortfalls += 1
    lessons = (
        policy.lessons_visible(person)
        .filter(objective__isnull=False)
        .select_related("objective", "exercise")
        .order_by("exercise__starts_on", "pk")
    )
    for lesson in lessons:
        if lesson.objective is not None:
            note(lesson.objective, lesson.exercise).lessons.append(lesson)
    found = [g for g in groups.values() if g.count >= least]
    return sorted(found, key=lambda g: (-g.count, g.text))


# --- the scenario ---------------------------------------------------------------------------


def injects_of(*, person: Person, exercise: Exercise) -> QuerySet[Inject]:
    """The exercise's injects the person may read: all of them for a controller, the ones
    gone out for everyone else (the sharing rule on their markings decides)."""
    return (
        policy.injects_visible(person)
        .filter(exercise=exercise)
        .select_related("target_body", "target_organization", "objective", "entry")
        .order_by("scheduled_at", "number")
    )


def inject_get(*, person: Person, exercise: Exercise, public_id: str) -> Inject:
    """One inject the person may read; one not yet delivered is, to a player, missing (404)."""
    return get_public_or_404(injects_of(person=person, exercise=exercise), public_id)


def injects_delivered_as(*, person: Person, entry_ids: Iterable[int]) -> QuerySet[Inject]:
    """The injects the person may read that went out as these log entries."""
    return (
        policy.injects_visible(person)
        .filter(entry__in=list(entry_ids))
        .select_related("exercise__situation", "target_body", "target_organization", "entry")
        .prefetch_related("target_body__organizations")  # who plays each (policy.may_play)
    )


@dataclass
class Console:
    """The controller's console: the clock, and the injects with what became of them."""

    exercise: Exercise
    clock: ExerciseClock | None
    scenario_now: datetime | None
    injects: list[Inject]

    def count(self, *statuses: str) -> int:
        return sum(1 for i in self.injects if i.status in statuses)

    @property
    def out(self) -> int:
        return self.count(*Inject.OUT)

    @property
    def acknowledged(self) -> int:
        return self.count(Inject.Status.ACKNOWLEDGED, Inject.Status.RESPONDED)

    @property
    def responded(self) -> int:
        return self.count(Inject.Status.RESPONDED)

    @property
    def late(self) -> int:
        return sum(1 for i in self.injects if i.late)


def console(*, person: Person, exercise: Exercise, now: datetime) -> Console:
    if not policy.may_control(person, exercise):
        raise PermissionDenied
    clock = ExerciseClock.objects.filter(exercise=exercise).first()
    return Console(
        exercise=exercise,
        clock=clock,
        scenario_now=clock.scenario_now(now) if clock else None,
        injects=list(injects_of(person=person, exercise=exercise)),
    )
