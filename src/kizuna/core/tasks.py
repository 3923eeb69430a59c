"""Core's background tasks, run by the task worker (`kizuna worker`)."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from . import checkpoints
from .models import IdempotentAnswer


@task()
def heartbeat() -> str:
    """The worker's sign of life: enqueued every few seconds by the worker itself
    (`kizuna worker`) and run through the same queue as any task, so its finishing time says
    the worker is taking tasks, not only that its process exists. Earlier beats are dropped:
    the queue keeps the one running and the last finished. It also lets go of the API's
    idempotent answers older than `KIZUNA_IDEMPOTENCY_HOURS` (core.idempotency)."""
    kept_from = timezone.now() - timedelta(hours=settings.IDEMPOTENCY_HOURS)
    IdempotentAnswer.objects.filter(created_at__lt=kept_from).delete()
    DBTaskResult.objects.filter(task_path=heartbeat.module_path).finished().delete()
    return timezone.now().isoformat()


@task()
def audit_checkpoint() -> str:
    """A signed checkpoint of the audit chain's head (core.checkpoints), queued by the worker
    every KIZUNA_AUDIT_CHECKPOINT_SECONDS while a signing key is configured. A chain that does
    not verify fails the task (its result keeps the error) and nothing is signed."""
    checkpoint = checkpoints.write()
    return str(checkpoint.path) if checkpoint else ""
