"""gunicorn's configuration for the portal, read by gunicorn from the folder it is started in (or with
`--config gunicorn.conf.py`): `gunicorn ot24portal.wsgi:application` from the project folder.

No `Server` banner (issue 28, finding 17). gunicorn 27 writes `Server: gunicorn` into every response's
first headers (gunicorn.http.wsgi.Response.default_headers; HTTP/2 responses take Response.version) and
has no setting to turn it off; its maintainers' answer is to handle it outside the application. This file
is the supported place to adapt the server at start-up: it drops that one line, before any worker forks.
tests/test_static_production.py checks the headers of a real gunicorn (a change in gunicorn shows there)."""
from gunicorn.http import wsgi as _wsgi


def _without_server_banner(default_headers):
    def headers(self):
        return [line for line in default_headers(self) if not line.lower().startswith("server:")]

    return headers


if not getattr(_wsgi.Response.default_headers, "ot24_no_banner", False):
    _wsgi.Response.default_headers = _without_server_banner(_wsgi.Response.default_headers)
    _wsgi.Response.default_headers.ot24_no_banner = True


# --- the web server's settings (deploy/stack.py, docs/operations.md) -------------------------------------------
# The address comes from the command line (-b) or GUNICORN_BIND; options on the command line win.
import os  # noqa: E402

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Synchronous workers, about two per core: pages answer in tens of milliseconds and uploads stream to disk
# (ot24portal.filestore.uploads). OT24_WEB_WORKERS overrides it.
workers = int(os.environ.get("OT24_WEB_WORKERS", "2"))
timeout = 120  # the largest upload at a slow connection, and sealing the largest application
graceful_timeout = 30
max_requests = 5000  # a worker is replaced now and then, bounding any slow growth of memory
max_requests_jitter = 500
errorlog = "-"  # the portal logs every request itself (structlog, with its request id): no access log
