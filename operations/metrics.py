"""The figures Prometheus reads at /metrics besides the per-process counters: read from the database at
scrape time, so they are the same whichever web process answers and wherever the workers run."""
from __future__ import annotations

import os

from prometheus_client import REGISTRY, CollectorRegistry, generate_latest, multiprocess
from prometheus_client.core import GaugeMetricFamily


class DatabaseFigures:
    """Queue depth by queue and status, failed tasks by task, the outbox waiting and in error, and the
    applications by status (submissions)."""

    def collect(self):
        from django.db.models import Count
        from django_tasks_db.models import DBTaskResult

        from applications.models import Application
        from notifications.models import OutgoingEmail
        from notifications.services import attempts_limit

        depth = GaugeMetricFamily("ot24_task_queue_depth", "Tasks ready or running, by queue and status",
                                  labels=["queue", "status"])
        for row in (DBTaskResult.objects.filter(status__in=["READY", "RUNNING"])
                    .values("queue_name", "status").annotate(n=Count("id")).order_by()):
            depth.add_metric([row["queue_name"], row["status"]], row["n"])
        yield depth
        failed = GaugeMetricFamily("ot24_tasks_failed", "Failed task results kept (not yet pruned), by task",
                                   labels=["task"])
        for row in DBTaskResult.objects.failed().values("task_path").annotate(n=Count("id")).order_by():
            failed.add_metric([row["task_path"]], row["n"])
        yield failed
        outbox = GaugeMetricFamily("ot24_outbox_emails", "Unsent e-mails of the outbox", labels=["state"])
        outbox.add_metric(["waiting"], OutgoingEmail.objects.filter(sent_at__isnull=True,
                                                                   attempts__lt=attempts_limit()).count())
        outbox.add_metric(["error"], OutgoingEmail.objects.filter(sent_at__isnull=True,
                                                                 attempts__gte=attempts_limit()).count())
        yield outbox
        apps = GaugeMetricFamily("ot24_applications", "Applications by status", labels=["status"])
        for row in Application.objects.values("status").annotate(n=Count("id")).order_by():
            apps.add_metric([row["status"]], row["n"])
        yield apps


def render() -> bytes:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):  # several gunicorn processes: add up their files
        process = CollectorRegistry()
        multiprocess.MultiProcessCollector(process)
    else:
        process = REGISTRY
    database = CollectorRegistry()
    database.register(DatabaseFigures())
    return generate_latest(process) + generate_latest(database)
