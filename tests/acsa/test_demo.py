"""The demo tells the seed's story at every stage of an order's life, some of it overdue."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import override_settings

from kizuna.acsa import selectors
from kizuna.acsa.demo import ORDERS
from kizuna.acsa.models import LedgerEntry, Order
from kizuna.core.audit import verify_chain
from kizuna.core.models import Person
from kizuna.sharing.models import Clearance

pytestmark = pytest.mark.django_db


@override_settings(DEMO_MODE=True)
def test_demo_orders_at_every_stage_some_overdue_and_loaded_once() -> None:
    call_command("demo", verbosity=0)
    call_command("demo", verbosity=0)
    assert Order.objects.count() == len(ORDERS)
    assert set(Order.objects.values_list("status", flat=True)) == set(Order.Status.values) - {""}
    auditor = Person.objects.get(username="jp-auditor")
    overdue = selectors.overdue_deliveries(person=auditor)
    assert overdue.filter(line__category__code="petroleum").exists()
    for order in Order.objects.all():
        booked = sum(e.amount for e in LedgerEntry.objects.filter(order=order))
        assert booked == order.outstanding
    assert verify_chain().intact


@override_settings(DEMO_MODE=True)
def test_every_demo_official_acting_in_acsa_is_cleared_and_sees_every_order() -> None:
    call_command("demo", verbosity=0)
    acting = [
        f"{side}-{role}"
        for side in ("jp", "us")
        for role in ("ordering", "approving", "logistics", "auditor")
    ]
    for username in acting:
        person = Person.objects.get(username=username)
        assert Clearance.objects.filter(person=person).exists(), username
        assert selectors.order_list(person=person).count() == len(ORDERS), username
    assert Order.objects.filter(marking__releasable_to="AUS").exists()
