"""/healthz, /readyz and /metrics."""
import datetime as dt
import socket

import pytest
from django.db import connections
from django.utils import timezone

from operations.health import MigrationsApplied
from tests.operations.conftest import OPERATIONS_APPS


def closed_port() -> int:
    """A port on 127.0.0.1 where nothing listens (bound, read, released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.django_db
def test_healthz_answers_without_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_readyz_lists_every_check(client):
    response = client.get("/readyz")
    assert response.status_code == 200, response.content
    assert response.json() == {"status": "ok", "checks": {"database": "OK", "migrations": "OK",
                                                          "storage:evidence": "OK", "task_queue": "OK"}}


@pytest.fixture
def database_port():
    """/readyz runs its checks on the request's connection (the worker's persistent one). Closing it and
    changing the port in the database's settings stops the database for the next request ("stopped");
    restoring the port brings it back at the next connection."""
    conf = connections["default"].settings_dict
    real = conf["PORT"]
    yield conf, real
    conf["PORT"] = real
    connections["default"].close()


@pytest.mark.django_db(transaction=True)
def test_readyz_answers_503_with_the_reason_while_the_database_is_unreachable(client, database_port):
    conf, real_port = database_port
    assert client.get("/readyz").status_code == 200
    connections["default"].close()
    conf["PORT"] = str(closed_port())  # the database stops answering
    MigrationsApplied._applied_for.clear()  # as in a process that has not seen them applied yet
    response = client.get("/readyz")
    body = response.json()
    assert response.status_code == 503 and body["status"] == "unavailable"
    assert body["checks"]["database"] != "OK" and body["checks"]["migrations"] == "Unavailable: database unreachable"
    assert body["checks"]["task_queue"] == "Unavailable: database unreachable" and body["checks"]["storage:evidence"] == "OK"
    assert "127.0.0.1" not in response.content.decode()  # no host, port or user in the answer
    conf["PORT"] = real_port  # back
    assert client.get("/readyz").status_code == 200


@pytest.mark.django_db(transaction=True)
def test_the_balancer_s_probe_opens_no_connection_of_its_own(client):
    """The probe's checks run on the connection the request has (a worker's persistent one), not on a new
    PostgreSQL connection each (a new server process per probe: most of a probe's cost)."""
    from django.db.backends.signals import connection_created

    opened = []
    connection_created.connect(receiver := lambda sender, connection, **kwargs: opened.append(connection.alias))
    try:
        client.get("/readyz", {"check": ["database", "migrations"]})  # the worker's connection, if it had none
        opened.clear()
        for _ in range(3):
            assert client.get("/readyz", {"check": ["database", "migrations"]}).status_code == 200
    finally:
        connection_created.disconnect(receiver)
    assert opened == []


@pytest.mark.django_db
def test_readyz_answers_503_while_the_storage_is_not_writable(client, settings, tmp_path):
    writable = settings.STORAGES["evidence"]
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the store's folder should be")  # root ignores permissions; not this
    settings.STORAGES = {**settings.STORAGES, "evidence": {**writable, "OPTIONS": {
        **writable["OPTIONS"], "location": str(blocker / "evidence")}}}
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["storage:evidence"] == "Unavailable: storage not writable (NotADirectoryError)"
    assert response.json()["checks"]["database"] == "OK"
    settings.STORAGES = {**settings.STORAGES, "evidence": writable}
    assert client.get("/readyz").status_code == 200


@pytest.mark.django_db(transaction=True, available_apps=OPERATIONS_APPS)
def test_the_queue_check_fails_when_due_tasks_wait_too_long(settings):
    """/readyz's task_queue check (called here directly: the page needs the accounts app, which this
    transactional test leaves out so that only the queue's tables are flushed)."""
    from django_tasks_db.models import DBTaskResult, get_date_max
    from health_check.exceptions import ServiceUnavailable

    from operations.health import TaskQueueMoving

    settings.OT24_QUEUE_STUCK_SECONDS = 600
    long_ago = timezone.now() - dt.timedelta(minutes=30)
    later = DBTaskResult.objects.create(args_kwargs={"args": [], "kwargs": {}}, task_path="x.y",
                                        backend_name="default", run_after=timezone.now() + dt.timedelta(hours=1))
    DBTaskResult.objects.filter(pk=later.pk).update(enqueued_at=long_ago)  # a retry due later: not stuck
    TaskQueueMoving().run()
    stuck = DBTaskResult.objects.create(args_kwargs={"args": [], "kwargs": {}}, task_path="x.y",
                                        backend_name="default", run_after=get_date_max())
    DBTaskResult.objects.filter(pk=stuck.pk).update(enqueued_at=long_ago)
    with pytest.raises(ServiceUnavailable, match=r"1 task\(s\) due for more than 600 s"):
        TaskQueueMoving().run()
    DBTaskResult.objects.filter(pk=stuck.pk).update(status="SUCCESSFUL")  # a worker took it
    TaskQueueMoving().run()


@pytest.mark.django_db
def test_metrics_only_for_the_operators_network(client, settings):
    settings.OT24_METRICS_ALLOWED_IPS = ["127.0.0.1", "10.20.0.0/16"]
    assert client.get("/metrics", REMOTE_ADDR="127.0.0.1").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="10.20.3.4").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="10.21.3.4").status_code == 403
    assert client.get("/metrics", REMOTE_ADDR="192.0.2.1").status_code == 403
    # A forwarding header is the client's own words unless trusted proxies are configured.
    assert client.get("/metrics", REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_FOR="127.0.0.1").status_code == 403
    settings.OT24_TRUSTED_PROXY_COUNT = 1
    assert client.get("/metrics", REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_FOR="10.20.0.9").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="10.20.0.9", HTTP_X_FORWARDED_FOR="192.0.2.1").status_code == 403


