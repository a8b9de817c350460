"""Prints the current two-factor code of a demo INAIL/administrator account (development only)."""
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accounts.demo import DEMO_TOTP_SECRET, current_code, otpauth_uri


class Command(BaseCommand):
    help = "Stampa il codice di verifica (TOTP) attuale di un account dimostrativo del personale INAIL."

    def add_arguments(self, parser):
        parser.add_argument("email", nargs="?", default="revisore@ot24.example")
        parser.add_argument("--uri", action="store_true", help="print the otpauth:// URI for an authenticator app")

    def handle(self, *args, email, uri, **options):
        from allauth.mfa.models import Authenticator
        from allauth.mfa.utils import decrypt

        if not settings.OT24_DEMO_DATA:
            raise CommandError("demo_totp only runs with OT24_DEMO_DATA = True (development and test settings).")
        authenticator = Authenticator.objects.filter(user__email__iexact=email, type=Authenticator.Type.TOTP).first()
        if authenticator is None:
            raise CommandError(f"{email} has no authenticator app (run `manage.py demo_data` first).")
        secret = decrypt(authenticator.data["secret"])
        if secret != DEMO_TOTP_SECRET:
            raise CommandError(f"{email} uses its own authenticator, not the demo secret.")
        self.stdout.write(otpauth_uri(email) if uri else current_code(secret))
