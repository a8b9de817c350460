"""`make stack` (deploy/stack.py): the production settings, on 127.0.0.1 without HTTPS.

Everything production does stays: PostgreSQL with health-checked persistent connections, the shared database
cache, the S3 store, WhiteNoise, JSON logs. Only what needs a certificate is off, because the balancer listens on
plain HTTP on 127.0.0.1: the redirect to HTTPS, HSTS and the Secure flag of the cookies (a browser would not
send a Secure cookie back over http://127.0.0.1:8080), and SPID/CIE, which needs a federation. The seal uses the development certificate, mail is
written to files (one per message, in OT24_STACK_MAIL_DIR) so that a test can count every e-mail sent, and the
demo data may be loaded."""
from .production import *  # noqa: F401,F403
from .production import env

SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = False
SECURE_HSTS_PRELOAD = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http"

# No SPID/CIE federation on 127.0.0.1: the demo logins use passwords (tests/federation/ runs a local federation
# for the SPID/CIE tests themselves).
OT24_SPID_REQUIRED = False
OT24_PASSWORD_SIGNUP = True
OT24_SEAL_ALLOW_DEV_CERT = True
OT24_DEMO_DATA = True
EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = env("OT24_STACK_MAIL_DIR")