@pytest.mark.django_db
def test_metrics_show_requests_queue_outbox_uploads_and_submissions(client, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django_tasks_db.models import DBTaskResult

    from applications import services
    from operations.demo import minimal_pdf
    from applications.models import Application
    from evidence.services import evidence_add
    from django.core.exceptions import ValidationError
    from notifications.models import OutgoingEmail
    from tests.factories import evidence_draft, ready_to_submit

    def value(text, name, **labels):
        wanted = name + ("{" + ",".join(f'{k}="{v}"' for k, v in labels.items()) + "}" if labels else "")
        for line in text.splitlines():
            if line.startswith(wanted + " "):
                return float(line.rsplit(" ", 1)[1])
        return 0.0

    before = client.get("/metrics").content.decode()
    draft, author, item = evidence_draft()
    pdf = minimal_pdf("metrica")
    evidence_add(user=author, application=draft, evidence_item=item, uploaded_file=SimpleUploadedFile("m.pdf", pdf))
    with pytest.raises(ValidationError):  # the same bytes again: refused
        evidence_add(user=author, application=draft, evidence_item=item, uploaded_file=SimpleUploadedFile("m.pdf", pdf))
    app, rep = ready_to_submit()
    with pytest.raises(ValidationError):  # declarations not ticked: refused
        services.application_submit(user=rep, application=app, place="Roma", version=app.version, declarations={})
    app.refresh_from_db()
    services.application_submit(user=rep, application=app, place="Roma", version=app.version,
                                declarations=dict.fromkeys(Application.DECLARATIONS, True))
    DBTaskResult.objects.create(args_kwargs={"args": [], "kwargs": {}}, task_path="x.y", backend_name="default",
                                run_after=timezone.now())
    DBTaskResult.objects.create(args_kwargs={"args": [], "kwargs": {}}, task_path="notifications.tasks.send_email",
                                backend_name="default", run_after=timezone.now(), status="FAILED")
    OutgoingEmail.objects.create(recipients=["a@example.com"], subject="x", body="x", attempts=99)
    text = client.get("/metrics").content.decode()
    for outcome, delta in (("accepted", 1), ("refused", 1)):
        assert value(text, "ot24_evidence_uploads_total", outcome=outcome) - \
            value(before, "ot24_evidence_uploads_total", outcome=outcome) == delta, outcome
        assert value(text, "ot24_submissions_total", outcome=outcome) - \
            value(before, "ot24_submissions_total", outcome=outcome) == delta, outcome
    assert value(text, "ot24_task_queue_depth", queue="default", status="READY") >= 1
    assert value(text, "ot24_tasks_failed", task="notifications.tasks.send_email") == 1
    assert value(text, "ot24_outbox_emails", state="error") == 1
    assert value(text, "ot24_applications", status="submitted") >= 1
    # django-prometheus: requests by view and status, and a latency histogram by view.
    assert 'django_http_responses_total_by_status_view_method_total{method="GET",status="200",view="metrics"}' in text
    assert 'django_http_requests_latency_seconds_by_view_method_bucket{le="0.1",method="GET",view="metrics"}' in text


@pytest.mark.django_db
def test_readyz_says_how_many_migrations_are_not_applied():
    from django.db.migrations.recorder import MigrationRecorder
    from health_check.exceptions import ServiceUnavailable

    MigrationsApplied._applied_for.clear()
    MigrationRecorder.Migration.objects.filter(app="operations").delete()  # as before `manage.py migrate`
    with pytest.raises(ServiceUnavailable, match=r"^Unavailable: 1 migration\(s\) not applied$"):
        MigrationsApplied().run()
    MigrationRecorder.Migration.objects.create(app="operations", name="0001_initial")
    MigrationsApplied().run()
    assert MigrationsApplied._applied_for  # later probes skip the graph


@pytest.mark.django_db
def test_readyz_runs_only_the_checks_asked_for(client):
    """The balancer asks for the database and the migrations only: a store that is down leaves the pages to
    answer for themselves (in Italian) instead of taking every server out of the balancer."""
    answer = client.get("/readyz", {"check": ["database", "migrations"]})
    assert answer.status_code == 200
    assert set(answer.json()["checks"]) == {"database", "migrations"}
    assert client.get("/readyz", {"check": "nonsense"}).status_code == 400
