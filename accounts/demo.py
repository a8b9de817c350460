"""Demo accounts and the second factor: INAIL staff and administrators must log in with a TOTP code, so the
demo ones get an authenticator with a fixed, published secret (development and test settings only,
OT24_DEMO_DATA). Any authenticator app accepts it, or `manage.py demo_totp EMAIL` prints the current code."""
from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

DEMO_TOTP_SECRET = "OT24DEMOOT24DEMOOT24DEMOOT24DEMO"  # base32, published in the README: demo only


def ensure_demo_second_factors() -> list[str]:
    """Gives every demo user who needs a second factor (reviewers, supervisors, administrators) a TOTP
    authenticator with DEMO_TOTP_SECRET. Idempotent; returns their e-mails."""
    from allauth.mfa.models import Authenticator

    from .models import User

    if not settings.OT24_DEMO_DATA:
        raise ImproperlyConfigured("Demo second factors only with OT24_DEMO_DATA = True.")
    emails = []
    for user in User.objects.filter(email__endswith="@ot24.example").order_by("email"):
        if not user.requires_second_factor:
            continue
        if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
            add_authenticator(user, DEMO_TOTP_SECRET)
        emails.append(user.email)
    return emails


def add_authenticator(user, secret: str | None = None):
    """Give `user` an authenticator app with this base32 secret (a random one if none): the row allauth's set-up
    page stores (the secret encrypted by allauth.mfa.utils.encrypt, the MFA adapter's hook). Unlike that page it
    creates no recovery codes and sends no signal or e-mail: for demo accounts, tests and the bench."""
    import pyotp
    from allauth.mfa.models import Authenticator
    from allauth.mfa.utils import encrypt

    return Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP,
                                        data={"secret": encrypt(secret or pyotp.random_base32())})


def current_code(secret: str = DEMO_TOTP_SECRET, at: float | None = None) -> str:
    """The code an authenticator app shows for `secret` now (or at the Unix time `at`): RFC 6238 through pyotp,
    with allauth's period and digits (allauth.mfa.app_settings; SHA-1 as allauth)."""
    import pyotp
    from allauth.mfa import app_settings

    totp = pyotp.TOTP(secret, digits=app_settings.TOTP_DIGITS, interval=app_settings.TOTP_PERIOD)
    return totp.now() if at is None else totp.at(at)


def otpauth_uri(email: str, secret: str = DEMO_TOTP_SECRET) -> str:
    from urllib.parse import quote

    return f"otpauth://totp/{quote('Portale OT24')}:{quote(email)}?secret={secret}&issuer={quote('Portale OT24')}"
