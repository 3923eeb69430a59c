"""Showing one instant in several zones: the labels and the conversion every page uses."""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# Places people in this system read times in, by name rather than by zone identifier.
ZONE_LABELS: dict[str, Promise] = {
    "Asia/Tokyo": _("Japan"),
    "America/Los_Angeles": _("Washington State"),
    "Pacific/Honolulu": _("Hawaii"),
    "UTC": _("UTC"),
    "America/New_York": _("Washington, D.C."),
    "Pacific/Guam": _("Guam"),
    "Australia/Sydney": _("Sydney"),
}


@lru_cache(maxsize=64)
def _zone(name: str) -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(name)


@dataclass(frozen=True)
class ZonedTime:
    zone: str
    label: str
    local: datetime

    @property
    def text(self) -> str:
        return self.local.strftime("%Y-%m-%d %H:%M")

    @property
    def abbreviation(self) -> str:
        return self.local.tzname() or self.zone

    @property
    def offset(self) -> str:
        offset = self.local.strftime("%z")
        return f"UTC{offset[:3]}:{offset[3:]}"


def label_for(zone: str) -> str:
    return str(ZONE_LABELS.get(zone, zone.rsplit("/", 1)[-1].replace("_", " ")))


def in_zones(instant: datetime, zones: list[str]) -> list[ZonedTime]:
    if instant.tzinfo is None:
        raise ValueError("naive datetime: Kizuna stores every time in UTC with its zone")
    return [ZonedTime(z, label_for(z), instant.astimezone(_zone(z))) for z in zones]
