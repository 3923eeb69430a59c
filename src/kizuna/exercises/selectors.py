"""Every read of the exercises app, starting from its policy (so from the reader's
markings): lists, a record, the yearly table, the shared map's layer."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, QuerySet
from django.urls import reverse

from kizuna.core.models import Nation, Person
from kizuna.core.public_ids import get_public_or_404
from kizuna.sharing.selectors import MapPlace

from . import documents, policy
from .models import (
    MEASURES,
    Area,
    Domain,
    Exercise,
    ExerciseClock,
    Figure,
    Inject,
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
