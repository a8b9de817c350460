"""Background work on Django's Tasks API (the django-tasks backport until Django 6; then only the import
changes). Two helpers every app uses:

- ``portal_task``: ``@task`` plus the request id. A task enqueued during a request carries that request's
  id (django-structlog binds it) in the keyword argument ``request_id``; the worker binds it again before
  the task runs, so the task's log lines can be found from the request that caused them.
- ``enqueue_on_commit``: enqueue only once the caller's transaction has committed, so a worker never
  runs a task for a change that was rolled back (nor before it can see it).
"""
from __future__ import annotations

import datetime as dt
import functools
import uuid

import structlog
from django.db import transaction
from django.utils import timezone
from django_tasks import task

__all__ = ["portal_task", "enqueue_on_commit", "enqueue_later", "current_request_id"]


def current_request_id() -> str | None:
    return structlog.contextvars.get_contextvars().get("request_id")


def portal_task(function=None, **options):
    """``@portal_task`` or ``@portal_task(priority=..., queue_name=...)``: a module-level task whose
    function also accepts ``request_id`` (added by enqueue_on_commit), bound to the logs while it runs."""

    def decorate(func):
        @functools.wraps(func)
        def run(*args, request_id: str | None = None, **kwargs):
            with structlog.contextvars.bound_contextvars(
                    request_id=request_id or f"task-{uuid.uuid4()}", task=f"{func.__module__}.{func.__name__}"):
                return func(*args, **kwargs)

        return task(**options)(run)

    return decorate(function) if function is not None else decorate


def _kwargs_with_request_id(kwargs: dict) -> dict:
    request_id = kwargs.pop("request_id", None) or current_request_id()
    return {**kwargs, "request_id": request_id} if request_id else kwargs


def enqueue_on_commit(portal_task_, *args, using: str | None = None, **kwargs) -> None:
    """Enqueue the task once the current transaction commits (at once outside a transaction). The
    request id is read now, while the request's context is still bound."""
    kwargs = _kwargs_with_request_id(kwargs)
    transaction.on_commit(lambda: portal_task_.enqueue(*args, **kwargs), using=using)


def enqueue_later(portal_task_, delay: dt.timedelta, *args, **kwargs):
    """Enqueue now (inside the caller's transaction: with the database backend the task row commits or
    rolls back with the caller's change) to run no earlier than ``delay`` from now."""
    kwargs = _kwargs_with_request_id(kwargs)
    return portal_task_.using(run_after=timezone.now() + delay).enqueue(*args, **kwargs)


def supports_defer() -> bool:
    """Whether the configured backend can run a task later (the database backend can; the immediate
    backend of the test settings cannot)."""
    from django_tasks import default_task_backend

    return bool(default_task_backend.supports_defer)
