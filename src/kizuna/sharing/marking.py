"""A marking as people and exchange formats name it: codes, not database rows."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .models import SharedItem


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

    @classmethod
    def of(cls, item: SharedItem) -> Marking:
        return cls(
            level=item.level.code,
            releasable_to=tuple(sorted(n.code for n in item.releasable_to.all())),
            caveats=tuple(sorted(c.code for c in item.caveats.all())),
            communities=tuple(sorted(c.code for c in item.communities.all())),
        )
