"""Signed checkpoints of the audit chain: an insider who deletes the newest rows, or who
rewrites a row and recomputes every hash after it, leaves a chain that holds together;
`kizuna audit verify` catches both against the last checkpoint and names the first row
that no longer matches. A checkpoint that does not verify is a clear error."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django_tasks_db.models import DBTaskResult
from pytest_django.fixtures import Settings as SettingsWrapper

from conftest import append_only_suspended
from kizuna.core.audit import GENESIS, _content, chain_hash, record_event, verify_chain
from kizuna.core.management.commands.worker import _checkpoint
from kizuna.core.models import AuditEvent
from kizuna.core.tasks import audit_checkpoint

pytestmark = pytest.mark.django_db


@pytest.fixture
def signing(settings: SettingsWrapper, tmp_path: Path) -> Path:
    """A key file and a checkpoint directory of this test's own, outside the database."""
    settings.AUDIT_KEY = ""
    settings.AUDIT_KEY_FILE = tmp_path / "key" / "signing-key.pem"
    settings.AUDIT_CHECKPOINT_DIR = tmp_path / "checkpoints"
    call_command("audit", "keygen", lang="en")
    return tmp_path / "checkpoints"


def _append(n: int, start: int = 0) -> list[AuditEvent]:
    events = []
    for i in range(start, start + n):
        with transaction.atomic():
            events.append(
                record_event(
                    actor=None,
                    action="test.event",
                    object_type="test",
                    object_id=str(i),
                    after={"amount": i},
                )
            )
    return events


def _verify() -> str:
    """`kizuna audit verify`'s answer, or its error."""
    try:
        call_command("audit", "verify", lang="en", stdout=(out := _Out()))
    except CommandError as error:
        return f"ERROR {error}"
    return out.text


class _Out:
    def __init__(self) -> None:
        self.text = ""

    def write(self, text: str) -> None:
        self.text += text

    def flush(self) -> None:
        pass


def _recompute_from(event: AuditEvent, **changes: object) -> None:
    """What an insider with write access does: change a row, then recompute its hash and
    every hash after it, so that the chain holds together again."""
    with append_only_suspended(), connection.cursor() as cursor:
        AuditEvent.objects.filter(pk=event.pk).update(**changes)
        rows = list(AuditEvent.objects.filter(pk__gte=event.pk).order_by("id"))
        prev = (
            AuditEvent.objects.filter(pk__lt=event.pk)
            .order_by("-id")
            .values_list("hash", flat=True)
        ).first() or GENESIS
        for row in rows:
            content = _content(
                at=row.at,
                actor_id=row.actor_id,
                action=row.action,
                object_type=row.object_type,
                object_id=row.object_id,
                before=row.before,
                after=row.after,
            )
            digest = chain_hash(prev, content)
            cursor.execute(
                "UPDATE core_auditevent SET prev_hash = %s, hash = %s WHERE id = %s",
                [prev, digest, row.pk],
            )
            prev = digest


def test_a_checkpoint_signs_each_event_and_the_chain_verifies_against_it(signing: Path) -> None:
    events = _append(3)
    call_command("audit", "checkpoint", lang="en")
    (path,) = signing.glob("*.json")
    body = json.loads(path.read_text())
    assert body["upto"] == events[-1].pk
    assert body["head"] == events[-1].hash
    assert [pk for pk, _digest in body["events"]] == [e.pk for e in events]
    assert f"matches the signed checkpoints up to event #{events[-1].pk}" in _verify()
    # The next checkpoint carries on from the last one.
    later = _append(2, start=3)
    call_command("audit", "checkpoint", lang="en")
    assert len(list(signing.glob("*.json"))) == 2
    assert f"up to event #{later[-1].pk}" in _verify()


