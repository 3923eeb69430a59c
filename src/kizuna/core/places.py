"""Calendar dates are the dates of the place where things happen: a delivery date, an
order's date, a settlement deadline or an eligibility question's date is Japan's date for
what happens in Japan, whatever zone the server keeps its clock in (UTC). Times stay stored
in UTC; only turning a moment into a day goes through here.

The place's zone is a setting (`KIZUNA_PLACE_TIME_ZONE`, Japan by default): the alliance's
orders, requests and deliveries recorded in Kizuna happen in Japan."""

from __future__ import annotations

import zoneinfo
from datetime import date, datetime

from django.conf import settings
from django.utils import timezone


def zone() -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(settings.PLACE_TIME_ZONE)


def today() -> date:
    """Today where things happen (in Japan, by default)."""
    return timezone.localdate(timezone=zone())


def date_of(moment: datetime) -> date:
    """The day a moment falls on where it happens: 05:32 on 2 December in Tokyo is
    2 December, though it is still 1 December in UTC."""
    return timezone.localdate(moment, timezone=zone())
