"""What django-axes counts log-in failures by: the e-mail as the portal stores it, and the client's
address as seen through the trusted reverse proxies. Also the password check of the submit step, which
goes through the same lock (a password typed anywhere is a password guess)."""
from __future__ import annotations

import ipaddress

from django.conf import settings
from django.contrib.auth import authenticate


def normalise_username(username: str | None) -> str | None:
    """E-mails are stored and looked up in their canonical form (accounts/addresses.py): every spelling
    of one address is one account, so one counter. Text without a canonical form logs nobody in; it is
    counted as typed (stripped, lower-case)."""
    from .addresses import canonical_email_or_none

    if not isinstance(username, str):
        return username
    return canonical_email_or_none(username) or username.strip().lower()


def axes_username(request, credentials: dict | None = None) -> str | None:
    """AXES_USERNAME_CALLABLE: the e-mail of the attempt, normalised. allauth authenticates with
    credentials {"email": ..., "password": ...}; other callers (the submit step) with "username"; without
    credentials, the posted log-in form's field (allauth's "login", AXES_USERNAME_FORM_FIELD)."""
    if credentials:
        for key in ("email", "username", settings.AXES_USERNAME_FORM_FIELD):
            if credentials.get(key):
                return normalise_username(credentials[key])
    data = getattr(request, "data", None) or getattr(request, "POST", {})
    return normalise_username(data.get(settings.AXES_USERNAME_FORM_FIELD))


def client_ip(request) -> str | None:
    """AXES_CLIENT_IP_CALLABLE. Without trusted proxies (OT24_TRUSTED_PROXY_COUNT=0) the peer's address:
    any forwarding header is the client's own words. With N proxies, each appends the address it
    received the request from, so the client is the N-th address from the right; what the client wrote
    itself stays on the left and is ignored. A header with fewer hops than proxies, or a value that is
    not an address, falls back to the peer's address."""
    remote = request.META.get("REMOTE_ADDR")
    count = settings.OT24_TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote
    meta_key = "HTTP_" + settings.OT24_CLIENT_IP_HEADER.upper().replace("-", "_")
    hops = [hop.strip() for hop in request.META.get(meta_key, "").split(",") if hop.strip()]
    if len(hops) < count:
        return remote
    try:
        return str(ipaddress.ip_address(hops[-count]))
    except ValueError:
        return remote


def password_confirms(request, user, password: str) -> bool:
    """The logged-in user's password typed again (submit step). Through authenticate(), so a locked-out
    account is refused and a wrong password is recorded as a log-in failure (user_login_failed) that
    counts toward the lock-out like one on the log-in page."""
    if request is None:
        return user.check_password(password)
    authenticated = authenticate(request, username=user.get_username(), password=password)
    return authenticated is not None and authenticated.pk == user.pk
