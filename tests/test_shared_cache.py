"""Rate limits hold across workers and servers (issue 28, finding 4): production keeps allauth's counters
(and its used TOTP codes) in a cache every gunicorn worker shares (the database cache table, created by
`migrate`), and refuses to start with a per-process cache."""
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from accounts.models import User

ROOT = Path(__file__).resolve().parents[1]
NEW_PASSWORD = "Cantiere-Sicuro-2027"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _database_url() -> str:
    """The test database (its name is test_…) as a URL for the server's own process."""
    db = connection.settings_dict
    password = f":{urllib.parse.quote(db['PASSWORD'])}" if db.get("PASSWORD") else ""
    return f"postgres://{urllib.parse.quote(db['USER'])}{password}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def _production_env(**extra) -> dict:
    import tempfile

    from tests.identity.test_identity import spid_production_env  # a production start needs the federation's

    return {**os.environ, **spid_production_env(tempfile.mkdtemp(prefix="ot24-spid-")),
            "DJANGO_SETTINGS_MODULE": "ot24portal.settings.production",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(64), "DJANGO_ALLOWED_HOSTS": "localhost",
            "DATABASE_URL": os.environ.get("DATABASE_URL", "postgres://nobody@127.0.0.1:9/none"), **extra}


def _post_signup(port: int, email: str, csrf: str) -> int:
    import http.client

    body = urllib.parse.urlencode({"csrfmiddlewaretoken": csrf, "email": email, "password1": NEW_PASSWORD,
                                   "password2": NEW_PASSWORD, "role": "company"})
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)  # a new connection: any worker
    conn.request("POST", "/account/signup/", body=body, headers={
        "Host": "localhost", "X-Forwarded-Proto": "https", "Origin": "https://localhost",
        "Referer": "https://localhost/account/signup/", "Cookie": f"csrftoken={csrf}",
        "Content-Type": "application/x-www-form-urlencoded"})
    status = conn.getresponse().status
    conn.close()
    return status


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(not os.environ.get("DATABASE_URL", "").startswith("postgres"),
                    reason="gunicorn's workers share the test database only on PostgreSQL")
def test_signup_limit_holds_across_three_gunicorn_workers():
    """The attack: 15 sign-ups from one address, each on a new connection, against 3 workers. The limit is
    5 a minute per address; with a cache per process each worker let 5 through."""
    # The benchmark's settings: production's, e-mails kept in memory (no SMTP server here).
    # Password sign-up switched back on: production offers SPID/CIE only (issue 32), the attack is on the form.
    env = _production_env(DATABASE_URL=_database_url(), DJANGO_SETTINGS_MODULE="ot24portal.settings.bench",
                          OT24_PASSWORD_SIGNUP="1")
    # What a deployment runs: migrate, which creates the cache table (accounts.apps).
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True,
                   timeout=300)
    port = _free_port()
    server = subprocess.Popen([str(Path(sys.executable).parent / "gunicorn"), "ot24portal.wsgi:application",
                               "--workers", "3", "--bind", f"127.0.0.1:{port}", "--chdir", str(ROOT),
                               "--log-level", "warning"], env=env)
    try:
        for _ in range(300):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        else:
            raise AssertionError("gunicorn did not start")
        time.sleep(1)  # every worker up
        csrf = secrets.token_hex(16)  # a CSRF secret of 32 characters, as the cookie and the form's token
        statuses = [_post_signup(port, f"raffica{i}@example.com", csrf) for i in range(15)]
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert statuses.count(302) == 5, statuses
    assert User.objects.filter(email__startswith="raffica").count() == 5


@pytest.mark.parametrize("backend", ["django.core.cache.backends.locmem.LocMemCache",
                                     "django.core.cache.backends.dummy.DummyCache"])
def test_a_per_process_cache_is_refused_in_production(settings, backend):
    from accounts.checks import shared_cache_errors

    settings.OT24_REQUIRE_SHARED_CACHE = True
    settings.CACHES = {"default": {"BACKEND": backend}}
    [error] = shared_cache_errors()
    assert error.id == "ot24.E001" and error.level >= 40
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache",
                                   "LOCATION": "ot24_cache"}}
    assert shared_cache_errors() == []
    settings.OT24_REQUIRE_SHARED_CACHE = False  # development and tests: one process, its own cache is enough
    settings.CACHES = {"default": {"BACKEND": backend}}
    assert shared_cache_errors() == []


def test_production_refuses_to_start_with_a_per_process_cache():
    """The production settings' own cache is the database table; a per-process one set by the environment
    stops `check --deploy` and the WSGI application (gunicorn's start)."""
    env = _production_env(DJANGO_CACHE_URL="locmemcache://")
    check = subprocess.run([sys.executable, "manage.py", "check", "--deploy"], cwd=ROOT, env=env,
                           capture_output=True, text=True, timeout=120)
    assert check.returncode != 0 and "ot24.E001" in check.stderr
    start = subprocess.run([sys.executable, "-c", "import ot24portal.wsgi"], cwd=ROOT, env=env,
                           capture_output=True, text=True, timeout=120)
    assert start.returncode != 0 and "ot24.E001" in start.stderr
    default = subprocess.run([sys.executable, "-c", "from django.conf import settings; import django; "
                              "django.setup(); print(settings.CACHES['default']['BACKEND'])"],
                             cwd=ROOT, env=_production_env(), capture_output=True, text=True, timeout=120)
    assert default.stdout.strip() == "django.core.cache.backends.db.DatabaseCache", default.stderr


@pytest.mark.django_db(transaction=True)
def test_migrate_creates_the_database_cache_table(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache",
                                   "LOCATION": "ot24_test_cache"}}
    try:
        call_command("migrate", "--noinput", verbosity=0)
        assert "ot24_test_cache" in connection.introspection.table_names()
        from django.core.cache import caches

        caches["default"].set("k", "v")
        assert caches["default"].get("k") == "v"
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE IF EXISTS ot24_test_cache")
