"""The audit chain: one helper every service writes through, and the verifier.

Each event's hash is sha256(prev_hash + canonical JSON). Appends are serialized so that two
writers never chain onto the same predecessor: PostgreSQL by a transaction-scoped advisory
lock, SQLite by its single writer (transactions start IMMEDIATE, see settings).

An event about a marked record (a type some app's policy scopes) keeps no content: its
before and after are sealed, each the field names plus sha256(nonce + canonical JSON of the
content) under a random nonce drawn for the event, so equal texts never hash equal and a
reader of the row learns only which fields changed. `proves` checks content against a seal.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from functools import cache
from typing import Any

from django.apps import apps
from django.db import connection, models, transaction
from django.db.models import CharField, Q, QuerySet
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext_noop

from . import policy
from .models import AuditEvent, Person

GENESIS = "0" * 64
# Any constant works; it names the one lock the chain's appends queue on.
_POSTGRES_CHAIN_LOCK = 0x4B495A554E41  # "KIZUNA"


def _default(value: Any) -> Any:
    if isinstance(value, datetime):
        # In UTC, so content read back from the database hashes as it did when written.
        return value.astimezone(UTC).isoformat() if value.tzinfo else value.isoformat()
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


def record_fields(obj: models.Model, *names: str) -> dict[str, Any]:
    """The named fields of a record as the audit stores them (a relation by its key), so
    that the same call on the record later reproduces a sealed event's content."""
    fields = {field.name: field for field in obj._meta.concrete_fields}
    return {name: fields[name].value_from_object(obj) for name in names}


def _digest(nonce: str, content: Any) -> str:
    return hashlib.sha256((nonce + canonical_json(jsonable(content))).encode()).hexdigest()


def _seal(content: Any, nonce: str) -> dict[str, Any] | None:
    if content is None:
        return None
    fields = sorted(content) if isinstance(content, Mapping) else []
    return {"sealed": "sha256", "fields": fields, "nonce": nonce, "digest": _digest(nonce, content)}


def is_sealed(value: Any) -> bool:
    return isinstance(value, dict) and value.get("sealed") == "sha256"


def proves(event: AuditEvent, content: Any, *, side: str = "after") -> bool:
    """Whether `content` is what the sealed `side` ("before" or "after") of `event` wrote."""
    sealed = getattr(event, side)
    if not is_sealed(sealed):
        return False
    return hmac.compare_digest(_digest(sealed["nonce"], content), sealed["digest"])


def record_proves(event: AuditEvent, obj: models.Model) -> bool:
    """Whether the record still holds what the event wrote, in the fields the event names
    (for events whose content the writer took with `record_fields`)."""
    sealed = event.after
    if not isinstance(sealed, dict) or not is_sealed(sealed):
        return False
    return proves(event, record_fields(obj, *sealed["fields"]))


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
    if object_type in audit_scopes():
        nonce = secrets.token_hex(16)
        before, after = _seal(before, nonce), _seal(after, nonce)
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
REWRITTEN = gettext_noop(
    "hash differs from the signed checkpoint's: the chain was recomputed from this event on"
)
MISSING = gettext_noop("named by the signed checkpoint but missing: deleted")


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


def verify_chain(signed: Mapping[int, str] | None = None) -> ChainReport:
    """Walk the chain from its start; name the first row whose link does not hold. With
    `signed` (event id -> hash, from the signed checkpoints) also name the first row whose
    hash is not the one signed (a chain recomputed after an edit) or that a checkpoint names
    and the table no longer holds (a deleted row, or a deleted tail)."""
    expected = iter(sorted((signed or {}).items()))
    pending = next(expected, None)
    prev_hash = GENESIS
    checked = 0
    with transaction.atomic():
        for event in _events():
            if pending is not None and pending[0] < event.pk:
                return ChainReport(checked, pending[0], MISSING)
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
            if pending is not None and pending[0] == event.pk:
                if pending[1] != event.hash:
                    return ChainReport(checked, event.pk, REWRITTEN)
                pending = next(expected, None)
            prev_hash = event.hash
            checked += 1
    if pending is not None:
        return ChainReport(checked, pending[0], MISSING)
    return ChainReport(checked, None, "")


# Who sees which event. An event shows a record (and its type, id, actor and time say the
# record exists), so it is shown only to those whose clearance covers that record, as the
# app that owns the record decides: each app names on its AppConfig `audit_scope`, a mapping
# of object type to the dotted path of its policy's `(person) -> queryset of the records of
# that type the person may see`. Types no app scopes (people, organizations, reference data)
# are every auditor's.
VisibleRecords = Callable[[Person], QuerySet[Any]]


@cache
def audit_scopes() -> Mapping[str, VisibleRecords]:
    """Object type -> the owning app's policy of visible records, from every AppConfig."""
    return {
        object_type: import_string(path)
        for config in apps.get_app_configs()
        for object_type, path in getattr(config, "audit_scope", {}).items()
    }


def scoped_types() -> frozenset[str]:
    """The object types some app's policy decides (a test checks every marked model is one)."""
    return frozenset(audit_scopes())


def event_filter(person: Person) -> Q:
    """The events `person` may see, as one condition on AuditEvent: for each scoped type, the
    event's object is among the records the owning app's policy lets the person see."""
    condition = Q()
    for object_type, visible in audit_scopes().items():
        ids = visible(person).order_by().annotate(_audit_id=Cast("pk", CharField()))
        condition &= ~Q(object_type=object_type) | Q(object_id__in=ids.values("_audit_id"))
    return condition


def visible_events(person: Person) -> QuerySet[AuditEvent]:
    """The audit trail as `person` may read it: auditors and administrators only, each
    event only where its record is theirs to see."""
    if not (person.is_authenticated and person.is_active and policy.may_view_audit(person)):
        return AuditEvent.objects.none()
    return AuditEvent.objects.filter(event_filter(person))


@cache
def _action_labels() -> dict[str, Any]:
    labels: dict[str, Any] = {}
    for config in apps.get_app_configs():
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
        model = apps.get_model(object_type)
    except (LookupError, ValueError):
        name = object_type
    else:
        name = str(model._meta.verbose_name)
    return f"{name} #{object_id}" if object_id else name
