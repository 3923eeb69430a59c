"""The audit chain: one helper every service writes through, and the verifier.

Each event's hash is sha256(prev_hash + canonical JSON). Appends are serialized so that two
writers never chain onto the same predecessor: PostgreSQL by a transaction-scoped advisory
lock, SQLite by its single writer (transactions start IMMEDIATE, see settings).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from functools import lru_cache
from typing import Any

from django.apps import apps as django_apps
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from .models import AuditEvent, Person

GENESIS = "0" * 64
# Any constant works; it names the one lock the chain's appends queue on.
_POSTGRES_CHAIN_LOCK = 0x4B495A554E41  # "KIZUNA"


def _default(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return str(value)


def canonical_json(value: Any) -> str:
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=_default
    )


def jsonable(value: Any) -> Any:
    """The JSON form stored in before/after, identical to what is hashed."""
    return json.loads(canonical_json(value))


def _content(
    *,
    at: datetime,
    actor_id: int | None,
    action: str,
    object_type: str,
    object_id: str,
    before: Any,
    after: Any,
) -> str:
    return canonical_json(
        {
            "at": at.isoformat(),
            "actor": actor_id,
            "action": action,
            "object_type": object_type,
            "object_id": object_id,
            "before": before,
            "after": after,
        }
    )


def chain_hash(prev_hash: str, content: str) -> str:
    return hashlib.sha256((prev_hash + content).encode()).hexdigest()


def record_event(
    *,
    actor: Person | None,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    before: Any = None,
    after: Any = None,
) -> AuditEvent:
    """Append one event. Must run inside the transaction of the change it records."""
    if not connection.in_atomic_block:
        raise RuntimeError("record_event must run inside the transaction of its change")
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_POSTGRES_CHAIN_LOCK])
    last = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first()
    prev_hash = last or GENESIS
    at = timezone.now()
    before, after = jsonable(before), jsonable(after)
    content = _content(
        at=at,
        actor_id=actor.pk if actor else None,
        action=action,
        object_type=object_type,
        object_id=object_id,
        before=before,
        after=after,
    )
    return AuditEvent.objects.create(
        at=at,
        actor=actor,
        action=action,
        object_type=object_type,
        object_id=object_id,
        before=before,
        after=after,
        prev_hash=prev_hash,
        hash=chain_hash(prev_hash, content),
    )


# Why a link fails, in English; readers see them through gettext (`kizuna audit verify`).
BROKEN_LINK = gettext_noop("prev_hash does not match the row before")
ALTERED_CONTENT = gettext_noop("content does not match its hash")


@dataclass(frozen=True)
class ChainReport:
    checked: int
    first_broken_id: int | None
    reason: str

    @property
    def intact(self) -> bool:
        return self.first_broken_id is None


def _events() -> Iterator[AuditEvent]:
    return AuditEvent.objects.order_by("id").iterator(chunk_size=2000)


def verify_chain() -> ChainReport:
    """Walk the chain from its start; name the first row whose link does not hold."""
    prev_hash = GENESIS
    checked = 0
    with transaction.atomic():
        for event in _events():
            if event.prev_hash != prev_hash:
                return ChainReport(checked, event.pk, BROKEN_LINK)
            content = _content(
                at=event.at,
                actor_id=event.actor_id,
                action=event.action,
                object_type=event.object_type,
                object_id=event.object_id,
                before=event.before,
                after=event.after,
            )
            if chain_hash(prev_hash, content) != event.hash:
                return ChainReport(checked, event.pk, ALTERED_CONTENT)
            prev_hash = event.hash
            checked += 1
    return ChainReport(checked, None, "")


@lru_cache(maxsize=1)
def _action_labels() -> dict[str, Any]:
    labels: dict[str, Any] = {}
    for config in django_apps.get_app_configs():
        labels |= getattr(config, "audit_actions", {})
    return labels


def action_labels() -> dict[str, Any]:
    """Every audit action code with what it means (lazy, read in the reader's language),
    from each app's `audit_actions`: the audit page and timelines never show a raw code."""
    return _action_labels()


def action_label(code: str) -> str:
    """What an action code means, in the active language; an undeclared code (a test keeps
    there being none) reads as its words rather than as a dotted code."""
    label = _action_labels().get(code)
    return str(label) if label is not None else code.replace("_", " ").replace(".", " · ")


def object_label(object_type: str, object_id: str) -> str:
    """The kind of record an event is about, by its model's name in the reader's language,
    with its number: 物品役務の提供要請 #12 rather than acsa.order:12."""
    try:
        model = django_apps.get_model(object_type)
    except (LookupError, ValueError):
        name = object_type
    else:
        name = str(model._meta.verbose_name)
    return f"{name} #{object_id}" if object_id else name
