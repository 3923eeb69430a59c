"""Records for the after-action review tests: an exercise with an objective, written as the
demo loader writes (actor None), and a lesson with one corrective action."""

from __future__ import annotations

from datetime import date

from kizuna.core.models import Organization
from kizuna.exercises import services
from kizuna.exercises.models import CorrectiveAction, Exercise, Lesson, Objective
from kizuna.sharing.marking import Marking

COORDINATION = "Strengthen coordination with U.S. forces"


def exercise(
    name: str = "Review tabletop",
    *,
    marking: Marking | None = None,
    starts_on: date = date(2020, 6, 1),
    objective: str = COORDINATION,
) -> Exercise:
    made = services.exercise_record(
        actor=None,
        organization=Organization.objects.get(code="joint-staff"),
        name_ja=f"{name}（机上演習）",
        name_en=name,
        kind=Exercise.Kind.TABLETOP,
        precision=Exercise.Precision.DAY,
        starts_on=starts_on,
        source="test",
        marking=marking,
    )
    services.objective_add(
        actor=None, exercise=made, text_ja="米軍との連携強化", text_en=objective, source="test"
    )
    return made


def objective_of(made: Exercise) -> Objective:
    return Objective.objects.get(exercise=made, number=1)


def lesson(made: Exercise, *, objective: Objective | None = None) -> Lesson:
    return services.lesson_record(
        actor=None,
        exercise=made,
        objective=objective,
        title="Glossary missing",
        observation="Updates to the common picture came forty minutes late.",
        discussion="Terms were translated ad hoc.",
        lesson="A shared bilingual glossary comes first.",
        recommendation="Publish a shared glossary before the next exercise.",
        language="en",
        organization=Organization.objects.get(code="joint-staff"),
    )


def action(found: Lesson, *, owner: str = "gsdf-western-army", due_on: date) -> CorrectiveAction:
    return services.corrective_action_open(
        actor=None,
        lesson=found,
        owner=Organization.objects.get(code=owner),
        due_on=due_on,
        organization=Organization.objects.get(code="joint-staff"),
    )
