"""A marking as people and exchange formats name it: codes, not database rows."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from .models import Marked


@dataclass(frozen=True)
class Marking:
    """A marking as the people who set it name it: codes, not ids."""

    level: str
    releasable_to: tuple[str, ...]
    caveats: tuple[str, ...] = ()
    communities: tuple[str, ...] = ()

    def as_json(self) -> dict[str, Any]:
        return {
            "level": self.level,
            "releasable_to": sorted(self.releasable_to),
            "caveats": sorted(self.caveats),
            "communities": sorted(self.communities),
        }

    @property
    def key(self) -> str:
        return json.dumps(self.as_json(), sort_keys=True, separators=(",", ":"))

    @classmethod
    def of(cls, record: Marked) -> Marking:
        """The marking of any marked record, read from its marking row's key."""
        return cls.from_key(record.marking.key)

    @classmethod
    def from_key(cls, key: str) -> Marking:
        """A marking row's key read back, for lists that fetched the keys without a join."""
        return cls.from_json(json.loads(key))

    @classmethod
    def from_json(cls, codes: dict[str, Any]) -> Marking:
        """A marking as `as_json` wrote it (a marking change's before and after)."""
        return cls(
            level=codes["level"],
            releasable_to=tuple(codes["releasable_to"]),
            caveats=tuple(codes.get("caveats", ())),
            communities=tuple(codes.get("communities", ())),
        )
