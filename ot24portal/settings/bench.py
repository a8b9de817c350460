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
