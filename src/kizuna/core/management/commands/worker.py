"""`kizuna worker`: django-tasks-db's task worker (`db_worker`), keeping a heartbeat and
the audit chain's signed checkpoints.

A thread queues core's heartbeat task every few seconds (kizuna.core.health); the worker runs
it like any task, so `/healthz` and `kizuna serve --check` can say when the worker last took
a task. Another queues a checkpoint of the audit chain (core.checkpoints) every
KIZUNA_AUDIT_CHECKPOINT_SECONDS while a signing key is configured. An app's config may name
jobs of its own in `worker_every` ((name, seconds, dotted path of a function), run in a
thread of their own, e.g. the exercises' inject delivery). `kizuna serve` starts this command
beside the web server.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import connection
from django.utils.module_loading import import_string
from django.utils.translation import gettext_noop
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from ...checkpoints import key_configured
from ...health import HEARTBEAT_SECONDS, beat
from ...tasks import audit_checkpoint
from ..base import KizunaCommand

logger = logging.getLogger(__name__)


def _every(seconds: float, queue: Callable[[], object], stop: threading.Event) -> None:
    while not stop.is_set():
        try:
            queue()
        except Exception:  # the database may be away for a while; the worker says so itself
            logger.warning("worker: could not queue %s", queue, exc_info=True)
        finally:
            connection.close()  # a thread of its own: it keeps no connection between runs
        stop.wait(seconds)


def _checkpoint() -> None:
    if key_configured():
        audit_checkpoint.enqueue()


def jobs() -> list[tuple[str, float, Callable[[], object]]]:
    """What the worker runs every so often besides the queue: core's heartbeat and
    checkpoints, then each app's `worker_every`."""
    found: list[tuple[str, float, Callable[[], object]]] = [
        ("heartbeat", HEARTBEAT_SECONDS, beat),
        ("audit-checkpoint", settings.AUDIT_CHECKPOINT_SECONDS, _checkpoint),
    ]
    for config in apps.get_app_configs():
        for name, seconds, path in getattr(config, "worker_every", ()):
            found.append((name, seconds, import_string(path)))
    return found


class Command(KizunaCommand, DbWorkerCommand):
    help = gettext_noop("Run the task worker and keep its heartbeat.")

    def handle(self, *args: Any, **options: Any) -> None:
        stop = threading.Event()
        for name, seconds, queue in jobs():
            threading.Thread(
                target=_every, args=(seconds, queue, stop), daemon=True, name=name
            ).start()
        try:
            super().handle(*args, **options)
        finally:
            stop.set()
