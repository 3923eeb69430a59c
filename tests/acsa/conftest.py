"""The eligibility index lives in the process; a test's rolled-back edits must not outlive it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from kizuna.acsa import rules


@pytest.fixture(autouse=True)
def fresh_eligibility_index() -> Iterator[None]:
    rules.invalidate()
    yield
    rules.invalidate()
