"""The fuzz tests' world: the demo's people, situations, orders and items, so that hostile
input meets real records, signed in as people of both nations. Seeded and bounded: the same
examples every run (a failure replays), about a minute per engine for each test."""

from __future__ import annotations

import os

import pytest
from django.core.management import call_command
from django.test import override_settings
from hypothesis import HealthCheck, settings

from kizuna.core.models import Person

# One person per nation, each with a role that reaches deep into the apps.
PEOPLE = ("jp-coordinator", "us-ordering")

# `KIZUNA_FUZZ_EXAMPLES` raises the count for a longer hunt; the default holds the time bound.
EXAMPLES = int(os.environ.get("KIZUNA_FUZZ_EXAMPLES", "4"))

FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture
def demo_people(db: None) -> list[Person]:
    with override_settings(DEMO_MODE=True):
        call_command("demo", verbosity=0)
    return [Person.objects.get(username=name) for name in PEOPLE]
