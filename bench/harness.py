"""What every benchmark shares: Django set-up on a chosen engine, timing, peak RSS, and the
one JSON line of figures each benchmark prints. Progress goes to stderr, figures to stdout.

Peak RSS is the process's high-water mark (VmHWM), reset before each measured phase through
/proc/self/clear_refs, so a figure covers only what that phase did.
"""

from __future__ import annotations

import json
import logging
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def setup_django(database_url: str | None = None) -> str:
    """Configure Django for a benchmark run; returns the engine's vendor name."""
    sys.path.insert(0, str(ROOT / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kizuna.settings")
    if database_url:
        os.environ["KIZUNA_DATABASE_URL"] = database_url
    import django

    django.setup()
    # A line per request from the load generator's HTTP client would cost the run its CPU.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    from django.db import connection

    return connection.vendor


def reset_peak_rss() -> None:
    # Where this is not Linux or not permitted, the figure covers the whole process.
    with suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


def peak_rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@dataclass
class Phase:
    seconds: float = 0.0
    peak_rss_mb: float = 0.0


@contextmanager
def measured() -> Iterator[Phase]:
    """Time a block and record the peak RSS it reached."""
    phase = Phase()
    reset_peak_rss()
    start = time.perf_counter()
    yield phase
    phase.seconds = time.perf_counter() - start
    phase.peak_rss_mb = round(peak_rss_mb(), 1)


@dataclass
class Latencies:
    samples_ms: list[float] = field(default_factory=list)

    def time(self, fn: Callable[[], Any]) -> Any:
        start = time.perf_counter()
        result = fn()
        self.samples_ms.append((time.perf_counter() - start) * 1000)
        return result

    def percentile(self, p: float) -> float:
        ordered = sorted(self.samples_ms)
        if not ordered:
            return float("nan")
        index = min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))
        return round(ordered[index], 2)

    def summary(self) -> dict[str, float]:
        return {
            "p50_ms": self.percentile(50),
            "p95_ms": self.percentile(95),
            "p99_ms": self.percentile(99),
            "mean_ms": round(statistics.fmean(self.samples_ms), 2),
        }


def machine() -> dict[str, Any]:
    return {
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "platform": platform.platform(terse=True),
    }


def emit(name: str, figures: dict[str, Any]) -> None:
    """The benchmark's one line of figures on stdout."""
    print(json.dumps({"bench": name, **figures, "machine": machine()}, ensure_ascii=False))
