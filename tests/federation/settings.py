"""A local OpenID Connect Federation for the SPID/CIE tests: spid-cie-oidc's own trust anchor and OpenID
providers, each a separate Django process on 127.0.0.1 (tests/federation/server.py), each with its own SQLite
database. The minimum of the package's example projects, nothing of their data: keys, entities and test users
are made by the test fixtures (tests/federation/conftest.py) and live in a temporary folder."""
import os

BASE_DIR = os.path.dirname(os.path.abspath(__file__))
SECRET_KEY = os.environ["FED_SECRET_KEY"]
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
APPEND_SLASH = False
ROOT_URLCONF = "tests.federation.urls"
USE_TZ = True
TIME_ZONE = "Europe/Rome"
LANGUAGE_CODE = "it-it"
USE_I18N = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
STATIC_URL = "static/"
# Two processes on one host: distinct session cookies, or logging in at one provider would end the other.
SESSION_COOKIE_NAME = "fed_" + os.environ["FED_NAME"]
CSRF_COOKIE_NAME = "fedcsrf_" + os.environ["FED_NAME"]

OIDCFED_DEFAULT_TRUST_ANCHOR = os.environ["FED_TRUST_ANCHOR"]
OIDCFED_TRUST_ANCHORS = [OIDCFED_DEFAULT_TRUST_ANCHOR]
OIDCFED_REQUIRED_TRUST_MARKS = []
OIDCFED_PROVIDER_PROFILE = os.environ.get("FED_PROFILE", "spid")
OIDCFED_DEFAULT_PROVIDER_PROFILE = OIDCFED_PROVIDER_PROFILE
OIDCFED_PROVIDER_SALT = os.environ["FED_SECRET_KEY"][:16]
OIDCFED_PROVIDER_MAX_CONSENT_TIMEFRAME = 3600
HTTPC_TIMEOUT = 8

LOGIN_URL = "/oidc/op/landing"
AUTH_USER_MODEL = "spid_cie_oidc_accounts.User"
INSTALLED_APPS = [
    "spid_cie_oidc.accounts",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "bootstrap_italia_template",
    "spid_cie_oidc.entity",
    "spid_cie_oidc.authority",
    "spid_cie_oidc.provider",
]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
]
TEMPLATES = [{
    "BACKEND": "django.template.backends.django.DjangoTemplates",
    "DIRS": [],
    "APP_DIRS": True,
    "OPTIONS": {"context_processors": [
        "django.template.context_processors.request",
        "django.contrib.auth.context_processors.auth",
        "django.contrib.messages.context_processors.messages",
    ]},
}]
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": os.environ["FED_DB"]}}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"spid_cie_oidc": {"handlers": ["console"], "level": "INFO"}},
}
