"""Writes of evidence: check, store and record an upload; remove a file; remove stored bytes only when
nothing references them any more. Applications' permission and version checks come from
applications.services."""
from __future__ import annotations

import hashlib
import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, transaction
from django.db.models import Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext

from applications.models import Application
from applications.services import bump_version, require_permission
from interventions.models import EvidenceItem

from ot24portal import metrics

from ot24portal.filestore import references, storage
from .models import EvidenceFile

logger = logging.getLogger(__name__)

RETRY = "retry"  # ValidationError code of a refusal that may succeed when the same file is sent again


@transaction.atomic
def evidence_add(*, user, application: Application, evidence_item: EvidenceItem, uploaded_file) -> EvidenceFile:
    application = Application.objects.select_for_update().get(pk=application.pk)
    require_permission(user, "applications.edit_application", application)
    return store_evidence(user=user, application=application, evidence_item=evidence_item, uploaded_file=uploaded_file)


@metrics.count_outcomes(metrics.UPLOADS)  # ot24_evidence_uploads_total{outcome}: accepted, refused, error
def store_evidence(*, user, application: Application, evidence_item: EvidenceItem, uploaded_file,
                   clarification=None) -> EvidenceFile:
    """Check, stream and record one uploaded file. Callers hold the application row lock and have checked
    permission and state (draft editing, or an open clarification request)."""
    if not application.selections.filter(intervention_id=evidence_item.intervention_id).exists():
        raise ValidationError(gettext("Il documento non riguarda un intervento selezionato in questa domanda."))
    name = (uploaded_file.name or "").replace("\x00", "")[-255:]
    limit, too_big = upload_limit(application)
    try:
        stored = storage.save_upload(uploaded_file, name, max_bytes=limit, too_big=too_big)
    except storage.RejectedFile as exc:
        raise ValidationError(str(exc)) from None
    except storage.StorageUnavailable:
        raise  # answered 503 by the view (ot24portal.filestore.middleware): the caller's transaction rolls back
    except OSError:
        logger.exception("Evidence storage failed for application %s", application.pk)
        raise ValidationError(
            gettext("Il file non è stato salvato per un errore del sistema di archiviazione: nulla è stato "
                    "registrato, riprovare tra qualche minuto.")
        ) from None
    duplicate = application.evidence_files.filter(evidence_item=evidence_item, sha256=stored.sha256).first()
    if duplicate is not None:
        # The same bytes twice on the same document: a message, not a second row. The stored bytes are the
        # existing row's (files are named by their hash), so nothing is removed.
        delete_bytes_if_unreferenced(stored.storage_name)
        raise ValidationError(_("Il file %(name)s è già stato caricato per questo documento (come %(existing)s).")
                              % {"name": _display_name(name), "existing": duplicate.original_name})
    try:
        # In a savepoint of its own: when the insert fails, the caller's transaction stays usable, so that
        # the clean-up below can ask who else references the bytes (outside a transaction it is one).
        with transaction.atomic():
            evidence = EvidenceFile.objects.create(
                application=application,
                evidence_item=evidence_item,
                storage_name=stored.storage_name,
                sha256=stored.sha256,
                size=stored.size,
                content_type=stored.content_type,
                original_name=_display_name(name),
                uploaded_by=user,
                clarification=clarification,
            )
    except DatabaseError as exc:
        logger.exception("Evidence row insert failed for application %s", application.pk)
        _discard_unreferenced(stored.storage_name)
        if not _busy(exc):
            raise  # the database is down or refused the row: an error page, nothing stored
        raise ValidationError(
            gettext("Il file %(name)s non è stato registrato perché il sistema era occupato: nulla è stato "
                    "salvato, riprovare.") % {"name": _display_name(name)}, code=RETRY) from None
    except Exception:
        _discard_unreferenced(stored.storage_name)
        raise
    bump_version(application, None)
    return evidence


