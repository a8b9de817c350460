"""Background work of the outbox (Django's Tasks API, run by `manage.py db_worker`)."""
from __future__ import annotations

import datetime as dt

from django.utils import timezone

from ot24portal.tasking import portal_task

from . import services
from .models import OutgoingEmail

STALE_AFTER = dt.timedelta(minutes=10)


@portal_task
def send_email(pk: int) -> bool:
    """Send one e-mail of the outbox (enqueued after the commit that wrote it). A failure enqueues the next
    attempt with a growing delay; when the attempts are used up the task fails, so both the e-mail
    ("in errore") and the task show in the administration."""
    sent = services.email_send(pk, schedule_retry=True)
    if not sent and services.email_is_exhausted(pk):
        raise services.MailNotSent(f"E-mail {pk}: attempts used up; see E-mail in uscita in the administration")
    return sent


@portal_task
def send_stale_mail() -> int:
    """Periodic safety net (operations.periodic): an e-mail never tried STALE_AFTER after it was written (the
    process died between the commit and the enqueue) gets its send task now. Retries of failed attempts
    are enqueued with the failure itself and are not touched here."""
    pks = list(OutgoingEmail.objects.filter(sent_at__isnull=True, attempts=0,
                                            created_at__lt=timezone.now() - STALE_AFTER).values_list("pk", flat=True))
    for pk in pks:
        send_email.enqueue(pk)
    return len(pks)
