"""Background work (django.tasks): batch jobs asked for by changes, run by a worker.

Trust scores and community-note statuses are recomputed from the whole graph or all
ratings, so a change does not need a run of its own: ``request_run`` queues one run a
little later, and every change made before it starts is included in it. With
``PORCH_TASKS=immediate`` (or a backend without a queue) the run happens at once.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone


def pending(task) -> bool:
    """Whether a run of ``task`` is queued and not started yet."""
    if settings.TASKS_MODE != "database":
        return False
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(
        task_path=task.module_path, status=TaskResultStatus.READY
    ).exists()


def request_run(task, *, delay_seconds: int) -> None:
    """Run ``task`` (no arguments) about ``delay_seconds`` after this transaction
    commits, unless a run is already waiting: that one will see this change too."""

    def enqueue():
        if settings.TASKS_MODE != "database":
            task.enqueue()
        elif not pending(task):
            task.using(run_after=timezone.now() + timedelta(seconds=delay_seconds)).enqueue()

    transaction.on_commit(enqueue)
