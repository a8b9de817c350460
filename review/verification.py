"""Is a PDF one the portal issued, unaltered, and which application is it? Used by the
`verify_application` command and the reviewers' verification page."""
from __future__ import annotations

import hashlib
import io
import json

from applications.models import Application
from applications.pdf import SNAPSHOT_NAME
from applications.signing import SEAL_FIELD, verify_pdf


def verify_bytes(data: bytes) -> dict:
    from pypdf import PdfReader

    sha = hashlib.sha256(data).hexdigest()
    application = (Application.objects.filter(pdf_sha256=sha).first()
                   or Application.objects.filter(decision_pdf_sha256=sha).first())
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
                                 "status": application.status,
                                 "document": "domanda" if application.pdf_sha256 == sha else "provvedimento"}
    return report
