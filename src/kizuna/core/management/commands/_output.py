"""What the operations commands print: progress bars and the answers to checks."""

from __future__ import annotations

from types import TracebackType
from typing import TextIO, cast

from django.core.management.base import OutputWrapper
from tqdm import tqdm

from ...backups import Progress
from ...health import Check


class BarProgress(Progress):
    def __init__(self, label: str, out: OutputWrapper) -> None:
        self.label = label
        # The stream itself: Django's wrapper ends every write with a newline, which would
        # turn each redraw of the bar into a line of its own.
        self.out = cast(TextIO, out._out)
        self.bar: tqdm | None = None

    def start(self, total: int, unit: str) -> None:
        self.close()
        self.bar = tqdm(total=total, desc=self.label, unit=f" {unit}", file=self.out)

    def advance(self, done: int) -> None:
        if self.bar is not None:
            self.bar.update(min(done, self.bar.total) - self.bar.n)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None

    def __enter__(self) -> BarProgress:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()


def write_checks(out: OutputWrapper, checks: list[Check]) -> bool:
    """One line per check; whether all passed."""
    for check in checks:
        out.write(f"{'ok  ' if check.ok else 'FAIL'} {check.name}: {check.detail}")
    return all(check.ok for check in checks)
