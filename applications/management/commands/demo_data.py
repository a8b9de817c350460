"""Loads the demo accounts and data (idempotent) and prints the logins."""
from django.core.management.base import BaseCommand

from applications.demo import DEMO_PASSWORD, load_demo


class Command(BaseCommand):
    help = "Carica gli utenti e i dati dimostrativi e stampa le credenziali."

    def handle(self, *args, **options):
        accounts = load_demo()
        self.stdout.write("\nDemo logins (password for all: %s):" % DEMO_PASSWORD)
        for email, description in accounts:
            self.stdout.write(f"  {email:<32} {description}")
        self.stdout.write("")
