"""Background work on the database backend with a real worker: enqueued after the commit, idempotent,
retried with a growing delay, and a failure visible to an administrator."""
import datetime as dt
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core import mail
from django.db import connection, transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from notifications.models import OutgoingEmail
from notifications.services import email_enqueue, retry_delay
from ot24portal.tasking import current_request_id, enqueue_on_commit, portal_task
from tests.operations.conftest import OPERATIONS_APPS

transactional = pytest.mark.django_db(transaction=True, available_apps=OPERATIONS_APPS)


class RefusingBackend:
    """A mail server that refuses everything (the test's stand-in for an SMTP outage)."""

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("mail server down")


def queued_sends():
    return DBTaskResult.objects.filter(task_path="notifications.tasks.send_email")


@transactional
def test_the_send_task_is_enqueued_only_when_the_change_commits(db_tasks, run_worker):
    with transaction.atomic():
        email = email_enqueue(recipients=["a@example.com"], subject="Prova", body="Testo")
        assert not queued_sends().exists()  # not before the commit
    assert queued_sends().get().args_kwargs["args"] == [email.pk]
    with pytest.raises(RuntimeError), transaction.atomic():
        email_enqueue(recipients=["b@example.com"], subject="Annullata", body="Testo")
        raise RuntimeError("the change is rolled back")
    assert queued_sends().count() == 1 and OutgoingEmail.objects.count() == 1  # nothing for the rolled-back one
    assert mail.outbox == []  # the request never sends: the worker does
    run_worker()
    assert [m.subject for m in mail.outbox] == ["Prova"]
    email.refresh_from_db()
    assert email.sent_at is not None and email.attempts == 1
    assert queued_sends().get().status == "SUCCESSFUL"


@transactional
def test_a_send_task_run_twice_sends_one_email(db_tasks, run_worker):
    from notifications.tasks import send_email

    with transaction.atomic():
        email = email_enqueue(recipients=["a@example.com"], subject="Una volta", body="Testo")
    send_email.enqueue(email.pk)  # the same e-mail enqueued again (a sweep, a retry, an operator)
    send_email.enqueue(email.pk)
    run_worker()
    assert len(mail.outbox) == 1
    assert queued_sends().count() == 3 and set(queued_sends().values_list("status", flat=True)) == {"SUCCESSFUL"}
    email.refresh_from_db()
    assert email.attempts == 1


@transactional
def test_a_row_being_sent_by_another_worker_is_left_alone(db_tasks):
    """The row lock: while one worker holds the e-mail (its transaction open), another skips it."""
    import threading

    from notifications.services import email_send

    with transaction.atomic():
        email = email_enqueue(recipients=["a@example.com"], subject="Bloccata", body="Testo")
    results = {}
    with transaction.atomic():
        OutgoingEmail.objects.select_for_update().get(pk=email.pk)  # "the first worker" holds the row

        def second_worker():
            try:
                results["sent"] = email_send(email.pk)
            finally:
                from django.db import connection as thread_connection

                thread_connection.close()

        thread = threading.Thread(target=second_worker)
        thread.start()
        thread.join(timeout=30)
    assert results == {"sent": False} and mail.outbox == []
    assert email_send(email.pk) is True and email_send(email.pk) is False
    assert len(mail.outbox) == 1


@transactional
def test_a_failure_is_retried_later_with_a_growing_delay_then_shown_as_failed(db_tasks, run_worker, settings):
    settings.EMAIL_BACKEND = "tests.operations.test_tasks.RefusingBackend"
    settings.OT24_MAIL_MAX_ATTEMPTS = 3
    with transaction.atomic():
        email = email_enqueue(recipients=["a@example.com"], subject="Server giù", body="Testo")
    delays = []
    for attempt in (1, 2, 3):
        before = timezone.now()
        run_worker()
        email.refresh_from_db()
        assert email.attempts == attempt and email.sent_at is None and "mail server down" in email.last_error
        waiting = queued_sends().filter(status="READY")
        if attempt < 3:
            retry = waiting.get()  # the next attempt, not before its delay: this worker run left it alone
            delays.append(retry.run_after - before)
            DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now())  # time passes
        else:
            assert not waiting.exists()  # attempts used up: no more retries
    assert delays[0] >= retry_delay(1) and delays[1] >= retry_delay(2) > retry_delay(1)
    assert delays[1] < retry_delay(2) + dt.timedelta(seconds=30)
    # Visible to an administrator: the task failed (tasks admin) and the e-mail is "in errore" (outbox admin).
    last = queued_sends().order_by("-enqueued_at").first()
    assert last.status == "FAILED" and "MailNotSent" in last.exception_class_path
    assert queued_sends().filter(status="SUCCESSFUL").count() == 2  # the failed attempts that scheduled a retry


