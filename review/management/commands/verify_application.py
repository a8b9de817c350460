"""`python manage.py verify_application FILE.pdf`: is this a PDF the portal issued, unaltered?"""
import json

from django.core.management.base import BaseCommand, CommandError

from review.verification import verify_bytes


class Command(BaseCommand):
    help = "Verifica se un PDF è stato emesso dal portale, se è integro e a quale domanda appartiene."

    def add_arguments(self, parser):
        parser.add_argument("pdf")

    def handle(self, *args, pdf, **options):
        try:
            with open(pdf, "rb") as fh:
                data = fh.read()
        except OSError as exc:
            raise CommandError(f"Impossibile leggere {pdf}: {exc.strerror}") from None
        report = verify_bytes(data)
        self.stdout.write(json.dumps(report, ensure_ascii=False, indent=2))
        if not report["unaltered"]:
            raise CommandError("Il PDF non è un documento integro emesso dal portale.")
