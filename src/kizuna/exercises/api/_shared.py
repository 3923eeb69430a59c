"""What the exercises API's rooms share: the one router each room adds its routes to (when
`api/__init__` imports the room, in that order, which is the order URLs are matched in), and
an instant given as ISO 8601 text.

One router rather than one per room: ninja mounts a nested router under a path without its
leading slash, so the OpenAPI document would change shape (tests/fuzz builds it under /api)."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Router

router = Router(tags=["exercises"])

# Said of every instant the API takes (the pages take a local time and its zone instead).
WITH_ZONE = (
    "ISO 8601 with its zone offset (2026-11-01T01:30:00-07:00 or …Z); a bare local time is refused."
)


def instant(value: str, field: str) -> datetime:
    """An ISO 8601 time as given; a bare local time stays bare for the service to refuse."""
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        raise ValidationError({field: _("Give a date and time in ISO 8601.")}) from None
