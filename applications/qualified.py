"""The applicant's qualified signature, as an alternative to the portal's electronic signature.

1. `qualified_prepare`: the signatory ticks the declarations; the portal renders the final PDF (no BOZZA
   watermark, the JSON snapshot attached) and keeps its bytes and the application's version.
2. The signatory signs that PDF with their own tool (PAdES, incremental) and uploads it.
3. `qualified_submit`: the signature is intact and valid, chains to a root in
   OT24_QUALIFIED_TRUST_ROOTS_DIR, covers the whole file; the file starts byte for byte with the PDF the
   portal prepared, and every revision added after it only adds signatures (pyHanko's difference
   analysis: no page, content, annotation or other form field changed, so the file shows exactly what the
   portal printed); the certificate's holder is the declared signatory (Italian qualified certificates
   carry the codice fiscale as TINIT-... in the subject's serialNumber). Then the application is submitted:
   the portal adds its own seal as one more incremental update (the applicant's signature stays intact)
   and keeps those bytes as the signed PDF, so it verifies like every other submission.

The signature must be invisible (visible_signature_widgets): a visible widget's appearance is drawn over
the pages and could hide what the portal printed. A dictionary that repeats a key is refused (pyHanko reads
the first value, viewers the last). The uploaded file is parsed only in the bounded child that checks
uploads (ot24portal.filestore.filechecks)."""
from __future__ import annotations

import io
import logging
from functools import partial
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ot24portal.filestore import filechecks, storage

from . import workflow
from .models import Application
from .selectors import application_overview
from .snapshot import build_snapshot

logger = logging.getLogger(__name__)

def trust_roots() -> list:
    from pyhanko.keys import load_cert_from_pemder

    folder = Path(settings.OT24_QUALIFIED_TRUST_ROOTS_DIR)
    if not folder.is_dir():
        return []
    return [load_cert_from_pemder(str(p)) for p in sorted(folder.iterdir())
            if p.suffix.lower() in (".pem", ".crt", ".cer", ".der")]


def with_empty_form(data: bytes) -> bytes:
    """The PDF with an empty interactive form (/AcroForm, no fields), as an incremental update.
    pyHanko's difference analysis compares forms and needs the prepared revision to have one; the
    applicant's tool adds its signature field to it. /SigFlags 3 (signatures exist, append only) is what
    every signing tool sets, so setting it is not a change of the signer's revision."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.generic import pdf_name
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(data))
    writer.root[pdf_name("/AcroForm")] = writer.add_object(
        generic.DictionaryObject({pdf_name("/Fields"): generic.ArrayObject(),
                                  pdf_name("/SigFlags"): generic.NumberObject(3)}))
    writer.update_root()
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@transaction.atomic
def qualified_prepare(*, user, application: Application, declarations: dict[str, bool], place: str, version: int) -> bytes:
    from . import pdf, services

    application = Application.objects.select_for_update().get(pk=application.pk)
    services.require_permission(user, "applications.submit_application", application)
    if not all(declarations.get(k) for k in Application.DECLARATIONS):
        raise ValidationError(_("Occorre spuntare tutte le dichiarazioni per inviare la domanda."))
    overview = application_overview(application)
    if overview.problems:
        raise ValidationError([p.message for p in overview.problems])
    services.bump_version(application, version)
    for name in Application.DECLARATIONS:
        setattr(application, name, True)
    application.place = place
    application.snapshot = build_snapshot(application, overview)
    data = with_empty_form(pdf.render_application_pdf(application, final=True))
    stored = storage.save_stream([data], "da-firmare.pdf", max_bytes=len(data), untrusted=False)
    application.presign_storage_name, application.presign_sha256 = stored.storage_name, stored.sha256
    application.presign_version = application.version
    application.save()
    return data


TAMPERED = gettext_lazy("Il PDF firmato contiene modifiche oltre alla firma (testo, pagine, annotazioni o campi aggiunti "
            "o cambiati) rispetto al documento preparato dal portale: firmare il PDF scaricato senza modificarlo "
            "e senza aggiungere note o pagine.")


def _only_signatures_added(reader, original: bytes) -> None:
    """Every revision after the prepared PDF's last one only adds signatures: pyHanko's difference
    analysis at most at FORM_FILLING (new signature fields and their values), and signature fields are
    the only fields changed. Anything else (page content, a page, an annotation, another form field,
    the catalogue) is a SuspiciousModification, refused."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.diff_analysis import DEFAULT_DIFF_POLICY, DiffResult, ModificationLevel
    from pyhanko.sign.fields import enumerate_sig_fields

    prepared_reader = PdfFileReader(io.BytesIO(original), strict=False)
    if "/AcroForm" not in prepared_reader.root:  # prepared before the form was added: cannot be compared
        raise ValidationError(_("Il PDF da firmare è stato preparato da una versione precedente del portale: "
                                "scaricarlo di nuovo e firmare il nuovo file."))
    prepared = prepared_reader.xrefs
    base = prepared.total_revisions - 1
    xrefs = reader.xrefs
    # The signed file's history must run through the prepared file's revisions, unchanged.
    if xrefs.total_revisions <= base + 1 or any(
        xrefs.get_startxref_for_revision(r) != prepared.get_startxref_for_revision(r) for r in range(base + 1)
    ):
        raise ValidationError(TAMPERED)
    try:
        result = DEFAULT_DIFF_POLICY.review_file(reader, base)
        signature_fields = {name for name, _value, _ref in enumerate_sig_fields(reader)}
    except MemoryError:
        raise
    except Exception as exc:  # a structure pyHanko cannot even compare (it returns, not raises, the suspicious ones)
        logger.info("Qualified signature refused: revisions after the prepared PDF unreadable: %r", exc)
        raise ValidationError(TAMPERED) from None
    if (not isinstance(result, DiffResult) or result.modification_level > ModificationLevel.FORM_FILLING
            or not result.changed_form_fields <= signature_fields):
        logger.info("Qualified signature refused: modifications after the prepared PDF: %s", result)
        raise ValidationError(TAMPERED)


