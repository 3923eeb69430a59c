"""Migration 0006: entries written before series are numbered in their series (body and
marking) in the order they were made, and each series continues after them."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from kizuna.coordination import services
from kizuna.coordination.models import LogEntry
from kizuna.sharing.marking import Marking

from .conftest import Cast

BEFORE = [("coordination", "0006_resource_report_approximate")]
AFTER = [("coordination", "0007_entry_series")]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_entries_made_before_series_are_numbered_in_their_series_in_turn(
    audited_transactional_db: None, cast: Cast
) -> None:
    # Written under the new code, then renumbered as an old database would be.
    for n in range(6):
        services.entry_post(
            actor=cast.jp_coordinator,
            body=cast.bocc,
            kind="report",
            text=f"entry {n}",
            language="ja",
            marking=Marking("jpn-j1", ("JPN",) if n % 2 else ("JPN", "USA")),
        )
    order = list(LogEntry.objects.order_by("seq").values_list("pk", "body_id", "marking_id"))
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    try:
        executor = MigrationExecutor(connection)
        executor.migrate(AFTER)
        apps = executor.loader.project_state(AFTER).apps
        rows = {
            e.pk: e
            for e in apps.get_model("coordination", "LogEntry").objects.select_related("series")
        }
        expected: dict[tuple[int | None, int], int] = {}
        for pk, body_id, marking_id in order:
            key = (body_id, marking_id)
            expected[key] = expected.get(key, 0) + 1
            row = rows[pk]
            assert (row.series.body_id, row.series.marking_id) == key
            assert row.number == expected[key]
            assert row.label == f"{row.series.code}-{row.number}"
        series = apps.get_model("coordination", "EntrySeries").objects.all()
        assert {(s.body_id, s.marking_id): s.last_number for s in series} == expected
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
    after = services.entry_post(
        actor=cast.jp_coordinator,
        body=cast.bocc,
        kind="report",
        text="after",
        language="ja",
        marking=Marking("jpn-j1", ("JPN",)),
    )
    assert after.number == expected[(cast.bocc.pk, after.marking_id)] + 1
