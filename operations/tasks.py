"""Background work of operations: pruning finished task results and old scheduler rows (daily)."""
from __future__ import annotations

import io

from django.conf import settings
from django.core.management import call_command

from ot24portal.tasking import portal_task

from .periodic import prune_runs


@portal_task
def prune_task_results() -> str:
    """django-tasks-db's prune_db_task_results: successful results after OT24_TASK_RESULTS_KEEP_DAYS,
    failed ones after OT24_FAILED_TASK_RESULTS_KEEP_DAYS (an administrator may still need them)."""
    from django_tasks_db.models import DBTaskResult

    before = DBTaskResult.objects.count()
    call_command("prune_db_task_results", queue_name="*", min_age_days=settings.OT24_TASK_RESULTS_KEEP_DAYS,
                 failed_min_age_days=settings.OT24_FAILED_TASK_RESULTS_KEEP_DAYS, stdout=io.StringIO())
    runs = prune_runs(keep_days=max(settings.OT24_TASK_RESULTS_KEEP_DAYS, 2))
    return f"Task results pruned: {before - DBTaskResult.objects.count()}. Periodic runs pruned: {runs}."


@portal_task
def clear_sessions() -> str:
    """Django's clearsessions: expired sessions leave the database (daily)."""
    out = io.StringIO()
    call_command("clearsessions", stdout=out)
    return "Expired sessions cleared."
