"""`python manage.py send_reminders`: expire unanswered clarification requests, then e-mail reminders to
applicants with drafts as the deadline nears and with clarification requests about to expire.
Meant to run once a day (cron or a systemd timer)."""
import datetime as dt

from django.db import transaction
from django.core.management.base import BaseCommand
from django.utils import timezone

from applications.models import Application
from applications.selectors import application_recipients
from notifications.services import email_enqueue, email_send_pending
from review.models import Clarification
from review.services import clarifications_expire

DRAFT_DAYS = (30, 7, 1)
CLARIFICATION_DAYS = (7, 1)


class Command(BaseCommand):
    help = "Scadenze: chiude le richieste di chiarimento scadute e invia i promemoria via e-mail."

    def add_arguments(self, parser):
        parser.add_argument("--today", type=dt.date.fromisoformat, default=None, help="YYYY-MM-DD (per le prove)")

    def handle(self, *args, today=None, **options):
        today = today or timezone.localdate()
        expired = clarifications_expire(today=today)
        messages = []
        for application in Application.objects.filter(status=Application.Status.DRAFT, campaign__is_open=True) \
                .select_related("campaign", "site__company__legal_representative"):
            left = application.campaign.days_left(today)
            if left in DRAFT_DAYS and (to := application_recipients(application)):
                messages.append(dict(recipients=to, subject=
                    f"OT24 {application.campaign.filing_year}: la domanda di {application.site.name} è ancora in bozza",
                    body=f"Mancano {left} giorni alla scadenza del {application.campaign.deadline:%d/%m/%Y}. "
                    f"La domanda per l'unità produttiva {application.site.name} non è ancora stata inviata.",
                ))
        for clarification in Clarification.objects.filter(answered_at__isnull=True, expired=False) \
                .select_related("application__site__company__legal_representative", "application__campaign"):
            left = (clarification.deadline - today).days
            if left in CLARIFICATION_DAYS and (to := application_recipients(clarification.application)):
                messages.append(dict(recipients=to, subject=
                    f"OT24: chiarimenti richiesti da INAIL, termine {clarification.deadline:%d/%m/%Y}",
                    body=f"Mancano {left} giorni al termine per rispondere alla richiesta di chiarimenti sulla domanda "
                    f"{clarification.application.receipt_number}.",
                ))
        with transaction.atomic():
            for message in messages:
                email_enqueue(**message)
        sent, failed = email_send_pending()  # today's reminders, and any e-mail a mail server refused before
        self.stdout.write(f"Richieste di chiarimento scadute: {expired}. Promemoria inviati: {len(messages)}. "
                          f"E-mail inviate: {sent}, ancora in errore: {failed}.")
