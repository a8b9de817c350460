"""With the production settings, one gunicorn serves a styled portal by itself: the pages name the static
files by content hash (manifest storage) and the application serves them (WhiteNoise), compressed and
cacheable for ever. Real collectstatic into a temporary folder, real gunicorn, real HTTP."""
import gzip
import http.client
import os
import re
import secrets
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(port: int, path: str, **headers) -> tuple[int, dict, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    # As the reverse proxy in front says: the client spoke HTTPS (production redirects plain HTTP).
    conn.request("GET", path, headers={"Host": "localhost", "X-Forwarded-Proto": "https", **headers})
    response = conn.getresponse()
    body = response.read()
    conn.close()
    return response.status, {k.lower(): v for k, v in response.getheaders()}, body


def test_production_settings_serve_hashed_static_files_through_gunicorn(tmp_path):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "ot24portal.settings.production",
           "DJANGO_SECRET_KEY": secrets.token_urlsafe(64), "DJANGO_ALLOWED_HOSTS": "localhost",
           "DATABASE_URL": os.environ.get("DATABASE_URL", "postgres://nobody@127.0.0.1:9/none"),
           "DJANGO_STATIC_ROOT": str(tmp_path / "static")}
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env,
                   check=True, timeout=300)
    port = _free_port()
    # Launched as in production: the repository's gunicorn.conf.py (read from the working directory).
    server = subprocess.Popen([str(Path(sys.executable).parent / "gunicorn"), "ot24portal.wsgi:application",
                               "--config", str(ROOT / "gunicorn.conf.py"), "--workers", "1", "--bind", f"127.0.0.1:{port}", "--chdir", str(ROOT),
                               "--log-level", "warning"], env=env)
    try:
        for _ in range(200):
            try:
                status, _, page = _get(port, "/accesso/")
                break
            except OSError:
                time.sleep(0.1)
        else:
            raise AssertionError("gunicorn did not start")
        assert status == 200
        html = page.decode()
        # Issue 35: the portal's share of Bootstrap Italia (build/frontend/), collected like every static file.
        css = re.search(r'href="(/static/frontend/bootstrap-italia\.[0-9a-f]{12}\.css)"', html)
        assert css, "the page names the stylesheet by its hashed name"
        status, headers, body = _get(port, css.group(1), **{"Accept-Encoding": "gzip"})
        assert status == 200 and headers["content-type"].startswith("text/css")
        assert headers.get("content-encoding") == "gzip" and b".btn" in gzip.decompress(body)
        assert "immutable" in headers["cache-control"] or "max-age=315360000" in headers["cache-control"]
        # Issue 28, finding 17: no software banner, a Permissions-Policy, styles only from files.
        status, headers, _ = _get(port, "/accesso/")
        assert "server" not in headers, headers.get("server")
        assert "camera=()" in headers["permissions-policy"] and "geolocation=()" in headers["permissions-policy"]
        style_src = re.search(r"style-src ([^;]+)", headers["content-security-policy"]).group(1)
        assert "'unsafe-inline'" not in style_src
        own = re.search(r'href="(/static/ot24/portal\.[0-9a-f]{12}\.css)"', html)
        assert own and _get(port, own.group(1))[0] == 200
        assert _get(port, "/static/ot24/no-such-file.css")[0] == 404
    finally:
        server.terminate()
        server.wait(timeout=30)
