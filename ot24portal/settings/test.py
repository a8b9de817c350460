"""Tests: PostgreSQL through DATABASE_URL (set by `make test`), fast password hashing."""
import tempfile
from pathlib import Path

from .base import *  # noqa: F401,F403
from .base import STORAGES, env, evidence_storage

SECRET_KEY = "test-only-key"
OT24_DEMO_DATA = True  # tests load the demo (tests/test_project.py), administrator included
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
PRIVATE_MEDIA_ROOT = Path(env("OT24_PRIVATE_MEDIA_ROOT", default=tempfile.mkdtemp(prefix="ot24-test-media-")))
STORAGES = {**STORAGES, "evidence": evidence_storage(PRIVATE_MEDIA_ROOT)}  # noqa: F405
FILE_UPLOAD_TEMP_DIR = str(PRIVATE_MEDIA_ROOT / "tmp" / "uploads")
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # Without scripts/with-postgres.sh: a SQLite file as `make run` has, not the shared in-memory database,
    # whose table locks are not the file's (the tests of concurrent writes run on both databases).
    DATABASES["default"]["TEST"] = {"NAME": str(Path(tempfile.mkdtemp(prefix="ot24-test-db-")) / "test.sqlite3")}  # noqa: F405
OT24_DEV_CERT_DIR = env("OT24_DEV_CERT_DIR", default=tempfile.mkdtemp(prefix="ot24-test-certs-"))
# The test client's login() authenticates without a request, which django-axes refuses; the lock-out
# itself is tested through the real login form with the full backend list (tests/test_security.py).
from .base import AUTHENTICATION_BACKENDS as _ALL_BACKENDS  # noqa: E402

AUTHENTICATION_BACKENDS = [b for b in _ALL_BACKENDS if not b.startswith("axes.")]
# The existing suite logs reviewers and administrators in with force_login and creates them with
# tests/factories.py, without an authenticator app: the second-factor requirement is off here and
# switched on explicitly by the tests of accounts, the permission matrix and the two-factor e2e journey.
OT24_REQUIRE_STAFF_MFA = False
# allauth's per-address log-in limit lives in the process cache, shared by every test from 127.0.0.1 (the
# hypothesis fuzzing alone posts hundreds of log-ins): off here, tested with its production value in
# tests/accounts/test_self_service.py. Log-in failures stay locked by django-axes.
from .base import ACCOUNT_RATE_LIMITS as _RATE_LIMITS  # noqa: E402

ACCOUNT_RATE_LIMITS = {**_RATE_LIMITS, "login": None}

# Operations: tasks run in the process at once when enqueued (on commit), as mail was sent before; the tests
# of background work (tests/operations) switch to the database backend and run a real worker. Quiet logs.
TASKS = {"default": {"BACKEND": env("OT24_TEST_TASKS_BACKEND",
                                     default="django_tasks.backends.immediate.ImmediateBackend")}}
from ot24portal.logs import logging_config  # noqa: E402

LOGGING = logging_config("console", "WARNING")