def test_verify_catches_the_newest_rows_deleted(signing: Path) -> None:
    events = _append(5)
    call_command("audit", "checkpoint", lang="en")
    with append_only_suspended(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditevent WHERE id >= %s", [events[3].pk])
    assert verify_chain().intact  # the chain alone cannot tell
    answer = _verify()
    assert answer.startswith("ERROR")
    assert f"broken at event #{events[3].pk}" in answer
    assert "missing: deleted" in answer


def test_verify_catches_a_row_rewritten_and_the_chain_recomputed_after_it(signing: Path) -> None:
    events = _append(6)
    call_command("audit", "checkpoint", lang="en")
    _recompute_from(events[2], after={"amount": 1_000_000})
    assert verify_chain().intact  # the chain alone cannot tell
    answer = _verify()
    assert f"broken at event #{events[2].pk}" in answer
    assert "recomputed" in answer
    # A broken chain is never signed.
    with pytest.raises(CommandError, match=f"does not verify \\(event #{events[2].pk}\\)"):
        call_command("audit", "checkpoint", lang="en")
    assert len(list(signing.glob("*.json"))) == 1


def test_events_after_the_last_checkpoint_are_held_by_the_chain_alone(signing: Path) -> None:
    events = _append(2)
    call_command("audit", "checkpoint", lang="en")
    newer = _append(2, start=2)
    assert "intact: 4 events" in _verify()
    _recompute_from(newer[0], action="edited")
    assert "intact" in _verify()  # not yet signed: the next checkpoint signs what is there
    _recompute_from(events[1], action="edited")
    assert f"broken at event #{events[1].pk}" in _verify()


def test_a_checkpoint_that_does_not_verify_is_a_clear_error(signing: Path) -> None:
    _append(2)
    call_command("audit", "checkpoint", lang="en")
    (path,) = signing.glob("*.json")
    body = json.loads(path.read_text())
    body["head"] = "f" * 64
    path.write_text(json.dumps(body))
    answer = _verify()
    assert answer == f"ERROR checkpoint {path} does not verify: its signature is not the " + (
        "signing key's (the file was altered, or signed with another key)"
    )
    path.write_text("not json")
    assert _verify() == f"ERROR {path} is not an audit checkpoint Kizuna can read"


def test_a_checkpoint_signed_with_another_key_does_not_verify(
    signing: Path, settings: SettingsWrapper
) -> None:
    _append(1)
    call_command("audit", "checkpoint", lang="en")
    other = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    settings.AUDIT_KEY = base64.b64encode(other).decode()
    assert "does not verify" in _verify()


def test_a_missing_checkpoint_between_two_is_named(signing: Path) -> None:
    for start in (0, 2, 4):
        _append(2, start=start)
        call_command("audit", "checkpoint", lang="en")
    first, middle, _last = sorted(signing.glob("*.json"))
    middle.unlink()
    assert _verify().startswith(f"ERROR checkpoints are missing between {first.name} and")


def test_the_key_may_come_from_the_environment(settings: SettingsWrapper, tmp_path: Path) -> None:
    raw = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    settings.AUDIT_KEY = base64.b64encode(raw).decode()
    settings.AUDIT_KEY_FILE = tmp_path / "absent.pem"
    settings.AUDIT_CHECKPOINT_DIR = tmp_path / "checkpoints"
    _append(1)
    call_command("audit", "checkpoint", lang="en")
    assert "matches the signed checkpoints" in _verify()
    settings.AUDIT_KEY = "not base64!"
    with pytest.raises(CommandError, match="KIZUNA_AUDIT_KEY is not an Ed25519 private key"):
        call_command("audit", "checkpoint", lang="en")


def test_without_a_key_nothing_is_signed_and_the_operator_is_told_why(
    settings: SettingsWrapper, tmp_path: Path
) -> None:
    settings.AUDIT_KEY = ""
    settings.AUDIT_KEY_FILE = tmp_path / "absent.pem"
    settings.AUDIT_CHECKPOINT_DIR = tmp_path / "checkpoints"
    _append(1)
    with pytest.raises(CommandError, match="no signing key: set KIZUNA_AUDIT_KEY"):
        call_command("audit", "checkpoint", lang="en")
    assert "no signed checkpoint yet" in _verify()
    _checkpoint()  # the worker queues nothing without a key
    assert not DBTaskResult.objects.filter(task_path=audit_checkpoint.module_path).exists()


def test_keygen_never_replaces_a_key(signing: Path, settings: SettingsWrapper) -> None:
    key_file = Path(settings.AUDIT_KEY_FILE)
    before = key_file.read_bytes()
    assert key_file.stat().st_mode & 0o777 == 0o600
    with pytest.raises(CommandError, match="exists already; it is kept"):
        call_command("audit", "keygen", lang="en")
    assert key_file.read_bytes() == before


def test_the_worker_queues_checkpoints_and_the_task_writes_one(signing: Path) -> None:
    events = _append(2)
    _checkpoint()
    assert DBTaskResult.objects.filter(task_path=audit_checkpoint.module_path).ready().exists()
    assert audit_checkpoint.call().endswith(".json")
    (path,) = signing.glob("*.json")
    assert json.loads(path.read_text())["upto"] == events[-1].pk


def test_the_command_speaks_japanese(signing: Path) -> None:
    _append(1)
    call_command("audit", "checkpoint", lang="en")
    (path,) = signing.glob("*.json")
    path.write_text("{}")
    with pytest.raises(CommandError, match="監査チェックポイント"):
        call_command("audit", "verify", lang="ja")