VISIBLE_SIGNATURE = gettext_lazy(
    "La firma digitale ha un riquadro visibile (firma grafica): il portale accetta solo la firma invisibile, perché "
    "il riquadro viene disegnato sopra le pagine e può coprire il testo della domanda stampato dal portale. "
    "Firmare di nuovo il PDF scaricato scegliendo la firma invisibile (senza firma grafica).")


def visible_signature_widgets(data: bytes) -> list[str]:
    """The names of the signature fields whose widget shows on a page. Only invisible signatures are
    accepted: a widget's appearance is drawn over the page, so a visible one (pyHanko's stamp, a signing
    tool's "firma grafica") can cover what the portal printed with whatever its author drew, and every
    later check (difference analysis, the seal) only sees a signature added. A widget is invisible when
    its /Rect has no area ([0 0 0 0] by convention); every widget annotation on every page (the prepared
    PDF has none, and the difference analysis allows no other kind to be added) and every widget of a
    signature field in the form is looked at. Read with pypdf, after pdf_repeats_a_key said that every
    reader sees the same /Rect."""
    from pypdf import PdfReader
    from pypdf.generic import DictionaryObject

    def text(value) -> str:
        return str(value) if value is not None else "?"

    def shows(widget) -> bool:
        try:
            x1, y1, x2, y2 = (float(v) for v in widget.get("/Rect"))
        except (TypeError, ValueError):  # no rectangle, or not four numbers: not provably invisible
            return True
        return x1 != x2 and y1 != y2

    reader = PdfReader(io.BytesIO(data), strict=False)
    visible: list[str] = []
    for page in reader.pages:
        for annotation in page.get("/Annots") or ():
            widget = annotation.get_object()
            if isinstance(widget, DictionaryObject) and widget.get("/Subtype") == "/Widget" and shows(widget):
                visible.append(text(widget.get("/T") or widget.get("/Parent", {}).get("/T")))
    form = reader.trailer["/Root"].get("/AcroForm")
    for field in (form.get("/Fields") or ()) if isinstance(form, DictionaryObject) else ():
        field = field.get_object()
        if not isinstance(field, DictionaryObject) or field.get("/FT") != "/Sig":
            continue
        widgets = ([field] if "/Rect" in field else []) + [k.get_object() for k in field.get("/Kids") or ()]
        if any(isinstance(w, DictionaryObject) and shows(w) for w in widgets):
            visible.append(text(field.get("/T")))
    return sorted(set(visible))


def _check_signature(signed: bytes, original: bytes, codice_fiscale: str) -> None:
    """The application's check: a PAdES signature over the prepared PDF by the declared signatory."""
    holder = check_pades(signed, original)
    if not holder or holder != codice_fiscale.upper():
        raise ValidationError(_("Il titolare del certificato di firma non è il sottoscrittore dichiarato nella domanda."))


