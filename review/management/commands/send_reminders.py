"""`python manage.py send_reminders`: expire unanswered clarification requests, then e-mail reminders to
applicants with drafts as the deadline nears and with clarification requests about to expire.
Meant to run once a day (cron or a systemd timer)."""
import datetime as dt

from django.db import transaction
from django.core.management.base import BaseCommand
from django.utils import timezone

from django.urls import reverse

from applications import wizard
from applications.messaging import applicant_users
from applications.models import Application
from notifications.services import absolute_url, email_send_pending, email_users
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
            if left in DRAFT_DAYS:
                messages.append((application, "reminder_draft", {"left": left, "deadline": application.campaign.deadline,
                                 "url": absolute_url(reverse("application_detail", args=[application.pk]))}))
        for clarification in Clarification.objects.filter(answered_at__isnull=True, expired=False) \
                .select_related("application__site__company__legal_representative", "application__campaign"):
            left = (clarification.deadline - today).days
            if left in CLARIFICATION_DAYS:
                application = clarification.application
                messages.append((application, "reminder_clarification", {"left": left, "deadline": clarification.deadline,
                                 "url": absolute_url(wizard.url(application, wizard.REVIEW)) + "#clar-title"}))
        count = 0
        with transaction.atomic():
            for application, template, context in messages:
                # The company's people and its consultants, each in their own language (applications.messaging).
                count += bool(email_users(applicant_users(application), template, {"application": application, **context}))
        sent, failed = email_send_pending()  # today's reminders, and any e-mail a mail server refused before
        self.stdout.write(f"Richieste di chiarimento scadute: {expired}. Promemoria inviati: {count}. "
                          f"E-mail inviate: {sent}, ancora in errore: {failed}.")
