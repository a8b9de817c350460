"""Writes of the outbox: enqueue (inside the caller's transaction), send after the commit, retry."""
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
    """A link for an e-mail: the portal's address (settings.OT24_SITE_URL) and the path."""
    return settings.OT24_SITE_URL.rstrip("/") + path


def email_users(users, template: str, context: dict) -> list[OutgoingEmail]:
    """One e-mail per language to these users, each rendered in the users' language (User.language):
    notifications/<template>_subject.txt, <template>.txt and <template>.html. Inactive users and users
    without an address are left out; a user listed twice gets one copy."""
    from django.template.loader import render_to_string
    from django.utils import translation

    by_language: dict[str, set[str]] = {}
    for user in users:
        if user is not None and user.is_active and user.email:
            language = user.language if user.language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
            by_language.setdefault(language, set()).add(user.email)
    sent = []
    for language, addresses in sorted(by_language.items()):
        with translation.override(language):
            ctx = {**context, "language": language}
            subject = render_to_string(f"notifications/{template}_subject.txt", ctx)
            body = render_to_string(f"notifications/{template}.txt", ctx)
            html = render_to_string(f"notifications/{template}.html", ctx)
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
