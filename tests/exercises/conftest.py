"""The exercises tests' cast: the demo's organizations and people (core's demo steps), the
Japanese exercise controller cleared as the sharing demo clears them, the seed's exercises
loaded through the app's own demo steps, and a small run of a scenario (scenario_helpers)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from kizuna.core import demo as core_demo
from kizuna.core.models import Person
from kizuna.exercises import demo
from kizuna.exercises.models import CONTROL_COMMUNITY
from kizuna.sharing.services import clearance_grant

from . import scenario_helpers
from .scenario_helpers import Run


@pytest.fixture(autouse=True)
def quick_passwords(settings: object) -> None:
    """Demo people get passwords; Argon2 for each buys the tests nothing."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # type: ignore[attr-defined]


@pytest.fixture
def people(db: None) -> None:
    for _label, load in core_demo.steps():
        load()
    clearance_grant(
        actor=None,
        person=Person.objects.get(username="jp-exercise"),
        level="jpn-j1",
        communities=[CONTROL_COMMUNITY],
    )


@pytest.fixture
def seeded(people: None) -> None:
    for _label, load in demo.steps():
        load()


@pytest.fixture
def controller(people: None) -> Person:
    return Person.objects.get(username="jp-exercise")


@pytest.fixture
def cleared(make_person: Callable[..., Person]) -> Callable[..., Person]:
    """A person of `nation` holding `role` in a demo organization, cleared at the lowest
    level of their nation unless told otherwise."""
    return scenario_helpers.cleared(make_person)


@pytest.fixture
def recorder(people: None, cleared: Callable[..., Person]) -> Person:
    """An exercise controller of the JGSDF Western Army, not a demo person (whose API
    tokens work only in demo mode)."""
    return cleared("ctl", "exercise_controller")


@pytest.fixture
def run(people: None, make_person: Callable[..., Person]) -> Run:
    return Run(make_person)
