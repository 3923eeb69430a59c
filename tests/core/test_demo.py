from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from kizuna.core.audit import verify_chain
from kizuna.core.demo import ORGANIZATIONS, PEOPLE
from kizuna.core.models import AuditEvent, Membership, Organization, Person, Role

pytestmark = pytest.mark.django_db


@override_settings(DEMO_MODE=True)
def test_demo_loads_the_seeds_organizations_and_a_person_per_role_per_side() -> None:
    call_command("demo", verbosity=0)
    assert Organization.objects.count() == len(ORGANIZATIONS)
    for nation in ("JPN", "USA"):
        roles = set(
            Membership.objects.filter(organization__nation=nation).values_list("role", flat=True)
        )
        assert roles == set(Role.values)
    assert Organization.objects.get(code="asdf-306sq").parent.code == "asdf-6aw"
    assert verify_chain().intact


@override_settings(DEMO_MODE=True)
def test_running_demo_twice_changes_nothing() -> None:
    call_command("demo", verbosity=0)
    counts = (Person.objects.count(), Membership.objects.count(), AuditEvent.objects.count())
    call_command("demo", verbosity=0)
    assert (
        Person.objects.count(),
        Membership.objects.count(),
        AuditEvent.objects.count(),
    ) == counts
    assert counts[0] == len(PEOPLE)


def test_demo_refuses_outside_demo_mode() -> None:
    with pytest.raises(CommandError, match="KIZUNA_DEMO"):
        call_command("demo", verbosity=0)
    assert Person.objects.count() == 0
