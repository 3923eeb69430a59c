"""A small command-post exercise run on the real tools, built through the services as people
would build it: the scenario tests (tests/exercises) and the browser test
(e2e/test_exercises_scenario.py) share it. Needs core's demo organizations."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

from kizuna.coordination import services as coordination
from kizuna.coordination.models import Body, Situation
from kizuna.core.models import Nation, Organization, Person
from kizuna.exercises import services
from kizuna.exercises.models import CONTROL_COMMUNITY, Exercise, Inject
from kizuna.sharing.models import Community
from kizuna.sharing.services import clearance_grant


def cleared(make_person: Callable[..., Person]) -> Callable[..., Person]:
    """Makes a person of `nation` holding `role` in a demo organization, cleared at the lowest
    level of their nation unless told otherwise."""

    def make(
        username: str, role: str, *, nation: str = "JPN", clearance: str | None = ""
    ) -> Person:
        org = "gsdf-western-army" if nation == "JPN" else "usfj"
        level = {"JPN": "jpn-j1", "USA": "usa-u1"}[nation] if clearance == "" else clearance
        return make_person(
            username,
            nation=nation,
            org=org,
            role=role,
            clearance=level,
            language="ja" if nation == "JPN" else "en",
        )

    return make


class Run:
    """A small command-post exercise run on the real tools, around Washington State's fall
    back (2026-11-01 09:00 UTC): its situation with one bilateral body (JGSDF Western Army
    and US Army I Corps), a controller of the control cell, a player of each nation in the
    body, an outsider cleared but in no cell, and the coordinator who leads the situation."""

    def __init__(self, make_person: Callable[..., Person]) -> None:
        make = cleared(make_person)
        Community.objects.get_or_create(
            code=CONTROL_COMMUNITY, defaults={"name_ja": "統裁部", "name_en": "Control cell"}
        )
        self.controller = make("ctl", "exercise_controller")
        clearance_grant(
            actor=None, person=self.controller, level="jpn-j1", communities=[CONTROL_COMMUNITY]
        )
        # A controller by role who is not in the control cell.
        self.uncelled = make("ctl2", "exercise_controller")
        self.player = make("jp-player", "information_manager")
        self.us_player = make("us-player", "information_manager", nation="USA")
        self.outsider = make_person(
            "outsider", nation="JPN", org="joint-staff", role="auditor", clearance="jpn-j1"
        )
        # The situation's lead, who closes it; no controller, so the scenario is hidden.
        self.coordinator = coordinator = make_person(
            "co", role="coordinator", org="joint-staff", clearance="jpn-j1"
        )
        joint_staff = Organization.objects.get(code="joint-staff")
        self.situation = coordination.situation_open(
            actor=coordinator,
            organization=joint_staff,
            title_ja="演習の事態",
            title_en="Exercise situation",
            kind=Situation.Kind.EXERCISE,
            starts_at=datetime(2026, 10, 30, tzinfo=UTC),
        )
        self.army = Organization.objects.get(code="gsdf-western-army")
        self.usfj = Organization.objects.get(code="usfj")
        self.body = coordination.body_stand_up(
            actor=coordinator,
            situation=self.situation,
            kind=Body.Kind.BILATERAL_CENTRE,
            code="ys-cell",
            name_ja="共同調整所",
            name_en="Bilateral coordination cell",
            organizations=[self.army, self.usfj],
        )
        self.exercise = services.exercise_record(
            actor=None,
            organization=joint_staff,
            name_ja="山桜（試験）",
            name_en="Yama Sakura (test)",
            kind=Exercise.Kind.COMMAND_POST,
            precision=Exercise.Precision.DAY,
            starts_on=date(2026, 10, 31),
            ends_on=date(2026, 11, 2),
            source="test",
        )
        services.situation_link(actor=None, exercise=self.exercise, situation=self.situation)
        services.participation_record(
            actor=None,
            exercise=self.exercise,
            nation=Nation.objects.get(code="USA"),
            organization=self.usfj,
            label_ja="在日米軍",
            label_en="USFJ",
            source="test",
        )
        self.objective = services.objective_add(
            actor=None,
            exercise=self.exercise,
            text_ja="共同調整",
            text_en="Bilateral coordination",
            source="test",
        )

    def add(self, at: datetime, number_text: str = "", **extra: Any) -> Inject:
        """An inject of the run, a draft aimed at the body, serving the objective."""
        fields = {
            "method": "log",
            "text_ja": f"状況{number_text}",
            "text_en": f"Situation {number_text}",
            "expected_action_ja": "報告せよ",
            "expected_action_en": "Report",
            "target_body": self.body,
            "objective": self.objective,
            **extra,
        }
        return services.inject_add(
            actor=self.controller, exercise=self.exercise, scheduled_at=at, **fields
        )
