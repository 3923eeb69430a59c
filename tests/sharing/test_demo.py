"""The demo tells the seed's story in every domain, some items shared, some national only."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import override_settings

from kizuna.core.audit import verify_chain
from kizuna.core.models import Person
from kizuna.sharing import policy
from kizuna.sharing.demo import CLEARANCES, ITEMS
from kizuna.sharing.marking import Marking
from kizuna.sharing.models import Domain, SharedItem

pytestmark = pytest.mark.django_db


@override_settings(DEMO_MODE=True)
def test_the_demo_shares_items_in_every_domain_and_clears_every_demo_person() -> None:
    call_command("demo", verbosity=0)
    assert SharedItem.objects.count() == len(ITEMS)
    assert set(SharedItem.objects.values_list("domain", flat=True)) == set(Domain.values)
    releasability = [Marking.of(i).releasable_to for i in SharedItem.objects.all()]
    assert ("JPN",) in releasability
    assert ("USA",) in releasability
    assert ("JPN", "USA") in releasability
    for username in CLEARANCES:
        assert policy.reach_of(Person.objects.get(username=username)) is not None
    jp = Person.objects.get(username="jp-info")
    us = Person.objects.get(username="us-info")
    assert set(policy.visible(jp)) != set(policy.visible(us))
    assert verify_chain().intact


@override_settings(DEMO_MODE=True)
def test_running_the_demo_twice_adds_nothing() -> None:
    call_command("demo", verbosity=0)
    count = SharedItem.objects.count()
    call_command("demo", verbosity=0)
    assert SharedItem.objects.count() == count
