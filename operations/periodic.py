"""Periodic work, once per slot however many schedulers run.

settings.OT24_PERIODIC_TASKS names each job, its task (a dotted path to a portal_task) and when it is due:
``"daily": "HH:MM"`` (local time; the slot is the date, due from that time on) or ``"minutes": N`` (the
slot is the number of N-minute periods since the epoch). ``enqueue_due`` inserts (name, slot) into
PeriodicRun; the unique constraint lets exactly one scheduler win, and only the winner enqueues the task
in the same transaction (after the commit), so a job is never enqueued twice for one slot and never lost
when the insert rolls back."""
from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from ot24portal.tasking import enqueue_on_commit

from .models import PeriodicRun


def slot_for(job: dict, now: dt.datetime) -> str | None:
    """The slot that is due at `now`, or None (a daily job before its time of day)."""
    if "daily" in job:
        local = timezone.localtime(now)
        hour, minute = (int(part) for part in job["daily"].split(":"))
        if (local.hour, local.minute) < (hour, minute):
            return None
        return local.date().isoformat()
    minutes = int(job["minutes"])
    return str(int(now.timestamp()) // (minutes * 60))


def enqueue_due(*, now: dt.datetime | None = None, jobs: dict | None = None) -> list[str]:
    """Enqueue every job whose current slot has not been enqueued yet; the names of those enqueued."""
    now = now or timezone.now()
    jobs = settings.OT24_PERIODIC_TASKS if jobs is None else jobs
    enqueued = []
    for name, job in sorted(jobs.items()):
        slot = slot_for(job, now)
        if slot is None:
            continue
        try:
            with transaction.atomic():
                PeriodicRun.objects.create(name=name, slot=slot)
                enqueue_on_commit(import_string(job["task"]))
        except IntegrityError:  # another scheduler took this slot
            continue
        enqueued.append(name)
    return enqueued


def prune_runs(*, keep_days: int) -> int:
    return PeriodicRun.objects.filter(enqueued_at__lt=timezone.now() - dt.timedelta(days=keep_days)).delete()[0]
