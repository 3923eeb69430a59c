"""Is this Kizuna whole: the database answers, every migration is applied, the task worker is
alive. `/healthz` and `kizuna serve --check` ask the same questions.

A load balancer asks every few seconds, so this costs two queries. A silent worker is
reported but does not make `/healthz` unhealthy: the probe decides whether this web process
gets requests, which it serves as well without a worker (the worker may even run on another
host), and taking every web process out of service for it would stop everything.
`kizuna serve --check` exits non-zero for it, for the monitoring that pages someone.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.db.models import Max
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from .tasks import heartbeat

HEARTBEAT_SECONDS = 10.0
# A worker not heard from for three beats is taken as gone.
SILENT_AFTER = timedelta(seconds=3 * HEARTBEAT_SECONDS)


@dataclass(frozen=True)
class Check:
    """One question about this Kizuna, answered."""

    name: str
    ok: bool
    detail: str


@dataclass(frozen=True)
class Health:
    database: bool
    migrations: bool
    worker_last_seen: datetime | None

    @property
    def serving(self) -> bool:
        """What /healthz answers 200 for: this process can serve requests."""
        return self.database and self.migrations

    @property
    def worker_alive(self) -> bool:
        seen = self.worker_last_seen
        return seen is not None and timezone.now() - seen <= SILENT_AFTER

    def checks(self) -> list[Check]:
        seen = self.worker_last_seen
        return [
            Check("database", self.database, "answers" if self.database else "does not answer"),
            Check(
                "migrations",
                self.migrations,
                "all applied" if self.migrations else "not all applied: run `kizuna migrate`",
            ),
            Check(
                "task worker",
                self.worker_alive,
                f"last seen {seen.isoformat(timespec='seconds')}" if seen else "never seen",
            ),
        ]

    def as_json(self) -> dict[str, object]:
        seen = self.worker_last_seen
        return {
            "status": "ok" if self.serving else "unavailable",
            "database": self.database,
            "migrations": self.migrations,
            "worker": {"alive": self.worker_alive, "last_seen": seen and seen.isoformat()},
        }


@functools.cache
def _migrations_in_code() -> frozenset[tuple[str, str]]:
    """Every migration the code holds, read from disk once per process: new migration files
    come with a deploy, which starts new processes."""
    return frozenset(MigrationLoader(None, ignore_no_migrations=True).graph.nodes)


def health() -> Health:
    try:
        applied = set(MigrationRecorder(connection).migration_qs.values_list("app", "name"))
    except Exception:
        return Health(database=False, migrations=False, worker_last_seen=None)
    migrations = _migrations_in_code() <= applied
    last_seen = None
    if migrations:
        last_seen = (
            DBTaskResult.objects.filter(task_path=heartbeat.module_path)
            .successful()
            .aggregate(seen=Max("finished_at"))["seen"]
        )
    return Health(database=True, migrations=migrations, worker_last_seen=last_seen)


def beat() -> None:
    """Queue the next heartbeat unless one is already waiting (several workers, or a worker
    busy with a long task, leave one waiting rather than a pile)."""
    if not DBTaskResult.objects.filter(task_path=heartbeat.module_path).ready().exists():
        heartbeat.enqueue()
