"""Template helpers of the coordination pages: `{% marking_line entry %}`."""

from __future__ import annotations

from django import template

from kizuna.sharing.selectors import releasable_text

from ..models import LogEntry

register = template.Library()


@register.simple_tag
def marking_line(entry: LogEntry) -> str:
    """An entry's marking in the reader's language: level, releasability, caveats and
    communities (names read with the page's query: `selectors.ENTRY_RELATED`)."""
    marking = entry.marking
    names = [
        marking.level.name,
        releasable_text(entry.shown_marking.releasable_to),  # type: ignore[attr-defined]
        *(c.name for c in marking.caveats.all()),
        *(c.name for c in marking.communities.all()),
    ]
    return " · ".join(names)
