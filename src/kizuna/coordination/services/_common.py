"""What every room of coordination's services shares: the situation's row lock, the check of
an event's time, and a bilingual name in the language being worded."""

from __future__ import annotations

from datetime import datetime

from django.utils import translation

from kizuna.core import bounds

from ..models import Situation


def _lock(situation: Situation) -> Situation:
    return Situation.objects.select_for_update().get(pk=situation.pk)


def _check_event_time(event_at: datetime, field: str = "event_at") -> None:
    """An event time within core.bounds' limits: not far ahead of the server's clock (clocks
    drift, events do not) nor before any record could be."""
    bounds.check_moment("event", event_at, field=field)


def _bilingual(value_ja: str, value_en: str) -> str:
    """A bilingual name as the sentence being worded needs it (active language)."""
    return value_ja if (translation.get_language() or "ja").startswith("ja") else value_en
