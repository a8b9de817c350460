"""Settings shared by every environment. Environment-specific modules import from here."""
from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()

DEBUG = False
SECRET_KEY = env("DJANGO_SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rules.apps.AutodiscoverRulesConfig",
    "axes",
    "csp",
    "crispy_forms",
    "crispy_bootstrap5",
    "bootstrap_italia_template",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "accounts",
    "interventions",
    "organisations",
    "applications",
    "evidence",
    "review",
    "notifications",
    "pages",
    "indicators",
    "stress",
    "backups",
    # SPID / CIE log-in (OpenID Connect Federation relying party, issue 32)
    "spid_cie_oidc.entity",
    "spid_cie_oidc.relying_party",
    "identity",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "ot24portal.middleware.SessionIdleRefreshMiddleware",
    "ot24portal.middleware.SessionAbsoluteLifetimeMiddleware",
    "ot24portal.middleware.ItalianFirstMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "ot24portal.middleware.NoStoreMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "ot24portal.middleware.StaffSecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
    "ot24portal.filestore.middleware.StorageUnavailableMiddleware",
]

ROOT_URLCONF = "ot24portal.urls"
WSGI_APPLICATION = "ot24portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# DATABASE_URL chooses the database; without it, a SQLite file in the project folder.
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # psycopg 3 binding parameters on the server, so that a statement run a second time on a connection
    # is prepared: PostgreSQL no longer parses and plans it again. `make bench` measured the database
    # server's CPU per page cut by 60-75% (floor page 0.8 -> 0.2 ms, a wizard section 1.2 -> 0.4 ms).
    # Behind a pooler that does not keep prepared statements (PgBouncer before 1.21 in transaction mode),
    # set DJANGO_DB_PREPARE_THRESHOLD=off.
    _prepare = env("DJANGO_DB_PREPARE_THRESHOLD", default="2")
    DATABASES["default"].setdefault("OPTIONS", {}).update({
        "server_side_binding": True,
        "prepare_threshold": None if _prepare.lower() in {"off", "none", ""} else int(_prepare),
    })
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite (development, `make run`): a transaction takes the write lock when it begins (BEGIN IMMEDIATE),
    # so that a request that first reads and then writes waits for another writer (up to `timeout` seconds)
    # instead of failing with "database is locked" when its read lock cannot be upgraded: several evidence
    # files sent at the same moment all arrive (issue 34).
    DATABASES["default"].setdefault("OPTIONS", {}).update({"transaction_mode": "IMMEDIATE", "timeout": 20})
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # log-in throttling and lock-out, first
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",  # e-mail is USERNAME_FIELD: allauth's {"email": ...} works
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

# Accounts (django-allauth): log in with e-mail and password, self sign-up for companies and consultants
# with the address verified by a link, password reset/change and e-mail change by allauth's views, the
# portal's templates (templates/account, templates/allauth). accounts/adapter.py: role at sign-up, e-mails
# in the user's language, client address through the trusted proxies.
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_FORMS = {"signup": "accounts.forms.SignupForm", "login": "accounts.forms.LoginForm",
                 "reset_password": "accounts.forms.ResetPasswordForm", "add_email": "accounts.forms.AddEmailForm",
                 "change_password": "accounts.forms.ChangePasswordForm"}
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS = 3
ACCOUNT_CONFIRM_EMAIL_ON_GET = False  # the link opens a page with a button: mail scanners do not confirm
ACCOUNT_CHANGE_EMAIL = True  # one address per account; a new one replaces it once verified
# A password change, set or reset tells the person, an address change tells the OLD address (issue 34): allauth's
# notifications, written from templates/account/email/ to the outbox by accounts.adapter.AccountAdapter.send_mail.
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_PREVENT_ENUMERATION = True  # "se l'indirizzo è registrato riceverai un'e-mail"
# A reset asked for an address without an account mails that address "no account here" (allauth's own
# template): known and unknown addresses then cost the same work, one outbox row (issue 28, finding 13).
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = True
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_LOGOUT_REDIRECT_URL = "login"
ACCOUNT_SESSION_REMEMBER = False  # sessions follow SESSION_COOKIE_AGE and the absolute lifetime
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[OT24] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = env("OT24_HTTP_PROTOCOL", default="http")
# Rate limits (per client address "ip", per e-mail "key", per user). Wrong passwords and wrong second-factor
# codes are counted by django-axes (below), which locks and shows the locked-out page; allauth's per-e-mail
# counter of wrong passwords is off (AccountAdapter.pre_authenticate): it would let a stranger lock the owner
# out. "login_failed" is allauth's budget of second-factor code attempts per user (accounts/mfa.py).
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "5/15m/key,20/d/key",
    "signup": "5/m/ip,20/h/ip",
    "reset_password": "5/m/ip,3/m/key,10/h/key",
    "reset_password_from_key": "20/m/ip",
    "confirm_email": "1/180s/key",  # re-sending the verification mail
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
    "reauthenticate": "10/m/user",
    # The portal's own: staff invitations ("Invita personale INAIL", accounts/admin.py), per administrator
    # and per invited address.
    "staff_invitation": "20/h/user,3/h/key",
}
# Production requires a cache shared by every process (accounts/checks.py); development and tests run one.
OT24_REQUIRE_SHARED_CACHE = False
OT24_STAFF_INVITATION_DAYS = 7  # the invitation link works once, for this many days

