"""Periodic work: enqueued once per slot however many schedulers run, and run by the worker."""
import datetime as dt
import io
import threading

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from operations.models import PeriodicRun
from operations.periodic import enqueue_due, slot_for
from tests.operations.conftest import OPERATIONS_APPS

ROME = timezone.get_fixed_timezone(60)
JOBS = {"sweep": {"task": "notifications.tasks.send_stale_mail", "minutes": 15},
        "prune": {"task": "operations.tasks.prune_task_results", "daily": "03:30"}}


def at(hour, minute, day=7):
    return dt.datetime(2026, 12, day, hour, minute, tzinfo=ROME)


def test_slots():
    assert slot_for(JOBS["prune"], at(3, 29)) is None  # not yet due today
    assert slot_for(JOBS["prune"], at(3, 30)) == slot_for(JOBS["prune"], at(23, 59)) == "2026-12-07"
    assert slot_for(JOBS["prune"], at(3, 30, day=8)) == "2026-12-08"
    assert slot_for(JOBS["sweep"], at(10, 0)) == slot_for(JOBS["sweep"], at(10, 14)) != slot_for(JOBS["sweep"], at(10, 15))


@pytest.mark.django_db(transaction=True, available_apps=OPERATIONS_APPS)
def test_many_schedulers_enqueue_each_job_once_per_slot(db_tasks, run_worker):
    """Four schedulers at the same moment (four connections, racing on the unique slot), then again a
    minute later: one task per job and slot."""
    barrier = threading.Barrier(4)
    won = []

    def scheduler():
        try:
            barrier.wait(timeout=30)
            won.extend(enqueue_due(now=at(4, 0), jobs=JOBS))
        finally:
            connection.close()

    threads = [threading.Thread(target=scheduler) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(won) == ["prune", "sweep"]
    assert enqueue_due(now=at(4, 1), jobs=JOBS) == []  # same slots
    assert enqueue_due(now=at(4, 15), jobs=JOBS) == ["sweep"]  # the next quarter of an hour; prune is daily
    assert sorted(PeriodicRun.objects.values_list("name", flat=True)) == ["prune", "sweep", "sweep"]
    tasks = DBTaskResult.objects.values_list("task_path", flat=True)
    assert sorted(tasks) == ["notifications.tasks.send_stale_mail", "notifications.tasks.send_stale_mail",
                             "operations.tasks.prune_task_results"]
    run_worker()
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}


@pytest.mark.django_db(transaction=True, available_apps=OPERATIONS_APPS)
def test_pruning_removes_old_finished_results_and_keeps_failed_ones_longer(db_tasks, run_worker, settings):
    from operations.tasks import prune_task_results

    settings.OT24_TASK_RESULTS_KEEP_DAYS = 14
    settings.OT24_FAILED_TASK_RESULTS_KEEP_DAYS = 90
    old, recent = timezone.now() - dt.timedelta(days=30), timezone.now() - dt.timedelta(days=1)
    for status, finished in (("SUCCESSFUL", old), ("SUCCESSFUL", recent), ("FAILED", old)):
        DBTaskResult.objects.create(args_kwargs={"args": [], "kwargs": {}}, task_path="x.y", backend_name="default",
                                    status=status, finished_at=finished, run_after=old)
    PeriodicRun.objects.create(name="sweep", slot="1")
    PeriodicRun.objects.filter(slot="1").update(enqueued_at=old)
    prune_task_results.enqueue()
    run_worker()
    kept = DBTaskResult.objects.exclude(task_path__endswith="prune_task_results")
    assert sorted((r.status, r.finished_at == old) for r in kept) == [("FAILED", True), ("SUCCESSFUL", False)]
    assert not PeriodicRun.objects.exists()


@pytest.mark.django_db(transaction=True, available_apps=OPERATIONS_APPS)
def test_run_scheduler_once(db_tasks, settings):
    settings.OT24_PERIODIC_TASKS = {"sweep": JOBS["sweep"]}
    out = io.StringIO()
    call_command("run_scheduler", once=True, stdout=out)
    call_command("run_scheduler", once=True, stdout=out)
    assert out.getvalue().splitlines() == ["Enqueued: sweep.", "Enqueued: nothing due."]
    assert DBTaskResult.objects.get().task_path == "notifications.tasks.send_stale_mail"


@pytest.mark.django_db
def test_the_reminder_tasks_run_the_commands(db_tasks):
    from review.tasks import send_reminders
    from stress.tasks import stress_reminders

    send_reminders.enqueue()
    stress_reminders.enqueue()
    # A worker in the test's transaction would close its connection: the tasks' own code is called here,
    # and the worker path is covered above.
    assert "Promemoria inviati" in send_reminders.call()
    assert "Promemoria stress" in stress_reminders.call()


@pytest.mark.django_db
def test_a_stale_email_never_tried_gets_its_send_task(db_tasks):
    from notifications.models import OutgoingEmail
    from notifications.tasks import send_stale_mail

    stale = OutgoingEmail.objects.create(recipients=["a@example.com"], subject="Persa", body="x")
    fresh = OutgoingEmail.objects.create(recipients=["a@example.com"], subject="Nuova", body="x")
    OutgoingEmail.objects.create(recipients=["a@example.com"], subject="In ritentativo", body="x", attempts=2)
    OutgoingEmail.objects.filter(pk=stale.pk).update(created_at=timezone.now() - dt.timedelta(hours=1))
    assert send_stale_mail.call() == 1
    assert DBTaskResult.objects.get().args_kwargs["args"] == [stale.pk] and fresh.pk