def check_pades(signed: bytes, original: bytes) -> str:
    """Raise ValidationError unless `signed` is `original` plus a valid, trusted, invisible PAdES signature
    covering the whole file and nothing but signatures added; return the signer's codice fiscale ('' when
    the certificate names none): the caller decides whether that person may sign. The uploaded file is
    untrusted: everything that parses it runs in the bounded child that checks uploads
    (ot24portal.filestore.filechecks.run_bounded), under the same CPU and memory budgets; the worker only
    compares bytes. A file over the budgets is refused as too complex. Also used for the documents the
    portal generates as evidence (evidence.signing)."""
    if not signed.startswith(original):
        raise ValidationError(_("Il PDF firmato non contiene, byte per byte, il documento preparato dal portale: "
                                "firmare il PDF scaricato senza modificarlo (firma PAdES)."))
    filechecks.prepare_signatures()
    try:
        return filechecks.run_bounded(partial(_check_signed_file, original=original), signed,
                                      error_message=_("Il file caricato non è un PDF leggibile.")) or ""
    except filechecks.RejectedFile as exc:
        raise ValidationError(str(exc)) from None


def check_cades(signed: bytes, original: bytes) -> str:
    """Raise ValidationError unless `signed` is a CAdES envelope (.p7m, DER) whose enclosed content is
    exactly `original` and whose signature is intact, valid and from a trusted authority; return the
    signer's codice fiscale ('' when none). Parsed only in the bounded child, like check_pades."""
    filechecks.prepare_signatures()
    try:
        return filechecks.run_bounded(partial(_check_envelope, original=original), signed,
                                      error_message=filechecks.P7M_INVALID()) or ""
    except filechecks.RejectedFile as exc:
        raise ValidationError(str(exc)) from None


def _check_envelope(signed: bytes, *, original: bytes) -> str:
    """The checks that parse a .p7m; runs in the bounded child (no database here)."""
    import asyncio

    from asn1crypto import cms
    from pyhanko.sign.validation.generic_cms import async_validate_cms_signature
    from pyhanko_certvalidator import ValidationContext

    from .signing import outside_event_loop

    try:
        info = cms.ContentInfo.load(signed)
        if info["content_type"].native != "signed_data":
            raise ValueError("not signed data")
        signed_data = info["content"]
        content = signed_data["encap_content_info"]["content"]
        enclosed = None if content.native is None else content.native
        signer_count = len(signed_data["signer_infos"])
    except MemoryError:
        raise
    except Exception:
        raise filechecks.RejectedFile(filechecks.P7M_INVALID()) from None
    if enclosed is None:
        raise filechecks.RejectedFile(_("La busta .p7m non contiene il documento (firma staccata): firmare il PDF "
                                        "scaricato in formato CAdES con il documento incluso."))
    if bytes(enclosed) != original:
        raise filechecks.RejectedFile(_("Il documento contenuto nella busta .p7m non è, byte per byte, quello generato "
                                        "dal portale: firmare il PDF scaricato senza modificarlo."))
    if signer_count != 1:
        raise filechecks.RejectedFile(_("La busta .p7m deve contenere una sola firma."))
    roots = trust_roots()
    try:
        status = outside_event_loop(lambda: asyncio.run(
            async_validate_cms_signature(signed_data, validation_context=ValidationContext(trust_roots=roots))))
    except MemoryError:
        raise
    except Exception:
        raise filechecks.RejectedFile(_("La firma digitale non è integra o non è valida.")) from None
    if not (status.intact and status.valid):
        raise filechecks.RejectedFile(_("La firma digitale non è integra o non è valida."))
    if not status.trusted:
        raise filechecks.RejectedFile(
            _("Il certificato di firma non proviene da un'autorità di certificazione riconosciuta."))
    return holder_codice_fiscale(status.signing_cert)


def _check_signed_file(signed: bytes, *, original: bytes) -> str:
    """The checks that parse the signed file; runs in the bounded child (no database here). A refusal
    leaves it as RejectedFile, with the ValidationError's message; a pass returns the holder's codice fiscale."""
    try:
        return _check_parsed(signed, original)
    except ValidationError as exc:
        raise filechecks.RejectedFile(" ".join(exc.messages)) from None


