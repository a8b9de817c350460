"""The checks of /readyz (django-health-check): a SELECT 1 on the request's connection, and ours for migrations,
writable storage and a task queue that moves. Each raises ServiceUnavailable with a short reason that
names no secret (no host, user or path)."""
from __future__ import annotations

import dataclasses
import datetime as dt
import typing

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db import Error as DatabaseError
from django.utils import timezone
from health_check.base import HealthCheck
from health_check.checks import Database, Storage
from health_check.exceptions import ServiceUnavailable


@dataclasses.dataclass
class DatabaseReachable(Database):
    """A SELECT 1 on the request's own connection (opened if it is not, kept for the next request as any
    page's), reported as 'database'. The library's check opens a connection of its own for each probe."""

    def __repr__(self):
        return "database"

    def run(self):
        try:
            with connections[self.alias].cursor() as cursor:
                cursor.execute("SELECT 1")
                if cursor.fetchone() != (1,):
                    raise ServiceUnavailable("database answered wrongly")
        except DatabaseError as exc:
            raise ServiceUnavailable("database unreachable") from exc


@dataclasses.dataclass
class MigrationsApplied(HealthCheck):
    """Every migration on disk is applied: a web server started before `manage.py migrate` is not ready."""

    alias: str = DEFAULT_DB_ALIAS

    # Once every migration this process knows is applied it stays so until the next deployment (a new
    # process): the graph (every migration module of every app) is not built again at each probe.
    _applied_for: typing.ClassVar[set] = set()

    def __repr__(self):
        return "migrations"

    def run(self):
        from django.db.migrations.executor import MigrationExecutor

        key = (self.alias, connections[self.alias].settings_dict.get("NAME"))
        if key in self._applied_for:
            return
        try:
            connection = connections[self.alias]
            executor = MigrationExecutor(connection)
            plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
        except DatabaseError as exc:
            raise ServiceUnavailable("database unreachable") from exc
        if plan:
            raise ServiceUnavailable(f"{len(plan)} migration(s) not applied")
        self._applied_for.add(key)


@dataclasses.dataclass
class StorageWritable(Storage):
    """The library's write, read and delete of a test file; a refused write is a clear reason, not the
    library's 'unknown error'."""

    def __repr__(self):
        return f"storage:{self.alias}"

    def get_file_name(self):
        return f"readyz/{super().get_file_name().rsplit('/', 1)[1]}"

    def run(self):
        try:
            super().run()
        except OSError as exc:
            raise ServiceUnavailable(f"storage not writable ({type(exc).__name__})") from exc


@dataclasses.dataclass
class TaskQueueMoving(HealthCheck):
    """No task has been due for longer than OT24_QUEUE_STUCK_SECONDS without a worker starting it (the
    workers are down, or too few for the load)."""

    alias: str = DEFAULT_DB_ALIAS

    def __repr__(self):
        return "task_queue"

    def run(self):
        from django.db.models import Q
        from django_tasks_db.models import DBTaskResult, get_date_max

        try:
            limit = timezone.now() - dt.timedelta(seconds=settings.OT24_QUEUE_STUCK_SECONDS)
            # A task is due from its run_after, or from when it was enqueued if it has none (the backend
            # stores "none" as the year 9999).
            stuck = DBTaskResult.objects.using(self.alias).ready().filter(
                Q(run_after=get_date_max(), enqueued_at__lt=limit) | Q(run_after__lt=limit)).count()
        except DatabaseError as exc:
            raise ServiceUnavailable("database unreachable") from exc
        if stuck:
            raise ServiceUnavailable(f"{stuck} task(s) due for more than {settings.OT24_QUEUE_STUCK_SECONDS} s "
                                     "and not started: are the workers running?")


def readiness_checks() -> list:
    database = {"alias": settings.OT24_READYZ_DATABASE}
    return [(DatabaseReachable, database), (MigrationsApplied, database),
            *((StorageWritable, {"alias": alias}) for alias in settings.OT24_READYZ_STORAGES),
            (TaskQueueMoving, database)]
