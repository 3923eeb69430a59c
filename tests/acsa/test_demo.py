"""The demo tells the seed's story at every stage of an order's life, some of it overdue."""

from __future__ import annotations

import pkgutil
from importlib import import_module

import pytest
from django.core.management import call_command
from django.test import override_settings

from kizuna.acsa import selectors, services
from kizuna.acsa.demo import CLOCK_READERS, ORDERS
from kizuna.acsa.models import LedgerEntry, Order
from kizuna.core.audit import verify_chain
from kizuna.core.models import Person
from kizuna.sharing.models import Clearance

pytestmark = pytest.mark.django_db


def test_the_demo_clock_reaches_every_room_of_the_services_that_reads_the_time() -> None:
    """Past orders are entered as of their own day by patching `timezone` and `places` where
    the steps look them up, in each room of the services: a room left out would stamp today."""
    rooms = [
        import_module(f"{services.__name__}.{room.name}")
        for room in pkgutil.iter_modules(services.__path__)
    ]
    reading = {room for room in rooms if hasattr(room, "timezone") or hasattr(room, "places")}
    assert reading == set(CLOCK_READERS)


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
