"""Opaque public identifiers: how a record is named outside the server.

A primary key is a global sequence: shown in a URL, the API, an export or a STIX bundle, a
gap between two a reader sees says that a record hidden from them was written between them,
and when. So every record that leaves the server carries `public_id`, 128 random bits
written as 26 characters of lowercase base32 (`PublicIdentified`), and is addressed by it
alone: URL patterns take `<pid:...>` (the converter below), the API's paths and schemas name
records by it, and views fetch through `get_public_or_404`, which answers a malformed id, a
missing record and one the reader's queryset leaves out with the same 404. The integer key
stays inside the server (joins, foreign keys, the audit chain).

Adding one to a model with rows: `migration_operations(app, model)` adds the column, fills
every row with its own random value, then makes it unique and required.
"""

from __future__ import annotations

import base64
import re
import secrets
from typing import Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.db import migrations, models
from django.db.models import QuerySet
from django.http import Http404
from django.urls import register_converter
from django.utils.translation import gettext_lazy as _

LENGTH = 26
PATTERN = f"[a-z2-7]{{{LENGTH}}}"
_FULL = re.compile(f"^{PATTERN}$")

M = TypeVar("M", bound=models.Model)


def new_public_id() -> str:
    """128 random bits, base32 without padding: URL-safe, case-free, never sequential."""
    return base64.b32encode(secrets.token_bytes(16)).decode("ascii").rstrip("=").lower()


def is_public_id(value: object) -> bool:
    return isinstance(value, str) and _FULL.match(value) is not None


class PublicIdField(models.CharField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("verbose_name", _("public identifier"))
        kwargs["max_length"] = LENGTH
        kwargs.setdefault("unique", True)
        kwargs.setdefault("default", new_public_id)
        kwargs["editable"] = False
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("max_length", None)
        kwargs.pop("editable", None)
        return name, path, args, kwargs


class PublicIdentified(models.Model):
    """A record that is named outside the server by `public_id` only."""

    public_id = PublicIdField()

    class Meta:
        abstract = True

    @property
    def reference(self) -> str:
        """A short handle for people where a number used to stand (`K3QF7XPA`, shown as
        `#K3QF7XPA`): the start of the public id, so it counts nothing."""
        return str(self.public_id[:8]).upper()


class PublicIdConverter:
    """`<pid:name>` in a URL pattern: a public id, passed to the view as a string.
    `reverse()` takes the string or the record itself."""

    regex = PATTERN

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: object) -> str:
        public_id = getattr(value, "public_id", value)
        if not is_public_id(public_id):
            raise ValueError("not a public id")
        return str(public_id)


register_converter(PublicIdConverter, "pid")


def get_public_or_404(queryset: QuerySet[M], public_id: object) -> M:
    """The record of the queryset (already narrowed to what the reader may see) with this
    public id; a malformed id, a missing record and a hidden one raise the same Http404."""
    if not is_public_id(public_id):
        raise Http404
    try:
        return queryset.get(public_id=public_id)
    except ObjectDoesNotExist:
        raise Http404 from None


def public_id_of(record: models.Model | None) -> str | None:
    """The public id of a related record (None stays None): for schemas and exports."""
    return None if record is None else str(record.public_id)  # type: ignore[attr-defined]


def _fill_and_index(app_label: str, model_name: str) -> Any:
    def forward(apps: Any, schema_editor: Any) -> None:
        model = apps.get_model(app_label, model_name)
        rows = list(model.objects.filter(public_id__isnull=True).only("pk"))
        for row in rows:
            row.public_id = new_public_id()
        model.objects.bulk_update(rows, ["public_id"], batch_size=500)
        table = schema_editor.quote_name(model._meta.db_table)
        index = schema_editor.quote_name(f"{model._meta.db_table}_public_id_uniq")
        schema_editor.execute(f"CREATE UNIQUE INDEX {index} ON {table} (public_id)")
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"ALTER TABLE {table} ALTER COLUMN public_id SET NOT NULL")

    def backward(apps: Any, schema_editor: Any) -> None:
        model = apps.get_model(app_label, model_name)
        index = schema_editor.quote_name(f"{model._meta.db_table}_public_id_uniq")
        schema_editor.execute(f"DROP INDEX IF EXISTS {index}")

    return forward, backward


def migration_operations(app_label: str, model_name: str) -> list[Any]:
    """Give an existing model its public id, each existing row its own random value (a
    callable default would give them all the same one). In the database: a plain nullable
    column, filled, then a unique index (and NOT NULL on PostgreSQL), so that SQLite adds
    the column in place instead of rebuilding the table, which would drop its triggers
    (access, search; core.access)."""
    forward, backward = _fill_and_index(app_label, model_name)
    return [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddField(model_name=model_name, name="public_id", field=PublicIdField())
            ],
            database_operations=[
                migrations.AddField(
                    model_name=model_name,
                    name="public_id",
                    field=models.CharField(max_length=LENGTH, null=True, editable=False),
                ),
                migrations.RunPython(forward, backward),
            ],
        )
    ]
