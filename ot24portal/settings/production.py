"""Production: every secret from the environment; refuses to start without them."""
from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F401,F403
from .base import env

DEBUG = False
SECRET_KEY = env("DJANGO_SECRET_KEY", default="")
if len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set to a random value of at least 50 characters.")
if not env("DATABASE_URL", default=""):
    raise ImproperlyConfigured("DATABASE_URL must be set in production.")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")

SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True

OT24_SEAL_ALLOW_DEV_CERT = False  # a real seal must be configured (applications/signing.py)

EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = env("DJANGO_EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("DJANGO_EMAIL_PORT", default=587)
EMAIL_HOST_USER = env("DJANGO_EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("DJANGO_EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("DJANGO_EMAIL_USE_TLS", default=True)
STATIC_ROOT = env("DJANGO_STATIC_ROOT", default=str(BASE_DIR / "staticfiles"))
# The application serves its own static files (WhiteNoise, right after SecurityMiddleware): one gunicorn
# behind any proxy shows a styled portal. Names carry a content hash (manifest) and are served gzip/brotli
# compressed and cached for ever. `manage.py collectstatic` must run before start: without the manifest
# every page fails.
MIDDLEWARE = [*MIDDLEWARE]  # noqa: F405
MIDDLEWARE.insert(MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
                  "whitenoise.middleware.WhiteNoiseMiddleware")
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}}  # noqa: F405

# Persistent connections: opening a PostgreSQL connection (a new server process) on every request cost
# more than the page's queries (bench: load). Checked before reuse. Production only: the development
# server's thread per request would leak them.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60)  # noqa: F405
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True  # noqa: F405

# One cache for every worker and server: allauth's rate limits and used TOTP codes live there, so a cache per
# process would count each worker's share only. The database table by default (`migrate` creates it,
# accounts/checks.py); DJANGO_CACHE_URL may name Redis or Memcached instead (django-environ's cache URLs).
# A per-process cache is refused at start-up (accounts.checks, ot24.E001).
CACHES = {"default": env.cache("DJANGO_CACHE_URL", default="dbcache://ot24_cache")}
OT24_REQUIRE_SHARED_CACHE = True

ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https"  # links in verification, reset and invitation e-mails

# Operations (docs/operations.md): JSON log lines for the log collector.
from ot24portal.logs import logging_config  # noqa: E402

OT24_LOG_FORMAT = env("OT24_LOG_FORMAT", default="json")
LOGGING = logging_config(OT24_LOG_FORMAT, env("OT24_LOG_LEVEL", default="INFO"))
