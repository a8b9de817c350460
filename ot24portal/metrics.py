"""The portal's own Prometheus counters, incremented by our services (django-prometheus adds requests by
view and status and their latency). Operations reads them at /metrics (operations.views.metrics); the
queue depth and the failed tasks and e-mails are read from the database at scrape time
(operations.metrics), so they are right whichever process or machine the worker runs on."""
from __future__ import annotations

import functools

from django.core.exceptions import PermissionDenied, ValidationError
from prometheus_client import Counter

UPLOADS = Counter("ot24_evidence_uploads", "Evidence uploads by the outcome of their checks",
                  ["outcome"])  # accepted, refused (a check or a rule said no), error (storage or a bug)
SUBMISSIONS = Counter("ot24_submissions", "Application submissions by outcome", ["outcome"])
MAIL_ATTEMPTS = Counter("ot24_mail_attempts", "Outbox sending attempts by outcome", ["outcome"])  # sent, failed


def count_outcomes(counter: Counter):
    """Decorate a service: counts 'accepted' when it returns, 'refused' on a ValidationError or
    PermissionDenied (the user is told why), 'error' on anything else. Never changes what it raises."""

    def decorate(func):
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            try:
                result = func(*args, **kwargs)
            except (ValidationError, PermissionDenied):
                counter.labels(outcome="refused").inc()
                raise
            except Exception:
                counter.labels(outcome="error").inc()
                raise
            counter.labels(outcome="accepted").inc()
            return result

        return wrapper

    return decorate