# Two-factor authentication (allauth.mfa): an authenticator app (TOTP) with recovery codes. Required for
# INAIL staff (reviewers, supervisors) and administrators: ot24portal.middleware.StaffSecondFactorMiddleware
# sends them to the set-up page until they have one.
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Portale OT24"
MFA_ADAPTER = "accounts.adapter.MFAAdapter"
MFA_FORMS = {"authenticate": "accounts.mfa.MFAAuthenticateForm", "reauthenticate": "accounts.mfa.MFAReauthenticateForm"}
OT24_REQUIRE_STAFF_MFA = True

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    # The portal's, for its Italian message (Django's catalogue lacks it).
    {"NAME": "accounts.validators.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "it"
LANGUAGES = [("it", "Italiano"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Rome"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# build/frontend/: the portal's share of Bootstrap Italia, built by scripts/build-frontend.sh (`make setup`; issue 35).
STATICFILES_DIRS = [BASE_DIR / "static", BASE_DIR / "build" / "frontend"]
FIXTURE_DIRS = [BASE_DIR / "fixtures" / "catalogue", BASE_DIR / "fixtures" / "demo"]

# Evidence files live outside any public folder (see the evidence issue).
PRIVATE_MEDIA_ROOT = Path(env("OT24_PRIVATE_MEDIA_ROOT", default=str(BASE_DIR / "private")))


def s3_storage(*, bucket: str, endpoint_url: str | None, access_key: str | None, secret_key: str | None) -> dict:
    """The evidence store in an S3-compatible bucket (django-storages). Objects are private (no ACL grants
    anybody a read; the portal's views serve them after their permission and hash checks). Names are
    content hashes, so writing the same name again writes the same bytes (file_overwrite). A store that does
    not answer fails fast: a 3 s connect timeout and one retry, so an upload or a download answers 503 in
    seconds instead of holding a web worker through botocore's default retries (ot24portal.filestore.storage)."""
    from botocore.config import Config

    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {
        "bucket_name": bucket, "endpoint_url": endpoint_url, "access_key": access_key, "secret_key": secret_key,
        "region_name": env("OT24_EVIDENCE_S3_REGION", default="us-east-1"),
        "default_acl": "private", "querystring_auth": True, "file_overwrite": True,
        "client_config": Config(connect_timeout=3, read_timeout=60, retries={"max_attempts": 2, "mode": "standard"},
                                signature_version="s3v4", s3={"addressing_style": "path"}),
        "transfer_config": s3_transfer_config()}}


def s3_transfer_config():
    """Uploads go in 5 MB parts (S3's smallest), two at a time, with at most two parts read into memory
    (s3transfer's max_in_memory_upload_chunks, default 10, which boto3's constructor does not take): an
    upload then costs the worker about 10-15 MB whatever its size. With boto3's defaults an 18 MB upload
    peaked at 37.5 MB of Python memory (tests/evidence/test_s3_storage.py)."""
    from boto3.s3.transfer import TransferConfig

    config = TransferConfig(multipart_threshold=5 * 1024 * 1024, multipart_chunksize=5 * 1024 * 1024,
                            max_concurrency=2)
    config.max_in_memory_upload_chunks = 2
    return config


def evidence_storage(private_root) -> dict:
    """Local private folder by default; S3-compatible object storage (django-storages) when
    OT24_EVIDENCE_S3_BUCKET is set. Files are never served by the storage itself, only by our views."""
    bucket = env("OT24_EVIDENCE_S3_BUCKET", default="")
    if bucket:
        return s3_storage(bucket=bucket, endpoint_url=env("OT24_EVIDENCE_S3_ENDPOINT_URL", default=None),
                          access_key=env("OT24_EVIDENCE_S3_ACCESS_KEY", default=None),
                          secret_key=env("OT24_EVIDENCE_S3_SECRET_KEY", default=None))
    return {"BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(Path(private_root) / "evidence"), "base_url": "/no-public-url/",
                        "file_permissions_mode": 0o640, "directory_permissions_mode": 0o750}}


STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "evidence": evidence_storage(PRIVATE_MEDIA_ROOT),
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Log-in lock-out (django-axes, accounts/lockout.py): 5 failures from one client address lock that address for
# one hour (whatever accounts they tried, so the pair account + address too); an account is locked for
# everybody only when failures against it come from OT24_LOCKOUT_ACCOUNT_SOURCES addresses within the hour,
# so a stranger cannot lock the owner out. Accounts are counted whatever the case of the e-mail, IPv6
# addresses by their /64. A wrong password at the submit step counts too (accounts/throttling.py). On
# success only the account's own failures are cleared (accounts/signals.py): axes' own reset would clear
# every failure from the address, so an attacker with an account of their own could log in between
# guesses and never be locked.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 1
AXES_LOCKOUT_PARAMETERS = ["ip_address"]
AXES_HANDLER = "accounts.lockout.LockoutHandler"
OT24_LOCKOUT_ACCOUNT_SOURCES = 10
AXES_USERNAME_FORM_FIELD = "login"  # allauth's log-in form
AXES_USERNAME_CALLABLE = "accounts.throttling.axes_username"
AXES_CLIENT_IP_CALLABLE = "accounts.lockout.lockout_address"
AXES_LOCKOUT_CALLABLE = "accounts.views.locked_out"
AXES_RESET_ON_SUCCESS = False
# The client address behind reverse proxies: with N trusted proxies in front of the portal, the N-th
# address from the right of OT24_CLIENT_IP_HEADER. 0 (default): REMOTE_ADDR only, the header is ignored.
OT24_TRUSTED_PROXY_COUNT = env.int("OT24_TRUSTED_PROXY_COUNT", default=0)
OT24_CLIENT_IP_HEADER = env("OT24_CLIENT_IP_HEADER", default="X-Forwarded-For")
# Shown on the locked-out page (the phone is optional).
OT24_SUPPORT_EMAIL = env("OT24_SUPPORT_EMAIL", default="assistenza@ot24.localhost")
OT24_SUPPORT_PHONE = env("OT24_SUPPORT_PHONE", default="")

# Content-Security-Policy (django-csp): no inline or third-party scripts, no inline styles (the templates have
# none: tests/test_security.py; scripts may still set element.style, which CSP allows).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Permissions-Policy (django-permissions-policy): the portal uses no device or browser feature; none is
# granted to it or to anything it could embed.
PERMISSIONS_POLICY = {feature: [] for feature in (
    "accelerometer", "autoplay", "browsing-topics", "camera", "display-capture", "encrypted-media",
    "geolocation", "gyroscope", "hid", "idle-detection", "magnetometer", "microphone", "midi", "payment",
    "publickey-credentials-get", "screen-wake-lock", "serial", "usb", "xr-spatial-tracking")}

# Database sessions read with one fixed statement (ot24portal/sessions.py): same table and rules as Django's.
SESSION_ENGINE = "ot24portal.sessions"
SESSION_COOKIE_AGE = 60 * 60 * 2
SESSION_REFRESH_SECONDS = 5 * 60  # idle timeout granularity (ot24portal.middleware.SessionIdleRefreshMiddleware)
# Absolute lifetime: a session ends this long after its log-in, however active (SessionAbsoluteLifetimeMiddleware).
OT24_SESSION_ABSOLUTE_SECONDS = env.int("OT24_SESSION_ABSOLUTE_SECONDS", default=12 * 60 * 60)
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

EMAIL_BACKEND = env("DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DJANGO_DEFAULT_FROM_EMAIL", default="OT24 <noreply@ot24.localhost>")

# `manage.py demo_data` (accounts with a published password, an administrator among them) only where this
# is on: the dev and test settings.
OT24_DEMO_DATA = False

# The OT24 rules that are settings, not catalogue data.
OT24_PAGINATE_BY = 25
# The portal's seal on signed PDFs (applications/signing.py).
OT24_SEAL_KEY_FILE = env("OT24_SEAL_KEY_FILE", default="")
OT24_SEAL_CERT_FILE = env("OT24_SEAL_CERT_FILE", default="")
OT24_SEAL_PKCS12_FILE = env("OT24_SEAL_PKCS12_FILE", default="")
OT24_SEAL_PKCS12_PASSWORD = env("OT24_SEAL_PKCS12_PASSWORD", default="")
OT24_SEAL_ALLOW_DEV_CERT = True
# Qualified signatures uploaded by applicants: a folder of trusted root/intermediate certificates (PEM/DER).
OT24_QUALIFIED_TRUST_ROOTS_DIR = env("OT24_QUALIFIED_TRUST_ROOTS_DIR", default=str(BASE_DIR / "trust-roots"))
OT24_DEV_CERT_DIR = env("OT24_DEV_CERT_DIR", default=str(BASE_DIR / "dev-certs"))
FILE_UPLOAD_HANDLERS = ["ot24portal.filestore.uploads.LimitUploadHandler", "ot24portal.filestore.uploads.MemoryUploadHandler",
                        "ot24portal.filestore.uploads.TemporaryUploadHandler"]
FILE_UPLOAD_TEMP_DIR = str(PRIVATE_MEDIA_ROOT / "tmp" / "uploads")  # beside the store: moved in by a rename
OT24_MAX_FILE_BYTES = env.int("OT24_MAX_FILE_BYTES", default=20 * 1024 * 1024)
OT24_MAX_APPLICATION_BYTES = env.int("OT24_MAX_APPLICATION_BYTES", default=200 * 1024 * 1024)
# A request body larger than this is not read (ot24portal.filestore.uploads); one file larger than
# OT24_MAX_FILE_BYTES is dropped as it arrives, never written past the limit.
OT24_MAX_REQUEST_BYTES = env.int("OT24_MAX_REQUEST_BYTES", default=2 * OT24_MAX_FILE_BYTES + 1024 * 1024)
# Every upload's content check runs in a child process under these budgets (ot24portal.filestore.filechecks);
# a file that exceeds them is refused. A 100 MB scanned PDF needs about 0.04 s of CPU and 1 MB, a 19 MB
# signed .p7m 19 MB, a 48 Mpx JPEG 2 MB; the worst crafted file is stopped just past the memory budget.
OT24_CHECK_CPU_SECONDS = env.float("OT24_CHECK_CPU_SECONDS", default=1.0)
OT24_CHECK_MEMORY_BYTES = env.int("OT24_CHECK_MEMORY_BYTES", default=48 * 1024 * 1024)  # goal: < 64 MB
OT24_MAX_IMAGE_PIXELS = env.int("OT24_MAX_IMAGE_PIXELS", default=50_000_000)  # a 48 Mpx camera photo passes
OT24_CLARIFICATION_DAYS = env.int("OT24_CLARIFICATION_DAYS", default=30)
# The portal's public address, for every link in an e-mail (notifications.services.absolute_url; no
# trailing slash). OT24_SITE_URL is its former name, still read from the environment when
# OT24_PUBLIC_URL is not set (deprecated).
OT24_PUBLIC_URL = env("OT24_PUBLIC_URL", default=env("OT24_SITE_URL", default="http://127.0.0.1:8000")).rstrip("/")

# ---------------------------------------------------------------------------------------------------------
# Operations (issue 30 sections 1 and 3; docs/operations.md): background work, health, logs, metrics.
# Kept in one block, apart from the security and cache settings, so that merges stay simple.
# ---------------------------------------------------------------------------------------------------------
INSTALLED_APPS += [  # noqa: F405
    "django_tasks",
    "django_tasks_db",
    "django_structlog",
    "django_prometheus",
    "operations",
]
# Requests are timed and counted by view and status (django-prometheus: first and last), and logged with a
# request id, the user's id, the status and the duration (django-structlog, operations.apps).
MIDDLEWARE = ["django_prometheus.middleware.PrometheusBeforeMiddleware", *MIDDLEWARE,
              "django_prometheus.middleware.PrometheusAfterMiddleware"]
MIDDLEWARE.insert(MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
                  "django_structlog.middlewares.RequestMiddleware")

# Django's Tasks API (the django-tasks backport) with the database backend: tasks are rows in the portal's
# database, run by `manage.py db_worker` processes (any number, on any machine that reaches the database).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# The outbox (notifications.tasks): a failed send is tried again after OT24_MAIL_RETRY_BASE_SECONDS, then
# twice as long each time (at most OT24_MAIL_RETRY_MAX_SECONDS), OT24_MAIL_MAX_ATTEMPTS times in all; then
# the e-mail shows as "in errore" in the administration (E-mail in uscita) and the task as failed.
OT24_MAIL_MAX_ATTEMPTS = env.int("OT24_MAIL_MAX_ATTEMPTS", default=10)
OT24_MAIL_RETRY_BASE_SECONDS = env.int("OT24_MAIL_RETRY_BASE_SECONDS", default=60)
OT24_MAIL_RETRY_MAX_SECONDS = env.int("OT24_MAIL_RETRY_MAX_SECONDS", default=6 * 60 * 60)
# Periodic work (operations.periodic): `manage.py run_scheduler` enqueues each job once per slot, however
# many schedulers run ("daily" at or after the given local time, or every N minutes).
OT24_PERIODIC_TASKS = {
    "send_reminders": {"task": "review.tasks.send_reminders", "daily": "06:00"},
    "stress_reminders": {"task": "stress.tasks.stress_reminders", "daily": "06:10"},
    "outbox_sweep": {"task": "notifications.tasks.send_stale_mail", "minutes": 15},
    "prune_task_results": {"task": "operations.tasks.prune_task_results", "daily": "03:30"},
    "clear_sessions": {"task": "operations.tasks.clear_sessions", "daily": "03:40"},
}
OT24_TASK_RESULTS_KEEP_DAYS = env.int("OT24_TASK_RESULTS_KEEP_DAYS", default=14)
OT24_FAILED_TASK_RESULTS_KEEP_DAYS = env.int("OT24_FAILED_TASK_RESULTS_KEEP_DAYS", default=90)

# /readyz (operations.views): the queue is "stuck" when a task due this long ago has not been started.
OT24_QUEUE_STUCK_SECONDS = env.int("OT24_QUEUE_STUCK_SECONDS", default=10 * 60)
OT24_READYZ_STORAGES = ["evidence"]  # each must accept a write, a read and a delete
OT24_READYZ_DATABASE = "default"  # the database alias whose connection, migrations and task queue are checked

# /metrics (Prometheus): only these client addresses or networks (after OT24_TRUSTED_PROXY_COUNT); 403
# for everybody else. With several gunicorn processes set PROMETHEUS_MULTIPROC_DIR (docs/operations.md).
OT24_METRICS_ALLOWED_IPS = env.list("OT24_METRICS_ALLOWED_IPS", default=["127.0.0.1", "::1"])
PROMETHEUS_LATENCY_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, float("inf"))

