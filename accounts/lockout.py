"""Who a log-in lock-out stops (django-axes, AXES_HANDLER). A stranger must not be able to lock the owner
out: failures lock the address they come from (AXES_LOCKOUT_PARAMETERS = ["ip_address"], which also
covers the pair account + address), and the account itself only once failures against it come from
OT24_LOCKOUT_ACCOUNT_SOURCES different addresses within the cool-off (a distributed guess, which the
owner ends with a password reset). IPv6 addresses count by their /64 network, one subscriber's share:
rotating addresses inside it buys no more guesses."""
from __future__ import annotations

import ipaddress

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_client_username, get_failure_limit
from axes.models import AccessAttempt
from django import forms
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.utils.translation import gettext_lazy as _

from .throttling import client_ip

IPV6_PREFIX = 64


def lockout_address(request) -> str | None:
    """AXES_CLIENT_IP_CALLABLE: the client's address (accounts.throttling.client_ip); for IPv6 its /64."""
    address = client_ip(request)
    try:
        parsed = ipaddress.ip_address(address)
    except (TypeError, ValueError):
        return address
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped is not None:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.IPv6Network(f"{parsed}/{IPV6_PREFIX}", strict=False).network_address)
    return str(parsed)


def account_sources(request, username: str) -> int:
    """How many addresses failed to log in to this account within the cool-off."""
    return (AccessAttempt.objects.filter(username=username, attempt_time__gte=get_cool_off_threshold(request))
            .values("ip_address").distinct().count())


class LockoutHandler(AxesDatabaseHandler):
    def get_failures(self, request, credentials: dict | None = None) -> int:
        failures = super().get_failures(request, credentials)  # the address's failures (any account)
        limit = get_failure_limit(request, credentials)
        if failures >= limit:
            return failures
        username = get_client_username(request, credentials)
        if username and account_sources(request, username) >= settings.OT24_LOCKOUT_ACCOUNT_SOURCES:
            return limit
        return failures


def refuse_if_locked_out(request, user) -> None:
    """A locked-out client (or account) gets axes' locked-out page (AxesMiddleware) and no check at all."""
    if request is not None and not AxesProxyHandler.is_allowed(request, {"username": user.get_username()}):
        request.axes_locked_out = True
        raise forms.ValidationError(_("Accesso temporaneamente bloccato"), code="locked_out")


def record_failure(request, user) -> None:
    """One log-in failure for django-axes (user_login_failed, as authenticate() sends it); axes marks the
    request locked out when this one reaches the limit."""
    if request is not None:
        user_login_failed.send(sender=__name__, credentials={"username": user.get_username()}, request=request)
