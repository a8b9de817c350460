"""Writes of the outbox: enqueue (inside the caller's transaction), send after the commit, retry.

The one mail path: every e-mail of the portal is rendered from a template under templates/notifications/
in its recipient's language (email_users, email_addresses; allauth's own e-mails through
accounts.adapter.AccountAdapter.send_mail) and written to the outbox by email_enqueue, never sent
directly. Links in e-mails start with settings.OT24_PUBLIC_URL (absolute_url)."""
from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone

from .models import OutgoingEmail

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 10


def header_safe(value: str, limit: int = 255) -> str:
    """One line for a mail header: every run of whitespace (CR and LF included) becomes one space, so a
    line break typed in a free-text field (a site's name) can neither add headers nor raise BadHeaderError."""
    return " ".join(str(value).split())[:limit]


def email_enqueue(*, recipients, subject: str, body: str, html_body: str = "") -> OutgoingEmail | None:
    """Record an e-mail with the change it reports and send it once that change is committed."""
    to = sorted({header_safe(r) for r in recipients if r and "@" in r})
    if not to:
        return None
    email = OutgoingEmail.objects.create(recipients=to, subject=header_safe(subject), body=body, html_body=html_body)
    transaction.on_commit(lambda: email_send(email.pk))
    return email


def absolute_url(path: str) -> str:
    """A link for an e-mail: the portal's public address (settings.OT24_PUBLIC_URL) and the path."""
    return settings.OT24_PUBLIC_URL.rstrip("/") + path


def email_users(users, template: str, context: dict) -> list[OutgoingEmail]:
    """One e-mail per language to these users, each rendered in the users' language (User.language):
    notifications/<template>_subject.txt, <template>.txt and, if there is one, <template>.html. Inactive
    users and users without an address are left out; a user listed twice gets one copy."""
    by_language: dict[str, set[str]] = {}
    for user in users:
        if user is not None and user.is_active and user.email:
            by_language.setdefault(_language(user.language), set()).add(user.email)
    return _enqueue_by_language(by_language, template, context)


def email_addresses(addresses, template: str, context: dict) -> list[OutgoingEmail]:
    """As email_users, for addresses (an invitation, the people a draft is ready for): an address that
    belongs to an account gets its account's language, any other the portal's (settings.LANGUAGE_CODE).
    Addresses are compared exactly, as stored (the canonical form, accounts/addresses.py)."""
    from django.contrib.auth import get_user_model

    addresses = {a for a in addresses if a and "@" in a}
    if not addresses:
        return []
    languages = dict(get_user_model().objects.filter(email__in=addresses).values_list("email", "language"))
    by_language: dict[str, set[str]] = {}
    for address in addresses:
        by_language.setdefault(_language(languages.get(address)), set()).add(address)
    return _enqueue_by_language(by_language, template, context)


def _language(language: str | None) -> str:
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def _enqueue_by_language(by_language: dict[str, set[str]], template: str, context: dict) -> list[OutgoingEmail]:
    """Render the template once per language (a lazy text in the context, gettext_lazy or
    django.utils.functional.lazy, is made inside that language) and queue it."""
    from django.template import TemplateDoesNotExist
    from django.template.loader import render_to_string
    from django.utils import translation

    sent = []
    for language, addresses in sorted(by_language.items()):
        with translation.override(language):
            ctx = {**context, "language": language}
            subject = render_to_string(f"notifications/{template}_subject.txt", ctx)
            body = render_to_string(f"notifications/{template}.txt", ctx)
            try:
                html = render_to_string(f"notifications/{template}.html", ctx)
            except TemplateDoesNotExist:
                html = ""
        email = email_enqueue(recipients=sorted(addresses), subject=subject, body=body, html_body=html)
        if email is not None:
            sent.append(email)
    return sent


def email_send(pk: int) -> bool:
    """Try to send one queued e-mail. Never raises: a failure is logged and counted for the retry."""
    email = OutgoingEmail.objects.filter(pk=pk, sent_at__isnull=True).first()
    if email is None:
        return False
    message = EmailMultiAlternatives(subject=header_safe(email.subject), body=email.body,
                                     from_email=settings.DEFAULT_FROM_EMAIL, to=email.recipients)
    if email.html_body:
        message.attach_alternative(email.html_body, "text/html")
    try:
        message.send(fail_silently=False)
    except Exception as exc:  # any backend failure: SMTP, network, bad header
        logger.exception("Sending mail %s failed (attempt %s); kept for send_pending_mail", pk, email.attempts + 1)
        OutgoingEmail.objects.filter(pk=pk).update(attempts=email.attempts + 1, last_error=f"{type(exc).__name__}: {exc}"[:2000])
        return False
    OutgoingEmail.objects.filter(pk=pk).update(attempts=email.attempts + 1, sent_at=timezone.now(), last_error="")
    return True


def email_send_pending(*, max_attempts: int = MAX_ATTEMPTS) -> tuple[int, int]:
    """Retry every unsent e-mail that has not used up its attempts: (sent, still failing)."""
    sent = failed = 0
    for pk in OutgoingEmail.objects.filter(sent_at__isnull=True, attempts__lt=max_attempts).values_list("pk", flat=True):
        if email_send(pk):
            sent += 1
        else:
            failed += 1
    return sent, failed
