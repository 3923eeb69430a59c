"""Migrations 0009 and 0010: orders made before orders carried markings get the default one
(the receiving nation's lowest level, releasable to both parties), then the column is
required."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("acsa", "0008_offsets")]
AFTER = [("acsa", "0010_order_marking_required")]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_orders_made_before_markings_get_the_default_marking() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    try:
        apps = executor.loader.project_state(BEFORE).apps
        organization = apps.get_model("core", "Organization")
        units = {
            nation: organization.objects.create(
                code=f"old-{nation.lower()}",
                name_ja=nation,
                name_en=nation,
                kind="other",
                nation_id=nation,
            )
            for nation in ("JPN", "USA")
        }
        person = apps.get_model("core", "Person").objects.create(username="old-maker")
        situation = apps.get_model("acsa", "SituationType").objects.get(
            code="warning-and-surveillance"
        )
        order = apps.get_model("acsa", "Order")
        for receiving, supplying in (("USA", "JPN"), ("JPN", "USA")):
            order.objects.create(
                supplying_org=units[supplying],
                receiving_org=units[receiving],
                situation_type=situation,
                legal_basis="old",
                currency="JPY",
                settlement_method="currency",
                created_by=person,
                amount_ordered=Decimal(1),
            )
        executor = MigrationExecutor(connection)  # reads what is applied now
        executor.migrate(AFTER)
        after = executor.loader.project_state(AFTER).apps
        marked = after.get_model("acsa", "Order").objects.select_related("marking", "receiving_org")
        levels = {"USA": "usa-u1", "JPN": "jpn-j1"}
        for row in marked.filter(legal_basis="old"):
            assert json.loads(row.marking.key) == {
                "level": levels[row.receiving_org.nation_id],
                "releasable_to": ["JPN", "USA"],
                "caveats": [],
                "communities": [],
            }
        assert marked.filter(legal_basis="old").count() == 2
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_orders_made_before_series_are_numbered_in_their_series_in_turn() -> None:
    """Migration 0011: existing orders take numbers in their series (the parties' nations and
    the marking) in the order they were made, and each series continues after them."""
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    try:
        apps = executor.loader.project_state(BEFORE).apps
        organization = apps.get_model("core", "Organization")
        units = {
            nation: organization.objects.create(
                code=f"old-{nation.lower()}",
                name_ja=nation,
                name_en=nation,
                kind="other",
                nation_id=nation,
            )
            for nation in ("JPN", "USA")
        }
        person = apps.get_model("core", "Person").objects.create(username="old-maker")
        situation = apps.get_model("acsa", "SituationType").objects.get(
            code="warning-and-surveillance"
        )
        order = apps.get_model("acsa", "Order")
        # Ordered by the US, by Japan, by the US: two markings (each receiving nation's
        # lowest level), so two series.
        made = [
            order.objects.create(
                supplying_org=units[supplying],
                receiving_org=units[receiving],
                situation_type=situation,
                legal_basis="old",
                currency="JPY",
                settlement_method="currency",
                created_by=person,
                amount_ordered=Decimal(1),
            ).pk
            for receiving, supplying in (("USA", "JPN"), ("JPN", "USA"), ("USA", "JPN"))
        ]
        numbered = [("acsa", "0011_order_series")]
        executor = MigrationExecutor(connection)
        executor.migrate(numbered)
        after = executor.loader.project_state(numbered).apps
        rows = after.get_model("acsa", "Order").objects.in_bulk(made)
        numbers = [rows[pk].number for pk in made]
        prefixes = [number.rsplit("-", 1)[0] for number in numbers]
        assert [number.rsplit("-", 1)[1] for number in numbers] == ["0001", "0001", "0002"]
        assert prefixes[0] == prefixes[2] != prefixes[1]
        assert all(prefix.startswith("ACSA-JPN-USA-") for prefix in prefixes)
        series = after.get_model("acsa", "OrderSeries").objects.get(pk=rows[made[0]].series_id)
        assert series.last_serial == 2
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
