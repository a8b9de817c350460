"""`python manage.py send_pending_mail`: retry the e-mails a mail server refused (run every few minutes)."""
from django.core.management.base import BaseCommand

from notifications.services import email_send_pending


class Command(BaseCommand):
    help = "Invia di nuovo le e-mail non ancora consegnate al server di posta."

    def handle(self, *args, **options):
        sent, failed = email_send_pending()
        self.stdout.write(f"E-mail inviate: {sent}. Ancora in errore: {failed}.")
