"""The applicant's qualified signature, as an alternative to the portal's electronic signature.

1. `qualified_prepare`: the signatory ticks the declarations; the portal renders the final PDF (no BOZZA
   watermark, the JSON snapshot attached) and keeps its bytes and the application's version.
2. The signatory signs that PDF with their own tool (PAdES, incremental) and uploads it.
3. `qualified_submit`: the signature is intact and valid, chains to a root in
   OT24_QUALIFIED_TRUST_ROOTS_DIR, covers the whole file; the signed revision is byte for byte the PDF the
   portal prepared; the certificate's holder is the declared signatory (Italian qualified certificates
   carry the codice fiscale as TINIT-... in the subject's serialNumber). Then the application is submitted
   with those bytes as its signed PDF."""
from __future__ import annotations

import io
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from evidence import storage

from . import workflow
from .models import Application
from .selectors import application_overview
from .snapshot import build_snapshot


def trust_roots() -> list:
    from pyhanko.keys import load_cert_from_pemder

    folder = Path(settings.OT24_QUALIFIED_TRUST_ROOTS_DIR)
    if not folder.is_dir():
        return []
    return [load_cert_from_pemder(str(p)) for p in sorted(folder.iterdir())
            if p.suffix.lower() in (".pem", ".crt", ".cer", ".der")]


@transaction.atomic
def qualified_prepare(*, user, application: Application, declarations: dict[str, bool], place: str, version: int) -> bytes:
    from . import pdf, services

    application = Application.objects.select_for_update().get(pk=application.pk)
    services._require(user, "applications.submit_application", application)
    if not all(declarations.get(k) for k in Application.DECLARATIONS):
        raise ValidationError("Occorre spuntare tutte le dichiarazioni per inviare la domanda.")
    overview = application_overview(application)
    if overview.problems:
        raise ValidationError([p.message for p in overview.problems])
    services._bump_version(application, version)
    for name in Application.DECLARATIONS:
        setattr(application, name, True)
    application.place = place
    application.snapshot = build_snapshot(application, overview)
    data = pdf.render_application_pdf(application, final=True)
    stored = storage.save_stream([data], "da-firmare.pdf", max_bytes=len(data), untrusted=False)
    application.presign_storage_name, application.presign_sha256 = stored.storage_name, stored.sha256
    application.presign_version = application.version
    application.save()
    return data


def _check_signature(signed: bytes, original: bytes, codice_fiscale: str) -> None:
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    from .signing import _outside_event_loop

    if not signed.startswith(original):
        raise ValidationError("Il PDF firmato non contiene, byte per byte, il documento preparato dal portale: "
                              "firmare il PDF scaricato senza modificarlo (firma PAdES).")
    try:
        signatures = PdfFileReader(io.BytesIO(signed), strict=False).embedded_signatures
    except Exception:
        raise ValidationError("Il file caricato non è un PDF leggibile.") from None
    if not signatures:
        raise ValidationError("Il PDF non contiene una firma digitale.")
    sig = signatures[-1]
    roots = trust_roots()
    status = _outside_event_loop(lambda: validate_pdf_signature(sig, ValidationContext(trust_roots=roots)))
    if not (status.intact and status.valid):
        raise ValidationError("La firma digitale non è integra o non è valida.")
    if not status.trusted:
        raise ValidationError("Il certificato di firma non proviene da un'autorità di certificazione riconosciuta.")
    if sig.coverage is None or sig.coverage.name != "ENTIRE_FILE":
        raise ValidationError("La firma non copre l'intero documento: il PDF è stato modificato dopo la firma.")
    serial = status.signing_cert.subject.native.get("serial_number") or ""
    if isinstance(serial, list):  # several serialNumber attributes: take the TINIT one if any
        serial = next((s for s in serial if str(s).upper().startswith("TINIT-")), serial[0])
    if str(serial).upper() != f"TINIT-{codice_fiscale.upper()}":
        raise ValidationError("Il titolare del certificato di firma non è il sottoscrittore dichiarato nella domanda.")


@transaction.atomic
def qualified_submit(*, user, application: Application, signed: bytes) -> Application:
    from . import services

    application = Application.objects.select_for_update().get(pk=application.pk)
    services._require(user, "applications.submit_application", application)
    if not application.presign_storage_name or application.presign_version != application.version:
        raise ValidationError("La domanda è cambiata dopo la preparazione del PDF da firmare: scaricarlo di nuovo.")
    original = storage.read_bytes(application.presign_storage_name)
    _check_signature(signed, original, application.signatory_codice_fiscale)
    overview = application_overview(application)
    if overview.problems:
        raise ValidationError([p.message for p in overview.problems])
    workflow.transition(application, "submit", user=user, message="Firma digitale qualificata (PAdES)")
    application.submitted_at = timezone.now()
    application.submitted_by = user
    application.receipt_number = services._receipt_number(application)
    application.declared_total = overview.score.total
    stored = storage.save_stream([signed], "domanda-firmata.pdf", max_bytes=len(signed), untrusted=False)
    application.pdf_storage_name, application.pdf_sha256 = stored.storage_name, stored.sha256
    application.save()
    return application
