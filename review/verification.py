"""Is a PDF one the portal issued, unaltered, and which application is it? Used by the
`verify_application` command and the reviewers' verification page. An application signed with the
applicant's qualified signature carries that signature and then the portal's seal: the report also says
whose the qualified signature is and whether it is intact, valid and from a recognised authority."""
from __future__ import annotations

import hashlib
import io
import json

from applications.models import Application
from applications.pdf import SNAPSHOT_NAME
from applications.signing import SEAL_FIELD, _outside_event_loop, verify_pdf


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
        report["qualified_signature"] = qualified_signature(data)
    except Exception:
        report["qualified_signature"] = None
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


def qualified_signature(data: bytes) -> dict | None:
    """The last signature that is not the portal's seal, checked against the qualified trust roots; None
    when there is none. `only_signatures_after`: every later revision only adds signatures (pyHanko's
    difference analysis), i.e. the document is the one the applicant signed."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.diff_analysis import DiffResult, ModificationLevel
    from pyhanko.sign.fields import enumerate_sig_fields
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    from applications.qualified import holder_codice_fiscale, trust_roots

    reader = PdfFileReader(io.BytesIO(data), strict=False)
    applicant = [s for s in reader.embedded_signatures if s.field_name != SEAL_FIELD]
    if not applicant:
        return None
    sig, roots = applicant[-1], trust_roots()
    status = _outside_event_loop(lambda: validate_pdf_signature(sig, ValidationContext(trust_roots=roots)))
    diff = status.diff_result
    signature_fields = {name for name, _value, _ref in enumerate_sig_fields(reader)}
    return {
        "field": sig.field_name,
        "signer": status.signing_cert.subject.human_friendly,
        "codice_fiscale": holder_codice_fiscale(status.signing_cert),
        "intact": bool(status.intact),
        "valid": bool(status.valid),
        "trusted": bool(status.trusted),
        "only_signatures_after": bool(isinstance(diff, DiffResult)
                                      and diff.modification_level <= ModificationLevel.FORM_FILLING
                                      and diff.changed_form_fields <= signature_fields),
    }
