"""`python manage.py verify_evidence`: check every stored evidence file (and every signed PDF) against the
SHA-256 recorded in the database, and print a report. Exit code 1 when anything is missing or altered."""
from django.core.management.base import BaseCommand, CommandError

from applications.models import Application
from ot24portal.filestore import storage
from evidence.models import EvidenceFile


class Command(BaseCommand):
    help = "Verifica l'impronta SHA-256 di ogni file di documentazione e di ogni PDF firmato."

    def handle(self, *args, **options):
        checked = 0
        problems = []
        rows = [(f"file {f.pk} ({f.original_name}) della domanda {f.application_id}", f.storage_name, f.sha256)
                for f in EvidenceFile.objects.only("pk", "original_name", "application_id", "storage_name", "sha256").iterator()]
        rows += [(f"PDF firmato della domanda {a.pk} ({a.receipt_number})", a.pdf_storage_name, a.pdf_sha256)
                 for a in Application.objects.exclude(pdf_storage_name="").only("pk", "receipt_number", "pdf_storage_name", "pdf_sha256")]
        for label, storage_name, sha in rows:
            checked += 1
            if not storage.exists(storage_name):
                problems.append(f"MANCANTE  {label}")
            elif not storage.matches_hash(storage_name, sha):
                problems.append(f"ALTERATO  {label}")
        for line in problems:
            self.stdout.write(line)
        self.stdout.write(f"Verificati {checked} file: {checked - len(problems)} integri, {len(problems)} con problemi.")
        if problems:
            raise CommandError(f"{len(problems)} file mancanti o alterati.")
