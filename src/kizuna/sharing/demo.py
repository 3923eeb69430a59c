"""Demo data of the sharing app, as idempotent steps for `kizuna demo`."""

from __future__ import annotations

from collections.abc import Iterator

from kizuna.core.demo import Step


def steps() -> Iterator[Step]:
    yield from ()