# Structured logs: console (readable) here and in development, JSON in production (OT24_LOG_FORMAT).
from ot24portal.logs import logging_config  # noqa: E402

OT24_LOG_FORMAT = env("OT24_LOG_FORMAT", default="console")
OT24_LOG_LEVEL = env("OT24_LOG_LEVEL", default="INFO")
LOGGING = logging_config(OT24_LOG_FORMAT, OT24_LOG_LEVEL)
DJANGO_STRUCTLOG_IP_LOGGING_ENABLED = False  # the request id and the user's id identify a request enough
DJANGO_STRUCTLOG_USER_ID_FIELD = "pk"
DJANGO_STRUCTLOG_STATUS_START_LOG_LEVEL = 10  # DEBUG: one line per request (request_finished carries it all)
# Behind a balancer that sets X-Request-ID, keep its id (the same id in the balancer's and the portal's logs).
DJANGO_STRUCTLOG_TRUST_UPSTREAM_REQUEST_ID = env.bool("OT24_TRUST_UPSTREAM_REQUEST_ID", default=False)
# --------------------------------------------------------------------------------------- end of Operations

# SPID / CIE log-in through OpenID Connect Federation (identity/, spid-cie-oidc's relying party; issue 32).
# The relying party's entity: its client_id (the entity's `sub`; by default the portal's /oidc/rp/), its two
# private key sets (federation and core, JSON JWK lists) from files, its metadata extras from a JSON file
# (organization_name, contacts, trust_marks...). The identity providers as a JSON list of
# {"id": "<provider entity id>", "name": "...", "profile": "spid"|"cie"}, each trusted through
# OT24_SPID_TRUST_ANCHOR. Nothing secret in the repository: production refuses to start without them
# (identity/checks.py); `manage.py spid_keys DIR` writes a fresh key pair set for development.
OT24_SPID_TRUST_ANCHOR = env("OT24_SPID_TRUST_ANCHOR", default="").rstrip("/")
OT24_SPID_RP_CLIENT_ID = env("OT24_SPID_RP_CLIENT_ID", default="")  # "" = OT24_PUBLIC_URL + /oidc/rp
OT24_SPID_RP_JWKS_FED_FILE = env("OT24_SPID_RP_JWKS_FED_FILE", default="")
OT24_SPID_RP_JWKS_CORE_FILE = env("OT24_SPID_RP_JWKS_CORE_FILE", default="")
OT24_SPID_RP_METADATA_FILE = env("OT24_SPID_RP_METADATA_FILE", default="")
OT24_SPID_PROVIDERS = env.json("OT24_SPID_PROVIDERS", default=[])
# The package's own settings, derived from the above.
OIDCFED_DEFAULT_TRUST_ANCHOR = OT24_SPID_TRUST_ANCHOR
OIDCFED_TRUST_ANCHORS = [OT24_SPID_TRUST_ANCHOR] if OT24_SPID_TRUST_ANCHOR else []
OIDCFED_IDENTITY_PROVIDERS = {"spid": {}, "cie": {}}
for _provider in OT24_SPID_PROVIDERS:
    OIDCFED_IDENTITY_PROVIDERS.setdefault(_provider.get("profile", "spid"), {})[_provider["id"]] = OT24_SPID_TRUST_ANCHOR
OIDCFED_REQUIRED_TRUST_MARKS = []
OIDCFED_ACR_PROFILES = "https://www.spid.gov.it/SpidL2"
RP_USER_CREATE = False  # identity/services.py creates or links the account by codice fiscale
HTTPC_TIMEOUT = 8
# A verified codice fiscale (SPID/CIE) required of whoever submits for a company (legal representative or
# signatory); without it the submission page shows it as not verified. Password sign-up for companies and
# consultants: production turns it off (SPID/CIE only); INAIL staff keep password + TOTP by invitation.
OT24_REQUIRE_VERIFIED_SIGNATORY = env.bool("OT24_REQUIRE_VERIFIED_SIGNATORY", default=False)
OT24_PASSWORD_SIGNUP = env.bool("OT24_PASSWORD_SIGNUP", default=True)
OT24_SPID_REQUIRED = False  # production: True (identity/checks.py)
