"""`python manage.py stress_reminders [--today YYYY-MM-DD]`: e-mail the monitoring reminders of stress
assessments and of improvement measures past their deadline (stress/reminders.py), each once. Meant to
run once a day, like send_reminders."""
import datetime as dt

from django.core.management.base import BaseCommand
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from notifications.services import absolute_url, email_addresses
from stress.models import Assessment, ReminderSent
from stress.reminders import assessment_dues
from stress.selectors import company_recipients


def latest_of_scope(assessments) -> list[int]:
    """The ids of the newest assessment of each scope (a newer one replaces the older one's schedule)."""
    newest: dict[tuple, tuple] = {}
    for pk, company, scope, site, group, date in assessments.values_list(
            "pk", "company_id", "scope", "site_id", "group", "date"):
        key = (company, scope, site, group.strip().lower())
        if key not in newest or (date, pk) > newest[key]:
            newest[key] = (date, pk)
    return [pk for _date, pk in newest.values()]


class Command(BaseCommand):
    help = "Invia i promemoria di monitoraggio delle valutazioni dello stress lavoro-correlato."

    def add_arguments(self, parser):
        parser.add_argument("--today", type=dt.date.fromisoformat, default=None, help="YYYY-MM-DD (per le prove)")

    def handle(self, *args, today=None, **options):
        today = today or timezone.localdate()
        queued = 0
        pks = latest_of_scope(Assessment.objects.all())
        for assessment in Assessment.objects.filter(pk__in=pks).select_related(
                "company__legal_representative", "site").prefetch_related("measures"):
            link = absolute_url(reverse("stress_detail", args=[assessment.pk]))
            recipients = company_recipients(assessment.company)
            for due in assessment_dues(assessment, today, link):
                if not recipients:
                    break
                try:
                    with transaction.atomic():
                        ReminderSent.objects.create(assessment=assessment, key=due.key, due_date=due.due_date)
                        email_addresses(recipients, "stress_reminder", due.context)
                except IntegrityError:  # already sent for this due date
                    continue
                queued += 1
        self.stdout.write(f"Promemoria stress lavoro-correlato accodati: {queued}.")