def upload_limit(application: Application) -> tuple[int, str | None]:
    """How many bytes one more file of the application may have: the per-file limit, or what is left of
    the application's quota with its own message (None: the per-file limit's message)."""
    per_file = settings.OT24_MAX_FILE_BYTES
    sizes = application.evidence_files.aggregate(total=Sum("size"), signed=Sum("signed_size"))
    used = (sizes["total"] or 0) + (sizes["signed"] or 0)  # signed copies of generated documents count too
    remaining = settings.OT24_MAX_APPLICATION_BYTES - used
    if remaining >= per_file:
        return per_file, None
    return max(remaining, 0), gettext("Spazio esaurito: la documentazione di una domanda non può superare %(mb)s MB in "
                                      "totale.") % {"mb": settings.OT24_MAX_APPLICATION_BYTES // (1024 * 1024)}


def _display_name(name: str) -> str:
    return name.rsplit("/", 1)[-1].rsplit("\\", 1)[-1] or "documento"


def delete_bytes_if_unreferenced(storage_name: str) -> None:
    """Remove stored bytes unless a row still names them: evidence rows of any application, and the documents
    issued for any application (sealed PDF, PDF prepared for a qualified signature, decision letter), including
    those stored beside the uploads before issued documents got their own prefix (the columns registered in
    ot24portal.filestore.references by evidence/apps.py and applications/apps.py)."""
    storage.delete_if_unused(storage_name, references.in_use(storage_name))


_BUSY = ("database is locked", "database table is locked", "lock timeout", "could not obtain lock", "deadlock",
         "could not serialize")


def _busy(exc: DatabaseError) -> bool:
    """Whether the database refused the write only because another one held the lock (SQLite's "database
    is locked", PostgreSQL's lock timeouts, deadlocks and serialisation failures): sending the same file
    again may succeed."""
    return any(words in str(exc).lower() for words in _BUSY)


def _discard_unreferenced(storage_name: str) -> None:
    """The clean-up after a failed write: remove the bytes just stored unless something references them.
    Never raises in place of the write's own error: a failed clean-up is logged with the name of the bytes
    left behind."""
    try:
        delete_bytes_if_unreferenced(storage_name)
    except Exception:
        logger.exception("Could not remove unreferenced stored bytes %s", storage_name)


def delete_evidence_file(evidence: EvidenceFile) -> None:
    names = [n for n in (evidence.storage_name, evidence.signed_storage_name) if n]
    evidence.delete()
    transaction.on_commit(lambda: [delete_bytes_if_unreferenced(n) for n in names])


def remove_files_of_removed_selections(sender, *, application, intervention_ids, **kwargs) -> None:
    """Receiver of applications.hooks.selections_removed (connected in evidence/apps.py): the files of the
    evidence items of interventions removed from a draft go with them, in the sender's transaction."""
    for evidence in application.evidence_files.filter(evidence_item__intervention_id__in=intervention_ids):
        delete_evidence_file(evidence)


@transaction.atomic
def evidence_remove(*, user, evidence: EvidenceFile) -> None:
    application = Application.objects.select_for_update().get(pk=evidence.application_id)
    require_permission(user, "applications.edit_application", application)
    delete_evidence_file(evidence)
    bump_version(application, None)


# --- documents the portal generates: attached "da firmare", signed by the employer ------------------------

def evidence_add_generated(*, user, application: Application, evidence_item: EvidenceItem, name: str,
                           pdf: bytes) -> EvidenceFile:
    """Attach a PDF the portal generated (an elaboration of the events, the stress report) as "da firmare":
    through evidence_add (permission, state, quota, the upload's content checks), with an empty interactive
    form added as an incremental update so that a qualified signature (PAdES) can be checked against
    exactly these bytes (applications.qualified.with_empty_form). It documents its item only once signed."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from applications.qualified import with_empty_form

    data = with_empty_form(pdf)
    with transaction.atomic():
        evidence = evidence_add(user=user, application=application, evidence_item=evidence_item,
                                uploaded_file=SimpleUploadedFile(name, data, content_type="application/pdf"))
        evidence.signature = EvidenceFile.Signature.PENDING
        evidence.save(update_fields=["signature"])
    return evidence


def signer_codici_fiscali(application: Application) -> set[str]:
    """Whose qualified signature a generated document of the application may carry: the company's legal
    representative, its members with power of signature (legale rappresentante, procuratore) and the
    signatory declared in the application."""
    from organisations.models import SIGNING_ROLES

    company = application.site.company
    codes = {application.signatory_codice_fiscale}
    if company.legal_representative_id:
        codes.add(company.legal_representative.codice_fiscale)
    codes.update(company.memberships.filter(role__in=SIGNING_ROLES).values_list("user__codice_fiscale", flat=True))
    return {c.strip().upper() for c in codes if c and c.strip()}


QUALIFIED_TYPES = ("application/pdf", "application/pkcs7-mime")
SCAN_TYPES = ("application/pdf", "image/jpeg", "image/png")


def _locked_pending(user, evidence: EvidenceFile) -> tuple[Application, EvidenceFile]:
    application = Application.objects.select_for_update().select_related("site__company").get(pk=evidence.application_id)
    if not application.is_draft:
        raise PermissionDenied(gettext("La domanda è già stata inviata: i suoi documenti non cambiano più."))
    require_permission(user, "applications.sign_evidence", application)
    evidence = EvidenceFile.objects.get(pk=evidence.pk)
    if not evidence.awaiting_signature:
        raise ValidationError(gettext("Il documento non è da firmare: è già firmato, oppure è un file caricato."))
    return application, evidence


def _store_signed(application: Application, uploaded_file, accepted: tuple[str, ...], wrong_type: str):
    name = (uploaded_file.name or "").replace("\x00", "")[-255:]
    limit, too_big = upload_limit(application)
    try:
        stored = storage.save_upload(uploaded_file, name, max_bytes=limit, too_big=too_big)
    except storage.RejectedFile as exc:
        raise ValidationError(str(exc)) from None
    if stored.content_type not in accepted:
        delete_bytes_if_unreferenced(stored.storage_name)
        raise ValidationError(wrong_type)
    return stored, _display_name(name)


def _record_signature(evidence: EvidenceFile, application: Application, *, user, stored, name: str, kind: str,
                      codice_fiscale: str = "") -> EvidenceFile:
    from django.utils import timezone

    evidence.signature = kind
    evidence.signed_storage_name, evidence.signed_sha256 = stored.storage_name, stored.sha256
    evidence.signed_size, evidence.signed_content_type = stored.size, stored.content_type
    evidence.signed_original_name = name
    evidence.signed_by, evidence.signed_at = user, timezone.now()
    evidence.signer_codice_fiscale = codice_fiscale
    evidence.save()
    bump_version(application, None)
    return evidence


@transaction.atomic
def evidence_sign_qualified(*, user, evidence: EvidenceFile, uploaded_file) -> EvidenceFile:
    """The generated document signed with a qualified electronic signature: the PDF signed PAdES (the
    generated bytes plus a signature increment) or a CAdES envelope (.p7m) holding exactly the generated
    bytes; checked by applications.qualified (bounded, trusted roots) and refused unless the holder's codice
    fiscale is the legal representative's or a signatory's (signer_codici_fiscali)."""
    from applications import qualified

    application, evidence = _locked_pending(user, evidence)
    stored, name = _store_signed(application, uploaded_file, QUALIFIED_TYPES, gettext(
        "Per la firma digitale caricare il PDF firmato (PAdES) oppure la busta firmata .p7m (CAdES)."))
    try:
        original = storage.read_bytes(evidence.storage_name)
        if hashlib.sha256(original).hexdigest() != evidence.sha256:
            raise ValidationError(gettext("Il documento generato risulta alterato nell'archivio: contattare l'assistenza."))
        signed = storage.read_bytes(stored.storage_name)
        if stored.content_type == "application/pdf":
            holder = qualified.check_pades(signed, original)
        else:
            holder = qualified.check_cades(signed, original)
        allowed = signer_codici_fiscali(application)
        if not holder or holder.upper() not in allowed:
            raise ValidationError(gettext(
                "Il certificato di firma è intestato a %(holder)s, che non è il legale rappresentante né un "
                "procuratore con potere di firma dell'azienda: il documento va firmato da uno di loro.")
                % {"holder": holder or gettext("una persona senza codice fiscale nel certificato")})
    except Exception:
        _discard_unreferenced(stored.storage_name)
        raise
    return _record_signature(evidence, application, user=user, stored=stored, name=name,
                             kind=EvidenceFile.Signature.QUALIFIED, codice_fiscale=holder.upper())


@transaction.atomic
def evidence_sign_by_hand(*, user, evidence: EvidenceFile, uploaded_file) -> EvidenceFile:
    """The generated document printed, dated and signed by hand, uploaded as a scan (PDF, JPEG or PNG,
    through the upload's content checks): "firmato a mano", judged by the INAIL reviewer."""
    application, evidence = _locked_pending(user, evidence)
    stored, name = _store_signed(application, uploaded_file, SCAN_TYPES, gettext(
        "Per la copia firmata a mano caricare la scansione in PDF, JPEG o PNG."))
    return _record_signature(evidence, application, user=user, stored=stored, name=name,
                             kind=EvidenceFile.Signature.HANDWRITTEN, codice_fiscale=user.codice_fiscale or "")
