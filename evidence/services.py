"""Writes of evidence: check, store and record an upload; remove a file; remove stored bytes only when
nothing references them any more. Applications' permission and version checks come from
applications.services."""
from __future__ import annotations

import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.db.models import Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext

from applications.models import Application
from applications.services import _bump_version, _require
from interventions.models import EvidenceItem

from ot24portal import metrics

from ot24portal.filestore import references, storage
from .models import EvidenceFile

logger = logging.getLogger(__name__)

RETRY = "retry"  # ValidationError code of a refusal that may succeed when the same file is sent again


@transaction.atomic
def evidence_add(*, user, application: Application, evidence_item: EvidenceItem, uploaded_file) -> EvidenceFile:
    application = Application.objects.select_for_update().get(pk=application.pk)
    _require(user, "applications.edit_application", application)
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
    _bump_version(application, None)
    return evidence


def upload_limit(application: Application) -> tuple[int, str | None]:
    """How many bytes one more file of the application may have: the per-file limit, or what is left of
    the application's quota with its own message (None: the per-file limit's message)."""
    per_file = settings.OT24_MAX_FILE_BYTES
    used = application.evidence_files.aggregate(total=Sum("size"))["total"] or 0
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
    storage_name = evidence.storage_name
    evidence.delete()
    transaction.on_commit(lambda: delete_bytes_if_unreferenced(storage_name))


def remove_files_of_removed_selections(sender, *, application, intervention_ids, **kwargs) -> None:
    """Receiver of applications.hooks.selections_removed (connected in evidence/apps.py): the files of the
    evidence items of interventions removed from a draft go with them, in the sender's transaction."""
    for evidence in application.evidence_files.filter(evidence_item__intervention_id__in=intervention_ids):
        delete_evidence_file(evidence)


@transaction.atomic
def evidence_remove(*, user, evidence: EvidenceFile) -> None:
    application = Application.objects.select_for_update().get(pk=evidence.application_id)
    _require(user, "applications.edit_application", application)
    delete_evidence_file(evidence)
    _bump_version(application, None)
