"""Loads the demo accounts and data (idempotent) and prints the logins."""
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from operations.demo import DEMO_PASSWORD, load_demo


class Command(BaseCommand):
    help = "Carica gli utenti e i dati dimostrativi e stampa le credenziali."

    def handle(self, *args, **options):
        if not settings.OT24_DEMO_DATA:
            raise CommandError(
                f"demo_data refuses to run with {settings.SETTINGS_MODULE}: the demo accounts share a published "
                "password and include an administrator. Only settings with OT24_DEMO_DATA = True (dev, test) load them.")
        accounts = load_demo()
        self.stdout.write("\nDemo logins (password for all: %s):" % DEMO_PASSWORD)
        for email, description in accounts:
            self.stdout.write(f"  {email:<32} {description}")
        self.stdout.write("")
