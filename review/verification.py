"""Is a PDF one the portal issued, unaltered, and which application is it? Used by the
`verify_application` command and the reviewers' verification page. An application signed with the
applicant's qualified signature carries that signature and then the portal's seal: the report also says
whose the qualified signature is and whether it is intact, valid and from a recognised authority.

The file is untrusted: everything that parses it (pyHanko for the signatures, pypdf for the attached
snapshot) runs in the bounded child that checks uploads (ot24portal.filestore.filechecks.run_bounded), under the same
CPU and memory budgets. A file that exceeds them is reported as too complex to check; the worker never
parses it."""
from __future__ import annotations

import hashlib
import io
import json

from django.utils.translation import gettext as _

from applications.models import Application
from applications.pdf import SNAPSHOT_NAME
from applications.signing import SEAL_FIELD, outside_event_loop, verify_pdf
from ot24portal.filestore import filechecks


def verify_bytes(data: bytes) -> dict:
    sha = hashlib.sha256(data).hexdigest()
    application = (Application.objects.filter(pdf_sha256=sha).first()
                   or Application.objects.filter(decision_pdf_sha256=sha).first())
    report = {"sha256": sha, "application": None, "issued_by_portal": False, "unaltered": False}
    filechecks.prepare_signatures()
    try:
        report.update(filechecks.run_bounded(read_signatures, data,
                                             error_message=_("Il file caricato non è un PDF leggibile.")))
    except filechecks.RejectedFile as exc:  # unreadable, or over the budgets
        report.update(signatures=[], qualified_signature=None, snapshot_receipt=None, error=str(exc))
        return report
    seal = next((s for s in report["signatures"] if s["field"] == SEAL_FIELD), None)
    report["issued_by_portal"] = bool(seal and seal["intact"] and seal["valid"] and seal["trusted"])
    # A visible applicant's signature (or one whose widget readers see differently) can show over the
    # pages something the portal never printed: the document is then not called unaltered.
    qualified = report.get("qualified_signature")
    covered = bool(qualified and (qualified["visible"] or qualified["repeated_keys"]))
    report["unaltered"] = bool(report["issued_by_portal"] and seal["covers_whole_file"] and not covered)
    if application is not None:
        report["application"] = {"pk": application.pk, "receipt_number": application.receipt_number,
                                 "status": application.status,
                                 "document": "domanda" if application.pdf_sha256 == sha else "provvedimento"}
    return report


def read_signatures(data: bytes) -> dict:
    """What the file itself says: its signatures, the applicant's qualified signature, the receipt number
    in the attached snapshot. Runs in the bounded child (no database here); a file whose signatures
    cannot be read raises."""
    from pypdf import PdfReader

    found = verify_pdf(data)
    try:
        found["qualified_signature"] = qualified_signature(data)
    except MemoryError:
        raise
    except Exception:
        found["qualified_signature"] = None
    try:
        attachment = PdfReader(io.BytesIO(data)).attachments.get(SNAPSHOT_NAME)
        found["snapshot_receipt"] = json.loads(attachment[0]).get("receipt_number") if attachment else None
    except MemoryError:
        raise
    except Exception:
        found["snapshot_receipt"] = None
    return found


def qualified_signature(data: bytes) -> dict | None:
    """The last signature that is not the portal's seal, checked against the qualified trust roots; None
    when there is none. `only_signatures_after`: every later revision only adds signatures (pyHanko's
    difference analysis), i.e. the document is the one the applicant signed."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.diff_analysis import DiffResult, ModificationLevel
    from pyhanko.sign.fields import enumerate_sig_fields
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    from applications.qualified import holder_codice_fiscale, trust_roots, visible_signature_widgets

    reader = PdfFileReader(io.BytesIO(data), strict=False)
    applicant = [s for s in reader.embedded_signatures if s.field_name != SEAL_FIELD]
    if not applicant:
        return None
    sig, roots = applicant[-1], trust_roots()
    status = outside_event_loop(lambda: validate_pdf_signature(sig, ValidationContext(trust_roots=roots)))
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
        "visible": bool(visible_signature_widgets(data)),
        "repeated_keys": filechecks.pdf_repeats_a_key(io.BytesIO(data)),
    }
