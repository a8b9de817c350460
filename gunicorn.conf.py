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