def test_the_retry_delay_doubles_up_to_its_cap(settings):
    settings.OT24_MAIL_RETRY_BASE_SECONDS = 60
    settings.OT24_MAIL_RETRY_MAX_SECONDS = 3600
    assert [retry_delay(n).total_seconds() for n in (1, 2, 3, 6, 7, 20)] == [60, 120, 240, 1920, 3600, 3600]


@pytest.mark.django_db
def test_the_outbox_admin_lists_the_emails_in_error(client, settings):
    from tests.factories import UserFactory

    settings.OT24_MAIL_MAX_ATTEMPTS = 3
    OutgoingEmail.objects.create(recipients=["a@example.com"], subject="Consegnata", body="x",
                                 sent_at=timezone.now(), attempts=1)
    OutgoingEmail.objects.create(recipients=["a@example.com"], subject="Riprova dopo", body="x", attempts=1)
    OutgoingEmail.objects.create(recipients=["a@example.com"], subject="Tentativi esauriti", body="x", attempts=3,
                                 last_error="ConnectionRefusedError: mail server down")
    admin = UserFactory(role="admin", is_staff=True, is_superuser=True)
    client.force_login(admin)
    page = client.get("/admin/notifications/outgoingemail/?consegna=in_errore").content.decode()
    assert "Tentativi esauriti" in page and "Riprova dopo" not in page and "Consegnata" not in page
    page = client.get("/admin/notifications/outgoingemail/?consegna=in_attesa").content.decode()
    assert "Riprova dopo" in page and "Tentativi esauriti" not in page


@transactional
def test_the_db_worker_command_sends_the_mail(db_tasks):
    """`manage.py db_worker --batch` as its own process, as in production, on this test database."""
    with transaction.atomic():
        email = email_enqueue(recipients=["a@example.com"], subject="Dal worker", body="Testo")
    db = connection.settings_dict
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "ot24portal.settings.test",
           "OT24_TEST_TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
           "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"}
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run([sys.executable, "manage.py", "db_worker", "--batch", "--no-startup-delay",
                           "--queue-name", "*"], cwd=root, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    email.refresh_from_db()
    assert email.sent_at is not None and queued_sends().get().status == "SUCCESSFUL"
    assert "notifications.tasks.send_email" in done.stdout + done.stderr


@portal_task
def report_request_id() -> str | None:
    """A task that answers the request id bound while it runs (what its log lines carry)."""
    return current_request_id()


@transactional
def test_a_task_carries_the_request_id_of_the_request_that_enqueued_it(db_tasks, run_worker):
    """django-structlog binds request_id for each request; a task enqueued then runs with the same id bound,
    so its log lines (merged from the context) can be found from the request's."""
    import structlog

    with structlog.contextvars.bound_contextvars(request_id="req-1234"), transaction.atomic():
        enqueue_on_commit(report_request_id)
    enqueue_on_commit(report_request_id)  # outside a request: an id of its own
    run_worker()
    first, second = DBTaskResult.objects.filter(task_path__endswith="report_request_id").order_by("enqueued_at")
    assert first.args_kwargs["kwargs"] == {"request_id": "req-1234"} and first.return_value == "req-1234"
    assert second.return_value.startswith("task-")


def test_periodic_jobs_are_listed_in_the_scheduler(settings):
    from django.utils.module_loading import import_string

    for name, job in settings.OT24_PERIODIC_TASKS.items():
        assert hasattr(import_string(job["task"]), "enqueue"), name
