from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from conftest import append_only_suspended
from kizuna.core.audit import GENESIS, record_event, verify_chain
from kizuna.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def _append(n: int) -> list[AuditEvent]:
    events = []
    for i in range(n):
        with transaction.atomic():
            events.append(
                record_event(
                    actor=None,
                    action="test.event",
                    object_type="test",
                    object_id=str(i),
                    after={"i": i, "text": "燃料 ¥1,000"},
                )
            )
    return events


def test_each_event_links_to_the_one_before() -> None:
    first, second, third = _append(3)
    assert first.prev_hash == GENESIS
    assert second.prev_hash == first.hash
    assert third.prev_hash == second.hash
    report = verify_chain()
    assert report.intact
    assert report.checked == 3


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_recording_outside_a_transaction_is_refused() -> None:
    with pytest.raises(RuntimeError, match="inside the transaction"):
        record_event(actor=None, action="test.event", object_type="test", object_id="x")


def test_the_database_refuses_to_rewrite_events() -> None:
    (event,) = _append(1)
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(action="tampered")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.get(pk=event.pk).action == "test.event"


def test_verify_names_the_first_row_edited_behind_the_apps_back() -> None:
    events = _append(5)
    with append_only_suspended(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE core_auditevent SET object_id = %s WHERE id = %s", ["999", events[2].pk]
        )
    report = verify_chain()
    assert not report.intact
    assert report.first_broken_id == events[2].pk
    assert report.checked == 2


def test_verify_notices_a_deleted_row() -> None:
    events = _append(4)
    with append_only_suspended(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditevent WHERE id = %s", [events[1].pk])
    report = verify_chain()
    assert report.first_broken_id == events[2].pk


def test_the_command_reports_intact_and_broken_chains(capsys: pytest.CaptureFixture[str]) -> None:
    events = _append(2)
    call_command("audit", "verify", lang="en")
    assert "intact: 2 events" in capsys.readouterr().out
    with append_only_suspended(), connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditevent SET action = 'x' WHERE id = %s", [events[0].pk])
    with pytest.raises(CommandError, match=f"broken at event #{events[0].pk}"):
        call_command("audit", "verify", lang="en")
