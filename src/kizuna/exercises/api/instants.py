"""What the API's rooms parse alike: an instant given as ISO 8601 text."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

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
