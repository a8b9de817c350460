import re
import time

import pytest
from django.core.cache import cache

from accounts.demo import add_authenticator, current_code


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """allauth's rate limits and used TOTP codes live in the cache: each test starts without them."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def staff_mfa(settings):
    """The second-factor requirement as in production (the test settings turn it off for the older suite)."""
    settings.OT24_REQUIRE_STAFF_MFA = True
    return settings


def outbox() -> list:
    """The e-mails the requests queued in the portal's outbox (notifications.OutgoingEmail), oldest first:
    allauth's mail is written there and sent after the request (accounts.adapter.send_mail)."""
    from notifications.models import OutgoingEmail

    return list(OutgoingEmail.objects.order_by("pk"))


def link_in(message) -> str:
    """The path of the first portal link in an e-mail (a queued one or a sent one)."""
    return re.search(r"https?://[^/\s]+(/\S+)", message.body).group(1)


def give_totp(user, secret="JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"):
    from allauth.mfa.models import Authenticator

    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        add_authenticator(user, secret)
    return secret


def totp_code(secret, margin: float = 5.0) -> str:
    """The authenticator's current code, read at least `margin` seconds before its period (30 s) ends: a code
    read at the end of one period and checked in the next is refused (allauth's MFA_TOTP_TOLERANCE is 0), so a
    test that reads it then posts it could fail about once in a few hundred runs."""
    from allauth.mfa import app_settings

    left = app_settings.TOTP_PERIOD - time.time() % app_settings.TOTP_PERIOD
    if left < margin:
        time.sleep(left + 0.05)
    return current_code(secret)
