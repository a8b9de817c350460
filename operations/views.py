"""/healthz, /readyz and /metrics. None of them needs a session or a user: the balancer and Prometheus
call them without cookies."""
from __future__ import annotations

import ipaddress
import logging
import timeit

from django.conf import settings
from django.db import transaction
from django.http import HttpResponse, HttpResponseForbidden, JsonResponse
from django.utils.cache import add_never_cache_headers, patch_vary_headers
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.http import require_GET
from health_check.base import HealthCheckResult
from health_check.exceptions import HealthCheckException
from health_check.views import HealthCheckView

from .health import readiness_checks

logger = logging.getLogger(__name__)


@require_GET
def healthz(request):
    """The process is alive and answers: no database, no storage (a balancer restarts what fails this)."""
    response = JsonResponse({"status": "ok"})
    add_never_cache_headers(response)
    return response


class ReadyView(HealthCheckView):
    """django-health-check's view, always JSON: {"status": "ok"|"unavailable", "checks": {name: "OK" or
    the reason}}, 200 when every check passes and 503 otherwise (the balancer sends no traffic here).

    The checks run one after the other in the request's own thread, on the worker's persistent database
    connection (CONN_MAX_AGE, checked by CONN_HEALTH_CHECKS), not as the library runs them: an event loop
    for the request, a thread per check and a new PostgreSQL connection (a new server process) for each,
    closed again. The balancer probes each server every second (deploy/haproxy.cfg): one probe
    (?check=database&check=migrations, bench settings) cost the gunicorn worker and PostgreSQL 13.4 ms of
    CPU that way, 2.6 ms this way (load 4.7-5.4; docs/performance.md). A check that hangs holds its worker as any page
    whose database hangs would; the balancer's own probe timeout marks the server down."""

    def get_checks(self):
        self.checks = readiness_checks()
        return super().get_checks()

    @method_decorator(transaction.non_atomic_requests)
    def dispatch(self, request, *args, **kwargs):
        response = View.dispatch(self, request, *args, **kwargs)  # the library's own dispatch is async
        patch_vary_headers(response, ["Accept"])
        add_never_cache_headers(response)
        return response

    def get(self, request, *args, **kwargs):
        # ?check=database&check=migrations: only those (the balancer asks for what makes a server unable to serve
        # at all; an object store or a queue that is down is answered by the pages themselves, in Italian).
        wanted = set(request.GET.getlist("check"))
        checks = [check for check in self.get_checks() if not wanted or repr(check) in wanted]
        unknown = wanted - {repr(check) for check in checks}
        if unknown:
            return JsonResponse({"status": "unknown check", "checks": sorted(unknown)}, status=400)
        self.results = [result_of(check) for check in checks]
        failed = any(result.error for result in self.results)
        return JsonResponse({
            "status": "unavailable" if failed else "ok",
            "checks": {repr(result.check): str(result.error) if result.error else "OK" for result in self.results},
        }, status=503 if failed else 200)


def result_of(check) -> HealthCheckResult:
    """One check run in this thread, reported as the library's HealthCheck.get_result reports it."""
    start = timeit.default_timer()
    try:
        check.run()
    except HealthCheckException as exc:
        error = exc
        logger.warning("Health check %r failed", check, exc_info=True)
    except Exception:
        logger.exception("Unexpected exception during health check")
        error = HealthCheckException("unknown error")
    else:
        error = None
    return HealthCheckResult(check=check, error=error, time_taken=timeit.default_timer() - start)


readyz = ReadyView.as_view()


def metrics_allowed(request) -> bool:
    """The client's address (behind OT24_TRUSTED_PROXY_COUNT proxies, as the log-in throttling reads it)
    is in OT24_METRICS_ALLOWED_IPS (addresses or networks)."""
    from accounts.throttling import client_ip

    try:
        address = ipaddress.ip_address(client_ip(request) or "")
    except ValueError:
        return False
    for allowed in settings.OT24_METRICS_ALLOWED_IPS:
        try:
            if address in ipaddress.ip_network(allowed, strict=False):
                return True
        except ValueError:
            continue
    return False


@require_GET
def metrics(request):
    """Prometheus' text format: django-prometheus' request and database metrics, the portal's counters
    (ot24portal.metrics) and the figures read from the database now (operations.metrics). Only for the
    operators' network (OT24_METRICS_ALLOWED_IPS): 403 for everybody else."""
    if not metrics_allowed(request):
        return HttpResponseForbidden("Forbidden", content_type="text/plain")
    from prometheus_client import CONTENT_TYPE_LATEST

    from .metrics import render

    response = HttpResponse(render(), content_type=CONTENT_TYPE_LATEST)
    add_never_cache_headers(response)
    return response
