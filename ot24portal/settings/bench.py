"""`make bench` only: the production settings, served over plain HTTP on loopback by gunicorn, with one
extra minimal view as the load test's baseline (bench/urls.py). Never used to serve real users."""
from .production import *  # noqa: F401,F403

SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
OT24_SEAL_ALLOW_DEV_CERT = True  # the bench machine has no real seal; sealing cost is the same
ROOT_URLCONF = "bench.urls"
# The benchmark's generated users log in by session cookie (the load mix has no log-in): a fast hasher
# keeps generating them quick. E-mails stay in memory (no SMTP server on the bench machine).
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

import os  # noqa: E402

# The deadline's rush (bench/rush.py, issue 35) confirms each submission with the password, as people do: its
# server checks passwords with production's hashers (Django's default, PBKDF2), whose cost is part of "Invia".
if os.environ.get("OT24_BENCH_PASSWORD_HASHERS") == "production":
    del PASSWORD_HASHERS
# What the observability middlewares cost a request (bench/overhead.py): a server started without them.
_WITHOUT = {"prometheus": "django_prometheus.middleware.", "structlog": "django_structlog.middlewares."}
for _name in filter(None, os.environ.get("OT24_BENCH_WITHOUT_MIDDLEWARE", "").split(",")):
    MIDDLEWARE = [m for m in MIDDLEWARE if not m.startswith(_WITHOUT[_name])]  # noqa: F405
