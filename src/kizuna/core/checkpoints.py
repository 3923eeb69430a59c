"""Signed checkpoints of the audit chain, kept outside the database.

The chain's own hashes catch an edit or a deletion in the middle, but not someone who
deletes the newest rows, or edits a row and recomputes every hash after it: both leave a
chain that holds together. A checkpoint is a file, signed with an Ed25519 key that the
database never holds (`KIZUNA_AUDIT_KEY`, else the PEM file `KIZUNA_AUDIT_KEY_FILE`), that
names each event written since the previous checkpoint by id and hash, and the head.
`kizuna audit verify` checks every checkpoint's signature and that they follow one another,
then walks the chain against the signed hashes (`audit.verify_chain`), so a recomputed or a
cut chain is named at its first row that no longer matches.

`kizuna audit checkpoint` writes one (after verifying: a broken chain is never signed); the
task worker queues one every `KIZUNA_AUDIT_CHECKPOINT_SECONDS` while a key is configured.
"""

from __future__ import annotations

import base64
import binascii
import itertools
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .audit import ChainReport, canonical_json, verify_chain
from .models import AuditEvent

FORMAT = "kizuna-audit-checkpoint/1"


class CheckpointError(Exception):
    """A key or a checkpoint that cannot be used; the message is for the operator."""


@dataclass(frozen=True)
class Checkpoint:
    path: Path
    after: int  # the last event of the previous checkpoint (0: from the chain's start)
    upto: int  # the last event this one covers
    head: str
    written_at: str
    events: tuple[tuple[int, str], ...]


@dataclass(frozen=True)
class CheckedChain:
    report: ChainReport
    latest: Checkpoint | None


def _private_key() -> Ed25519PrivateKey:
    raw = settings.AUDIT_KEY
    if raw:
        try:
            return Ed25519PrivateKey.from_private_bytes(base64.b64decode(raw, validate=True))
        except (binascii.Error, ValueError):
            raise CheckpointError(
                _("KIZUNA_AUDIT_KEY is not an Ed25519 private key (32 bytes, in base64)")
            ) from None
    path = Path(settings.AUDIT_KEY_FILE)
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except FileNotFoundError:
        raise CheckpointError(
            _("no signing key: set KIZUNA_AUDIT_KEY, or create %(path)s with `kizuna audit keygen`")
            % {"path": path}
        ) from None
    except (ValueError, TypeError):
        key = None
    if not isinstance(key, Ed25519PrivateKey):
        raise CheckpointError(_("%(path)s is not an Ed25519 private key") % {"path": path})
    return key


def key_configured() -> bool:
    return bool(settings.AUDIT_KEY) or Path(settings.AUDIT_KEY_FILE).exists()


def generate_key() -> Path:
    """A new signing key in `KIZUNA_AUDIT_KEY_FILE`, readable by its owner only; never over
    an existing one (the checkpoints it signed would no longer verify)."""
    path = Path(settings.AUDIT_KEY_FILE)
    if path.exists():
        raise CheckpointError(_("%(path)s exists already; it is kept") % {"path": path})
    path.parent.mkdir(parents=True, exist_ok=True)
    pem = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as file:
        file.write(pem)
    return path


def _directory() -> Path:
    return Path(settings.AUDIT_CHECKPOINT_DIR)


def _signed_part(body: Mapping[str, Any]) -> bytes:
    return canonical_json({k: v for k, v in body.items() if k != "signature"}).encode()


def _read(path: Path, key: Ed25519PrivateKey) -> Checkpoint:
    """One checkpoint file, its signature checked and its contents consistent."""
    try:
        body = json.loads(path.read_text(encoding="utf-8"))
        if body.get("format") != FORMAT:
            raise ValueError(body.get("format"))
        signature = base64.b64decode(body["signature"], validate=True)
        events = tuple((int(pk), str(digest)) for pk, digest in body["events"])
        checkpoint = Checkpoint(
            path,
            int(body["after"]),
            int(body["upto"]),
            str(body["head"]),
            str(body["written_at"]),
            events,
        )
    except (ValueError, KeyError, TypeError, binascii.Error):
        raise CheckpointError(
            _("%(path)s is not an audit checkpoint Kizuna can read") % {"path": path}
        ) from None
    try:
        key.public_key().verify(signature, _signed_part(body))
    except InvalidSignature:
        raise CheckpointError(
            _(
                "checkpoint %(path)s does not verify: its signature is not the signing key's "
                "(the file was altered, or signed with another key)"
            )
            % {"path": path}
        ) from None
    ids = [pk for pk, _digest in events]
    if (
        ids != sorted(set(ids))
        or (ids and (ids[0] <= checkpoint.after or ids[-1] != checkpoint.upto))
        or (events and events[-1][1] != checkpoint.head)
    ):
        raise CheckpointError(
            _("checkpoint %(path)s is signed but does not hold together") % {"path": path}
        )
    return checkpoint


def checkpoints(key: Ed25519PrivateKey | None = None) -> list[Checkpoint]:
    """Every checkpoint in the directory, oldest first, each verified, and following one
    another without a gap (older ones may have been archived away: the first may start
    anywhere)."""
    directory = _directory()
    if not directory.is_dir():
        return []
    key = key or _private_key()
    found = sorted(
        (_read(path, key) for path in directory.glob("*.json")), key=lambda c: (c.upto, c.after)
    )
    for before, after in itertools.pairwise(found):
        if after.after != before.upto:
            raise CheckpointError(
                _(
                    "checkpoints are missing between %(first)s and %(second)s "
                    "(events #%(from)d to #%(to)d)"
                )
                % {
                    "first": before.path.name,
                    "second": after.path.name,
                    "from": before.upto,
                    "to": after.after,
                }
            )
    return found


def verify() -> CheckedChain:
    """The chain walked against every signed checkpoint (raises CheckpointError when a
    checkpoint itself is bad; a chain walked without any when there is no key nor file)."""
    found = checkpoints() if key_configured() or _directory().is_dir() else []
    signed = {pk: digest for checkpoint in found for pk, digest in checkpoint.events}
    return CheckedChain(verify_chain(signed), found[-1] if found else None)


def write() -> Checkpoint | None:
    """Sign the chain's head and every event since the last checkpoint, into a new file.
    Refuses a chain that does not verify; writes nothing when no event is new."""
    key = _private_key()
    with transaction.atomic():
        checked = verify()
        if not checked.report.intact:
            raise CheckpointError(
                _("the audit chain does not verify (event #%(event)s): nothing signed")
                % {"event": checked.report.first_broken_id}
            )
        after = checked.latest.upto if checked.latest else 0
        events = tuple(
            AuditEvent.objects.filter(pk__gt=after).order_by("id").values_list("pk", "hash")
        )
    if not events:
        return None
    now: datetime = timezone.now()
    body: dict[str, Any] = {
        "format": FORMAT,
        "written_at": now.isoformat(),
        "after": after,
        "upto": events[-1][0],
        "head": events[-1][1],
        "events": [list(event) for event in events],
    }
    body["signature"] = base64.b64encode(key.sign(_signed_part(body))).decode()
    directory = _directory()
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{events[-1][0]:012d}-{now:%Y%m%dT%H%M%S%fZ}.json"
    partial = path.with_suffix(".partial")
    partial.write_text(canonical_json(body), encoding="utf-8")
    partial.replace(path)  # whole or absent: a reader never sees half a checkpoint
    return _read(path, key)
