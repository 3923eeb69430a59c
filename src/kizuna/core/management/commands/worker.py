"""`kizuna worker`: django-tasks-db's task worker (`db_worker`), keeping a heartbeat.

A thread queues core's heartbeat task every few seconds (kizuna.core.health); the worker runs
it like any task, so `/healthz` and `kizuna serve --check` can say when the worker last took
a task. `kizuna serve` starts this command beside the web server.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from django.db import connection
from django.utils.translation import gettext_noop
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from ...health import HEARTBEAT_SECONDS, beat
from ..base import KizunaCommand

logger = logging.getLogger(__name__)


def _beat_forever(stop: threading.Event) -> None:
    while not stop.is_set():
        try:
            beat()
        except Exception:  # the database may be away for a while; the worker says so itself
            logger.warning("worker heartbeat: could not queue the next beat", exc_info=True)
        finally:
            connection.close()  # a thread of its own: it keeps no connection between beats
        stop.wait(HEARTBEAT_SECONDS)


class Command(KizunaCommand, DbWorkerCommand):
    help = gettext_noop("Run the task worker and keep its heartbeat.")

    def handle(self, *args: Any, **options: Any) -> None:
        stop = threading.Event()
        threading.Thread(target=_beat_forever, args=(stop,), daemon=True, name="heartbeat").start()
        try:
            super().handle(*args, **options)
        finally:
            stop.set()
