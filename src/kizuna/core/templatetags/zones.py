"""`{% zones value %}`: one instant shown in each of the reader's zones, their own first, with
its Zulu date-time group beside them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import template
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from ..formats import dtg
from ..timezones import in_zones

register = template.Library()


@register.simple_tag(takes_context=True)
def zones(context: dict[str, Any], value: datetime | None, compact: bool = False) -> SafeString:
    if value is None:
        return SafeString("—")
    reader_zones = context.get("reader_zones") or settings.DEFAULT_TIME_ZONES
    try:
        times = in_zones(value, list(reader_zones))
    except (OverflowError, ValueError):
        # Stored before the bounds (core.bounds) and off the calendar in some zone: shown as
        # invalid, for repair (`kizuna check-data`), rather than failing the page.
        return invalid(value)
    return SafeString(
        render_to_string(
            "core/_zones.html",
            {"iso": value.isoformat(), "times": times, "dtg": dtg(value), "compact": compact},
        )
    )


def invalid(value: object) -> SafeString:
    """A stored value no page can show as it should: said, with what is stored."""
    return format_html(
        '<span class="invalid-value">{} <code>{}</code></span>', _("invalid value"), str(value)
    )


@register.simple_tag(takes_context=True)
def now_zones(context: dict[str, Any]) -> SafeString:
    """The header clock: now, in the reader's zones and in Zulu; kizuna.js keeps it ticking."""
    return zones(context, timezone.now())
