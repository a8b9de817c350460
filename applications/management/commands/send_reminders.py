"""`python manage.py send_reminders`: expire unanswered clarification requests, then e-mail reminders to
applicants with drafts as the deadline nears and with clarification requests about to expire.
Meant to run once a day (cron or a systemd timer)."""
import datetime as dt

from django.conf import settings
from django.core.mail import send_mass_mail
from django.core.management.base import BaseCommand
from django.utils import timezone

from applications.models import Application, Clarification
from applications.review import clarifications_expire

DRAFT_DAYS = (30, 7, 1)
CLARIFICATION_DAYS = (7, 1)


def _recipients(application):
    company = application.site.company
    emails = {m.user.email for m in company.memberships.select_related("user")}
    if company.legal_representative:
        emails.add(company.legal_representative.email)
    return sorted(emails)


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
            if left in DRAFT_DAYS and (to := _recipients(application)):
                messages.append((
                    f"OT24 {application.campaign.filing_year}: la domanda di {application.site.name} è ancora in bozza",
                    f"Mancano {left} giorni alla scadenza del {application.campaign.deadline:%d/%m/%Y}. "
                    f"La domanda per l'unità produttiva {application.site.name} non è ancora stata inviata.",
                    settings.DEFAULT_FROM_EMAIL, to))
        for clarification in Clarification.objects.filter(answered_at__isnull=True, expired=False) \
                .select_related("application__site__company__legal_representative", "application__campaign"):
            left = (clarification.deadline - today).days
            if left in CLARIFICATION_DAYS and (to := _recipients(clarification.application)):
                messages.append((
                    f"OT24: chiarimenti richiesti da INAIL, termine {clarification.deadline:%d/%m/%Y}",
                    f"Mancano {left} giorni al termine per rispondere alla richiesta di chiarimenti sulla domanda "
                    f"{clarification.application.receipt_number}.",
                    settings.DEFAULT_FROM_EMAIL, to))
        sent = send_mass_mail(messages, fail_silently=False) if messages else 0
        self.stdout.write(f"Richieste di chiarimento scadute: {expired}. Promemoria inviati: {sent}.")
