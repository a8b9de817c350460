"""`python manage.py verify_application FILE.pdf`: is this a PDF the portal issued, unaltered?"""
import hashlib
import io
import json

from django.core.management.base import BaseCommand, CommandError

from applications.models import Application
from applications.pdf import SNAPSHOT_NAME
from applications.signing import SEAL_FIELD, verify_pdf


def verify_bytes(data: bytes) -> dict:
    from pypdf import PdfReader

    sha = hashlib.sha256(data).hexdigest()
    application = Application.objects.filter(pdf_sha256=sha).select_related("campaign").first()
    report = {"sha256": sha, "application": None, "issued_by_portal": False, "unaltered": False}
    try:
        report.update(verify_pdf(data))
    except Exception as exc:  # a file that is not a readable PDF
        report.update(signatures=[], error=f"PDF non leggibile: {exc.__class__.__name__}")
        return report
    seal = next((s for s in report["signatures"] if s["field"] == SEAL_FIELD), None)
    report["issued_by_portal"] = bool(seal and seal["intact"] and seal["valid"] and seal["trusted"])
    report["unaltered"] = bool(report["issued_by_portal"] and seal["covers_whole_file"])
    try:
        attachment = PdfReader(io.BytesIO(data)).attachments.get(SNAPSHOT_NAME)
        report["snapshot_receipt"] = json.loads(attachment[0]).get("receipt_number") if attachment else None
    except Exception:
        report["snapshot_receipt"] = None
    if application is not None:
        report["application"] = {"pk": application.pk, "receipt_number": application.receipt_number,
                                 "status": application.status}
    return report


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
