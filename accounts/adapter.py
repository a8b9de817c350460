"""How allauth fits the portal: the role chosen at sign-up (company or consultant only), e-mails written in
the recipient's language, the language switched to the user's own at log-in, the client address read
through the trusted proxies (accounts/throttling.py), and staff who may not remove their second factor."""
from __future__ import annotations

import time

from allauth.account import app_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context
from allauth.mfa.adapter import DefaultMFAAdapter
from django.conf import settings
from django.contrib.sites.shortcuts import get_current_site
from django.utils import translation

from .addresses import AddressError, canonical_email, canonical_email_or_none
from .throttling import client_ip


def language_for_email(email: str, context: dict) -> str | None:
    """The language of an e-mail to `email`: its account's preferred language, else None (the current
    request's language: anonymous flows such as sign-up of a new address)."""
    from .models import User

    user = context.get("user")
    if not isinstance(user, User):
        canonical = canonical_email_or_none(email)
        user = User.objects.filter(email=canonical).only("language").first() if canonical else None
    return user.language if user is not None and user.language else None


def context_request():
    """The request allauth is serving (allauth.core.context), or None outside one."""
    return context.request


def set_language_cookie(response, language: str):
    response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, max_age=settings.LANGUAGE_COOKIE_AGE,
                        path=settings.LANGUAGE_COOKIE_PATH, domain=settings.LANGUAGE_COOKIE_DOMAIN,
                        secure=settings.LANGUAGE_COOKIE_SECURE, httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                        samesite=settings.LANGUAGE_COOKIE_SAMESITE)
    return response


class AccountAdapter(DefaultAccountAdapter):
    def clean_email(self, email):
        """Every address allauth takes (sign-up, /account/email/, password reset) in its canonical form
        (accounts/addresses.py), or refused with the reason next to the field. allauth then looks
        accounts up exactly on that form."""
        try:
            return canonical_email(super().clean_email(email))
        except AddressError as error:
            raise error.as_validation_error() from None

    def is_open_for_signup(self, request):
        """Password sign-up for companies and consultants; production turns it off (OT24_PASSWORD_SIGNUP):
        they sign up with SPID or CIE (identity/), the sign-up page then shows only those buttons."""
        return settings.OT24_PASSWORD_SIGNUP

    def save_user(self, request, user, form, commit=True):
        from .models import User

        role = form.cleaned_data.get("role")
        # Sign-up makes company users and consultants only; staff come through invitations.
        user.role = role if role in (User.Role.COMPANY, User.Role.CONSULTANT) else User.Role.COMPANY
        user.language = translation.get_language() or settings.LANGUAGE_CODE
        if user.language not in dict(settings.LANGUAGES):
            user.language = settings.LANGUAGE_CODE
        user._self_signup = True  # accounts.signals: its address stays unverified until the link is used
        return super().save_user(request, user, form, commit=commit)

    def send_mail(self, template_prefix, email, context):
        """Every allauth e-mail (verification, reset, unknown account, account already exists, changes)
        is rendered here in the recipient's language and written to the portal's outbox
        (notifications.services.email_enqueue): the request writes one row whether or not the address
        has an account, and the mail server is talked to later, outside the request."""
        from notifications.services import email_enqueue

        request = context_request()
        ctx = {"request": request, "email": email, "current_site": get_current_site(request), **context}
        with translation.override(language_for_email(email, context) or translation.get_language()):
            message = self.render_mail(template_prefix, email, ctx)
        html = next((content for content, mimetype in getattr(message, "alternatives", []) if mimetype == "text/html"),
                    "")
        if message.content_subtype == "html":
            html, body = message.body, ""
        else:
            body = message.body
        email_enqueue(recipients=message.to, subject=message.subject, body=body, html_body=html)

    def send_notification_mail(self, template_prefix, user, context=None, email=None):
        """allauth's notice of a change to the account (password changed, set or reset; address changed or
        removed), written in the person's language: the user goes with the context, since the old address
        of an address change no longer finds the account (language_for_email)."""
        super().send_notification_mail(template_prefix, user, {"user": user, **(context or {})}, email)

    def post_login(self, request, user, **kwargs):
        """After log-in the portal speaks the user's language (session and language cookie)."""
        response = super().post_login(request, user, **kwargs)
        language = getattr(user, "language", "")
        if language in dict(settings.LANGUAGES):
            translation.activate(language)
            set_language_cookie(response, language)
        return response

    def is_reauthentication_required(self, *, app, **kwargs):
        """allauth asks for the password again before two-factor changes. A log-in within
        ACCOUNT_REAUTHENTICATION_TIMEOUT counts as recent, so staff sent to the set-up page right after
        their first log-in do not type the password twice."""
        required = super().is_reauthentication_required(app=app, **kwargs)
        request = context.request
        if not required or request is None or not request.user.is_authenticated:
            return required
        from allauth.account.authentication import get_authentication_records

        records = get_authentication_records(request, request.user)
        return not any(time.time() - record.get("at", 0) < app_settings.REAUTHENTICATION_TIMEOUT
                       for record in records)

    def pre_authenticate(self, request, **credentials):
        """allauth's per-e-mail counter of wrong passwords stays off: django-axes counts them by client
        address and locks an account only after many addresses (accounts/lockout.py), so a stranger cannot
        lock the owner out. ACCOUNT_RATE_LIMITS["login_failed"] budgets second-factor codes per user."""

    def get_client_ip(self, request):
        return client_ip(request) or super().get_client_ip(request)

    def get_password_change_redirect_url(self, request):
        """After "Password cambiata.": the profile, with the account's other settings (allauth shows the
        same empty form again)."""
        from django.urls import reverse

        return reverse("account_profile")


class MFAAdapter(DefaultMFAAdapter):
    def can_delete_authenticator(self, authenticator) -> bool:
        """Staff and administrators keep their authenticator app (they may regenerate recovery codes)."""
        from allauth.mfa.models import Authenticator

        if authenticator.type == Authenticator.Type.TOTP and getattr(authenticator.user, "requires_second_factor",
                                                                        False):
            return not settings.OT24_REQUIRE_STAFF_MFA
        return super().can_delete_authenticator(authenticator)
