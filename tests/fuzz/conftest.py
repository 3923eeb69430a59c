"""The fuzz tests' world: the demo's people, situations, orders and items, so that hostile
input meets real records, signed in as people of both nations. Seeded and bounded: the same
examples every run (a failure replays), about a minute per engine for each test."""

from __future__ import annotations

import os
from typing import Any

import pytest
from django.core.management import call_command
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from kizuna.core.models import Person

# One person per nation, each with a role that reaches deep into the apps.
PEOPLE = ("jp-coordinator", "us-ordering")

# `KIZUNA_FUZZ_EXAMPLES` raises the count for a longer hunt; the default holds the time bound.
EXAMPLES = int(os.environ.get("KIZUNA_FUZZ_EXAMPLES", "4"))

FUZZ = hypothesis_settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture
def demo_people(db: None, settings: Any) -> list[Person]:
    # Demo people sign in only in demo mode; on for the whole test.
    settings.DEMO_MODE = True
    call_command("demo", verbosity=0)
    return [Person.objects.get(username=name) for name in PEOPLE]
