from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.utils import translation

import kizuna
from conftest import append_only_suspended
from kizuna.core.audit import GENESIS, action_label, action_labels, record_event, verify_chain
from kizuna.core.models import AuditEvent, Person, Role

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


def _codes_in_the_source() -> set[str]:
    """Every action code a service can write: the literal ones, and the ones built from a
    step's name (an ACSA order's steps, a request for support's history actions)."""
    from kizuna.coordination.models import RequestEvent

    root = Path(kizuna.__file__).parent
    source = {p: p.read_text(encoding="utf-8") for p in root.glob("*/**/*.py")}
    codes = {
        code
        for text in source.values()
        for code in re.findall(r'action=f?"([a-z_]+\.[a-z_.]+)"', text)
    }
    steps = [
        step
        for path in (root / "acsa/services").glob("*.py")
        for step in re.findall(r'_advance\(\s*order,\s*actor,\s*"([a-z_.]+)"', source[path])
    ]
    assert "accept" in steps  # the pattern still finds the steps
    codes |= {f"acsa.order.{step}" for step in steps}
    codes |= {f"coordination.request.{a}" for a in RequestEvent.Action.values if a != "created"}
    codes |= {"admin.add", "admin.change"}
    return codes


def test_every_action_code_reads_as_words_in_both_languages() -> None:
    labels = action_labels()
    codes = _codes_in_the_source()
    assert "acsa.order.create" in codes
    assert "token.issue" in codes
    assert sorted(codes - set(labels)) == []
    for code in codes:
        with translation.override("en"):
            english = action_label(code)
        with translation.override("ja"):
            japanese = action_label(code)
        assert not re.search(r"[._]", english), code
        assert japanese != english, f"{code}: no Japanese for {english!r}"


def test_the_audit_page_shows_actions_and_records_as_words_not_codes(
    client: Client, make_person: Callable[..., Person]
) -> None:
    auditor = make_person("auditor", role=Role.AUDITOR, org="mod")
    with transaction.atomic():
        record_event(actor=auditor, action="token.issue", obj=auditor)
    client.force_login(auditor)
    page = client.get("/audit/").content.decode()
    assert "APIトークンの発行" in page
    assert "token.issue" not in page
    assert "core.person:" not in page
    assert f"人員 #{auditor.pk}" in page  # the record by its kind and number
