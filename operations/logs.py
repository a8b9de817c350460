"""What django-structlog's request_finished line carries besides request_id, user_id and code: the
request's duration in milliseconds, and the name of the view (never a query string)."""
import time

from django.dispatch import receiver
from django_structlog import signals


@receiver(signals.bind_extra_request_metadata)
def _start_clock(request, logger, log_kwargs, **kwargs):
    request._ot24_started = time.perf_counter()
    log_kwargs["request"] = f"{request.method} {request.path}"  # without the query string (tokens, addresses)


@receiver(signals.bind_extra_request_finished_metadata)
def _add_duration(request, logger, response, log_kwargs, **kwargs):
    started = getattr(request, "_ot24_started", None)
    if started is not None:
        log_kwargs["duration_ms"] = round((time.perf_counter() - started) * 1000, 1)
    match = getattr(request, "resolver_match", None)
    if match is not None:
        log_kwargs["view"] = match.view_name
    log_kwargs["request"] = f"{request.method} {request.path}"  # without the query string (tokens, addresses)