def _check_parsed(signed: bytes, original: bytes) -> str:
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.fields import enumerate_sig_fields
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    from .signing import SEAL_FIELD, outside_event_loop

    if filechecks.pdf_repeats_a_key(io.BytesIO(signed)):  # pyHanko would read the first value, viewers the last
        raise ValidationError(filechecks.DUPLICATE_KEYS())
    try:
        reader = PdfFileReader(io.BytesIO(signed), strict=False)
        signatures = reader.embedded_signatures
        field_names = {name for name, _value, _ref in enumerate_sig_fields(reader)}
    except MemoryError:
        raise
    except Exception:
        raise ValidationError(_("Il file caricato non è un PDF leggibile.")) from None
    if not signatures:
        raise ValidationError(_("Il PDF non contiene una firma digitale."))
    if SEAL_FIELD in field_names:
        raise ValidationError(_("Il PDF contiene un campo firma chiamato %(field)s, riservato al sigillo del portale: "
                                "firmare il PDF scaricato con un altro nome di campo.") % {"field": SEAL_FIELD})
    sig = signatures[-1]
    roots = trust_roots()
    status = outside_event_loop(lambda: validate_pdf_signature(sig, ValidationContext(trust_roots=roots)))
    if not (status.intact and status.valid):
        raise ValidationError(_("La firma digitale non è integra o non è valida."))
    if not status.trusted:
        raise ValidationError(_("Il certificato di firma non proviene da un'autorità di certificazione riconosciuta."))
    if sig.coverage is None or sig.coverage.name != "ENTIRE_FILE":
        raise ValidationError(_("La firma non copre l'intero documento: il PDF è stato modificato dopo la firma."))
    _only_signatures_added(reader, original)
    if visible_signature_widgets(signed):
        raise ValidationError(VISIBLE_SIGNATURE)
    return holder_codice_fiscale(status.signing_cert)


def holder_codice_fiscale(cert) -> str:
    """The codice fiscale in an Italian qualified certificate (subject serialNumber TINIT-...), or ''."""
    serial = cert.subject.native.get("serial_number") or ""
    if isinstance(serial, list):  # several serialNumber attributes: take the TINIT one if any
        serial = next((s for s in serial if str(s).upper().startswith("TINIT-")), serial[0])
    serial = str(serial).upper()
    return serial[len("TINIT-"):] if serial.startswith("TINIT-") else ""


@transaction.atomic
def qualified_submit(*, user, application: Application, signed: bytes) -> Application:
    from . import services, signing

    application = Application.objects.select_for_update().get(pk=application.pk)
    services.require_permission(user, "applications.submit_application", application)
    if not application.presign_storage_name or application.presign_version != application.version:
        raise ValidationError(_("La domanda è cambiata dopo la preparazione del PDF da firmare: scaricarlo di nuovo."))
    original = storage.read_bytes(application.presign_storage_name)
    _check_signature(signed, original, application.signatory_codice_fiscale)
    overview = application_overview(application)
    if overview.problems:
        raise ValidationError([p.message for p in overview.problems])
    workflow.transition(application, "submit", user=user, message_code="qualified_signature")
    application.submitted_at = timezone.now()
    application.submitted_by = user
    application.receipt_number = services._receipt_number(application)
    # The record frozen at preparation (the one attached to the signed PDF), with what submitting adds.
    application.snapshot = {**application.snapshot, "receipt_number": application.receipt_number,
                            "submitted_at": application.submitted_at.isoformat()}
    application.declared_total = overview.score.total
    try:
        # Incremental: the applicant's signed bytes stay as they are, their signature intact.
        sealed = signing.seal_pdf(
            signed, reason=f"Domanda OT24 {application.campaign.filing_year} n. {application.receipt_number}")
    except Exception:
        # Everything above is rolled back with this transaction: the application stays a draft.
        logger.exception("Sealing the qualified-signed PDF failed for application %s", application.pk)
        raise ValidationError(_(
            "Non è stato possibile apporre il sigillo del portale al PDF firmato: la domanda NON è stata inviata "
            "ed è rimasta in bozza. Riprovare tra qualche minuto.")) from None
    stored = storage.save_stream([sealed], "domanda-firmata.pdf", max_bytes=len(sealed), untrusted=False)
    application.pdf_storage_name, application.pdf_sha256 = stored.storage_name, stored.sha256
    application.save()
    return application
