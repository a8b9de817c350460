"""Writes of the outbox: enqueue (inside the caller's transaction), send by a background task after the
commit (notifications.tasks), retry with a growing delay, then leave it "in errore" for an administrator.

The one mail path: every e-mail of the portal is rendered from a template under templates/notifications/
in its recipient's language (email_users, email_addresses; allauth's own e-mails through
accounts.adapter.AccountAdapter.send_mail) and written to the outbox by email_enqueue, never sent
directly. Links in e-mails start with settings.OT24_PUBLIC_URL (absolute_url)."""
from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone

from ot24portal.metrics import MAIL_ATTEMPTS

from .models import OutgoingEmail

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 10  # the default of settings.OT24_MAIL_MAX_ATTEMPTS


def attempts_limit() -> int:
    return getattr(settings, "OT24_MAIL_MAX_ATTEMPTS", MAX_ATTEMPTS)


def retry_delay(attempts: int) -> dt.timedelta:
    """How long to wait after the attempts-th failed attempt: the base, doubled each time, capped."""
    base = settings.OT24_MAIL_RETRY_BASE_SECONDS
    return dt.timedelta(seconds=min(base * 2 ** max(attempts - 1, 0), settings.OT24_MAIL_RETRY_MAX_SECONDS))


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
    from ot24portal.tasking import enqueue_on_commit

    from .tasks import send_email

    enqueue_on_commit(send_email, email.pk)  # by a worker, once the change it reports is committed
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


class MailNotSent(Exception):
    """Raised by the sending task when an e-mail has used up its attempts: the task shows as failed."""


def email_send(pk: int, *, schedule_retry: bool = False) -> bool:
    """Try to send one queued e-mail, once however many workers try at the same time: the row is locked
    (SELECT ... FOR UPDATE SKIP LOCKED) for the whole attempt and marked sent in the same transaction, so a
    second run finds it sent, or locked by the first and leaves it. Never raises for a failed send: the
    attempt and its error are recorded and, with schedule_retry, a new attempt is enqueued in the same
    transaction, after retry_delay(attempts). True when this call sent it."""
    with transaction.atomic():
        email = (OutgoingEmail.objects.select_for_update(skip_locked=True)
                 .filter(pk=pk, sent_at__isnull=True).first())
        if email is None:  # sent already, or being sent right now by another worker
            return False
        message = EmailMultiAlternatives(subject=header_safe(email.subject), body=email.body,
                                         from_email=settings.DEFAULT_FROM_EMAIL, to=email.recipients)
        if email.html_body:
            message.attach_alternative(email.html_body, "text/html")
        email.attempts += 1
        try:
            message.send(fail_silently=False)
        except Exception as exc:  # any backend failure: SMTP, network, bad header
            MAIL_ATTEMPTS.labels(outcome="failed").inc()
            logger.exception("Sending mail %s failed (attempt %s of %s)", pk, email.attempts, attempts_limit())
            email.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            email.save(update_fields=["attempts", "last_error"])
            if schedule_retry and email.attempts < attempts_limit():
                from ot24portal.tasking import enqueue_later, supports_defer

                from .tasks import send_email

                if supports_defer():
                    # In this transaction: with the database backend the retry exists iff the failure is recorded.
                    enqueue_later(send_email, retry_delay(email.attempts), pk)
            return False
        MAIL_ATTEMPTS.labels(outcome="sent").inc()
        email.sent_at = timezone.now()
        email.last_error = ""
        email.save(update_fields=["attempts", "sent_at", "last_error"])
        return True


def email_is_exhausted(pk: int) -> bool:
    return OutgoingEmail.objects.filter(pk=pk, sent_at__isnull=True, attempts__gte=attempts_limit()).exists()


def email_send_pending(*, max_attempts: int | None = None) -> tuple[int, int]:
    """Try again now every unsent e-mail that has not used up its attempts: (sent, still failing)."""
    limit = max_attempts if max_attempts is not None else attempts_limit()
    sent = failed = 0
    for pk in OutgoingEmail.objects.filter(sent_at__isnull=True, attempts__lt=limit).values_list("pk", flat=True):
        if email_send(pk):
            sent += 1
        else:
            failed += 1
    return sent, failed
