"""The audit trail keeps proofs, not content: an event about a marked record stores the names
of the fields written and a salted hash of what they held, and the record proves it."""

from __future__ import annotations

from django.db import connection, transaction

from conftest import append_only_suspended
from kizuna.coordination import services
from kizuna.coordination.models import LogEntry
from kizuna.core.audit import (
    ALTERED_CONTENT,
    proves,
    record_event,
    record_fields,
    record_proves,
    verify_chain,
)
from kizuna.core.models import AuditEvent
from kizuna.sharing.marking import Marking

from .conftest import Cast

SECRET = "極秘の補給計画 secret resupply plan"


def _post(cast: Cast, text: str = SECRET) -> LogEntry:
    return services.entry_post(
        actor=cast.jp_coordinator,
        body=cast.bocc,
        kind="report",
        text=text,
        language="ja",
        marking=Marking("jpn-j3", ("JPN",)),
    )


def _event(entry: LogEntry, action: str) -> AuditEvent:
    return AuditEvent.objects.get(action=action, object_id=str(entry.pk))


def test_no_audit_row_holds_a_marked_entrys_text_yet_the_entry_proves_it(cast: Cast) -> None:
    entry = _post(cast)
    with connection.cursor() as cursor:
        cursor.execute("SELECT before, after FROM core_auditevent")
        stored = " ".join(str(column) for row in cursor.fetchall() for column in row)
    assert "極秘" not in stored
    assert "secret resupply" not in stored
    event = _event(entry, "coordination.entry.post")
    assert "text" in event.after["fields"]
    entry.refresh_from_db()
    assert record_proves(event, entry)
    changed = {**record_fields(entry, *event.after["fields"]), "text": SECRET + "!"}
    assert not proves(event, changed)
    assert verify_chain().intact


def test_equal_texts_hash_apart(cast: Cast) -> None:
    first, second = _post(cast), _post(cast)
    one, two = _event(first, "coordination.entry.post"), _event(second, "coordination.entry.post")
    assert one.after["nonce"] != two.after["nonce"]
    assert one.after["digest"] != two.after["digest"]


def test_an_edited_record_no_longer_proves_and_an_edited_seal_breaks_the_chain(
    cast: Cast,
) -> None:
    entry = _post(cast)
    event = _event(entry, "coordination.entry.post")
    LogEntry.objects.filter(pk=entry.pk).update(text="rewritten afterwards")
    entry.refresh_from_db()
    assert not record_proves(event, entry)
    forged = {**event.after, "digest": "0" * 64}
    with append_only_suspended():
        AuditEvent.objects.filter(pk=event.pk).update(after=forged)
    report = verify_chain()
    assert (report.first_broken_id, report.reason) == (event.pk, ALTERED_CONTENT)


def test_unmarked_records_keep_their_content(cast: Cast) -> None:
    # Reference data and people are every auditor's: their events stay legible.
    with transaction.atomic():
        event = record_event(
            actor=None, action="test.event", object_type="core.organization", after={"x": SECRET}
        )
    assert event.after == {"x": SECRET}
    assert not proves(event, {"x": SECRET})
