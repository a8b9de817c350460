"""An application's evidence files: upload (one file per request, answered in JSON, for the page's script: the
raw body, or a one-file form where that cannot be sent), download
(after the hash check) and removal from a draft. The wizard's evidence step (evidence_step, registered into
applications.wizard by evidence/apps.py) takes the same uploads from a plain form, several files at once;
answers to clarifications are a review view."""
from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from applications import wizard
from applications.selectors import application_overview, application_selections
from applications.views.common import altered_response, get_application, user_can
from applications.views.wizard import render_step
from interventions.selectors import edition_catalogue

from ot24portal.filestore import storage, uploads

from . import services
from .selectors import evidence_checklist
from .forms import EvidenceUploadForm, SignForm


def add_files(request, application, item_id, files) -> tuple[list, list[tuple[str, str]]]:
    """Store each uploaded file for one evidence item of the application: (added EvidenceFile rows,
    [(file name, reason)] for the refused ones). Files the upload handler dropped (too big) are refused
    with its reason; the others go one by one through evidence.services, each in its own transaction."""
    refused = [(_("file"), message) for message in getattr(request, uploads.REFUSALS_ATTRIBUTE, {}).values()]
    item = edition_catalogue(application.campaign.edition).evidence_items.get(item_id) if item_id else None
    if item is None:
        return [], refused + [(_("file"), _("Documento non previsto."))]
    added = []
    for uploaded in files:
        try:
            added.append(services.evidence_add(user=request.user, application=application, evidence_item=item,
                                               uploaded_file=uploaded))
        except ValidationError as exc:
            refused.append((uploaded.name, " ".join(exc.messages)))
            if _may_retry(exc):
                request._ot24_upload_retry = True
    return added, refused


def evidence_step(request, application, step: wizard.Step):
    """The wizard's "Documentazione" step (registered by evidence/apps.py): every selected intervention with its
    evidence items and files, and a plain upload form per item that takes several files at once."""
    upload_form = EvidenceUploadForm()
    failed_item = None
    if request.method == "POST":
        upload_form = EvidenceUploadForm(request.POST, request.FILES)
        uploads.explain_refusals(request, upload_form)  # a file dropped while it arrived: say why
        if upload_form.is_valid():
            item_id = upload_form.cleaned_data["evidence_item"]
            added, refused = add_files(request, application, item_id, request.FILES.getlist("file"))
            if added:
                messages.success(request, ngettext("%(count)d file caricato: %(names)s.", "%(count)d file caricati: %(names)s.",
                                                   len(added)) % {"count": len(added),
                                                                  "names": ", ".join(f.original_name for f in added)})
            if added or not refused:
                for name, reason in refused:
                    messages.error(request, _("%(name)s non caricato: %(reason)s") % {"name": name, "reason": reason})
                return redirect(step.url(application) + f"#item-{item_id}")
            upload_form.add_error("file", " ".join(reason for _name, reason in refused))
        failed_item = request.POST.get("evidence_item")
    overview = application_overview(application)
    return render_step(request, application, step, score=overview.score, rows=overview.evidence,
                       upload_form=upload_form, failed_item=str(failed_item or ""),
                       review_url=wizard.url(application, wizard.REVIEW),
                       max_file_mb=settings.OT24_MAX_FILE_BYTES // (1024 * 1024),
                       max_file_bytes=settings.OT24_MAX_FILE_BYTES,
                       max_application_mb=settings.OT24_MAX_APPLICATION_BYTES // (1024 * 1024))


def _may_retry(exc: ValidationError) -> bool:
    """Whether the same file sent again may be accepted (the database was busy), not refused for good."""
    return any(error.code == services.RETRY for error in exc.error_list)


@login_required
@require_POST
def evidence_upload_json(request, pk: int):
    """One file for one evidence item, answered in JSON: what the evidence page's script sends, one request
    per file so that each has its own progress bar."""
    application = get_application(request, pk)
    if not user_can(request, "applications.edit_application", application):
        raise Http404
    try:
        item_id = int(request.POST.get("evidence_item", ""))
    except ValueError:
        item_id = None
    files = request.FILES.getlist("file")
    if not files and not getattr(request, uploads.REFUSALS_ATTRIBUTE, None):
        return JsonResponse({"error": _("Scegliere un file da caricare.")}, status=400)
    try:
        added, refused = add_files(request, application, item_id, files)
    except PermissionDenied:
        raise Http404
    except storage.StorageUnavailable:
        return JsonResponse({"error": store_unavailable_message(), "retry": True}, status=503)
    if refused:  # the page names the file
        retry = getattr(request, "_ot24_upload_retry", False)
        return JsonResponse({"error": " ".join(reason for _name, reason in refused), "retry": retry},
                            status=503 if retry else 400)
    return JsonResponse(_uploaded_answer(application, added[0]), status=201)


def _uploaded_answer(application, evidence) -> dict:
    """What the evidence page's script shows for a stored file: its row and whether the intervention is
    now documented in full."""
    row = next((r for r in evidence_checklist(application, application_selections(application))
                if r.intervention.pk == evidence.evidence_item.intervention_id), None)
    return {
        "ok": True,
        "redirect": wizard.url(application, wizard.EVIDENCE) + f"#item-{evidence.evidence_item_id}",
        "file": {"id": evidence.pk, "name": evidence.original_name, "size": filesizeformat(evidence.size),
                 "sha256": evidence.sha256,
                 "download_url": reverse("evidence_download", args=[application.pk, evidence.pk]),
                 "remove_url": reverse("evidence_remove", args=[application.pk, evidence.pk])},
        "intervention_complete": bool(row and row.status.complete),
        "message": _("File caricato: %(name)s.") % {"name": evidence.original_name},
    }


def store_unavailable_message() -> str:
    return _("L'archivio dei documenti non è raggiungibile in questo momento: il file non è stato salvato e la "
             "domanda è rimasta com'era. Riprovare tra qualche minuto.")


def _raw_refusal(message: str, status: int, *, retry: bool = False) -> JsonResponse:
    """A refused upload for the page's script: why, and whether sending the same file again may work (the
    page then offers "Riprova")."""
    return JsonResponse({"ok": False, "error": message, "retry": retry or status == 503},
                        status=status)


@login_required
@require_POST
def evidence_upload_raw(request, pk: int):
    """One file for one evidence item, sent as the request's body (Content-Type application/octet-stream;
    ?item=<evidence item id>&name=<file name>; CSRF token in the X-CSRFToken header, so nothing parses the
    body): what the evidence page's script sends. No multipart parsing: the body goes in 1 MB pieces
    straight to a temporary file beside the store, hashed as it arrives (ot24portal.filestore.uploads.receive_body),
    then through the same service as the form (permission, quota, content checks, storage by hash).
    Answered in JSON: 201 {"ok": true, "redirect", "file", ...}; otherwise {"ok": false, "error"} with
    400, 403 (the application cannot be edited), 411 (no length) or 413 (over the limit or the quota,
    refused from the announced length before reading). Applications the user may not see: 404."""
    application = get_application(request, pk)
    if not user_can(request, "applications.edit_application", application):
        return _raw_refusal(_("La domanda non è modificabile: non è possibile caricare documenti."), 403)
    try:
        item_id = int(request.GET.get("item", ""))
    except ValueError:
        item_id = None
    item = edition_catalogue(application.campaign.edition).evidence_items.get(item_id) if item_id else None
    if item is None:
        return _raw_refusal(_("Documento non previsto."), 400)
    if request.content_type != "application/octet-stream":
        return _raw_refusal(_("Il file va inviato come contenuto della richiesta (application/octet-stream)."), 400)
    name = uploads.clean_file_name(request.GET.get("name", ""))
    if not name:
        return _raw_refusal(_("Indicare il nome del file."), 400)
    if not request.META.get("CONTENT_LENGTH"):
        return _raw_refusal(_("Lunghezza del file non indicata."), 411)
    try:
        size = int(request.META["CONTENT_LENGTH"])
    except ValueError:
        return _raw_refusal(_("Lunghezza del file non valida."), 400)
    if size <= 0:
        return _raw_refusal(_("Il file è vuoto."), 400)
    limit, too_big = services.upload_limit(application)
    if size > limit:  # not read at all
        return _raw_refusal(too_big or _("Il file supera il limite di %(mb)d MB.")
                            % {"mb": settings.OT24_MAX_FILE_BYTES // (1024 * 1024)}, 413)
    try:
        uploaded = uploads.receive_body(request, name=name, size=size, max_bytes=limit, too_big=too_big)
    except uploads.BodyTooLarge as exc:
        return _raw_refusal(str(exc), 413)
    except storage.RejectedFile as exc:
        return _raw_refusal(str(exc), 400)
    except OSError:  # the client went away (UnreadablePostError) or the disk refused
        return _raw_refusal(_("Caricamento interrotto prima della fine del file: riprovare."), 400, retry=True)
    try:
        evidence = services.evidence_add(user=request.user, application=application, evidence_item=item,
                                         uploaded_file=uploaded)
    except PermissionDenied:
        return _raw_refusal(_("La domanda non è modificabile: non è possibile caricare documenti."), 403)
    except ValidationError as exc:
        if _may_retry(exc):
            return _raw_refusal(" ".join(exc.messages), 503)
        return _raw_refusal(" ".join(exc.messages), 400)
    except storage.StorageUnavailable:
        return _raw_refusal(store_unavailable_message(), 503)
    finally:
        uploaded.close()  # removes the temporary file unless the store moved it into place
    return JsonResponse(_uploaded_answer(application, evidence), status=201)


@login_required
@require_POST
def evidence_remove(request, pk: int, file_pk: int):
    application = get_application(request, pk)
    evidence = get_object_or_404(application.evidence_files, pk=file_pk)
    try:
        services.evidence_remove(user=request.user, evidence=evidence)
    except PermissionDenied:
        messages.error(request, _("Non è possibile rimuovere file da una domanda già inviata."))
    else:
        messages.success(request, _("File rimosso."))
    return redirect(wizard.url(application, wizard.EVIDENCE))


@login_required
def evidence_download(request, pk: int, file_pk: int):
    application = get_application(request, pk)
    if not request.user.has_perm("applications.view_evidence", application):
        raise Http404
    return evidence_response(application, file_pk, as_attachment=True)


def evidence_response(application, file_pk: int, *, as_attachment: bool):
    """One evidence file of the application, after its hash check: 404 when unknown or gone, 409 when
    the stored bytes no longer match the upload. Callers have checked who may see it."""
    evidence = get_object_or_404(application.evidence_files, pk=file_pk)
    if not storage.exists(evidence.storage_name):
        raise Http404
    if not storage.matches_hash(evidence.storage_name, evidence.sha256):
        return altered_response(f"evidence file {evidence.pk} of application {application.pk}",
                        _("Il file risulta alterato rispetto a quello caricato e non viene consegnato. Contattare l'assistenza."))
    response = FileResponse(storage.open_stored(evidence.storage_name), as_attachment=as_attachment,
                            filename=evidence.original_name, content_type=evidence.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _signable(application, file_pk: int):
    evidence = get_object_or_404(application.evidence_files.select_related("evidence_item__intervention", "signed_by"),
                                 pk=file_pk)
    if evidence.signature == evidence.Signature.NOT_REQUIRED:
        raise Http404  # an ordinary upload: nothing to sign
    return evidence


@login_required
def evidence_sign(request, pk: int, file_pk: int):
    """A generated document to sign: download it, then upload it signed digitally (PAdES or CAdES) or the
    scan of a printed copy signed by hand. Anybody who may see the application's evidence sees the page
    (what the document is and its state); only the legal representative or a signatory, on a draft, signs."""
    application = get_application(request, pk)
    if not user_can(request, "applications.view_evidence", application):
        raise Http404
    evidence = _signable(application, file_pk)
    can_sign = user_can(request, "applications.sign_evidence", application) and evidence.awaiting_signature
    forms = {m: SignForm(method=m) for m in (SignForm.QUALIFIED, SignForm.HANDWRITTEN)}
    if request.method == "POST":
        if not can_sign:
            raise PermissionDenied
        method = request.POST.get("method")
        if method not in forms:
            return HttpResponseBadRequest()
        form = forms[method] = SignForm(request.POST, request.FILES, method=method)
        if form.is_valid():
            sign = (services.evidence_sign_qualified if method == SignForm.QUALIFIED
                    else services.evidence_sign_by_hand)
            try:
                sign(user=request.user, evidence=evidence, uploaded_file=form.cleaned_data["file"])
            except PermissionDenied:
                raise
            except ValidationError as exc:
                form.add_error("file", exc)
            except storage.StorageUnavailable:
                form.add_error("file", store_unavailable_message())
            else:
                messages.success(request, _("Documento firmato: %(name)s ora documenta l'intervento.")
                                 % {"name": evidence.original_name})
                return redirect(wizard.url(application, wizard.EVIDENCE) + f"#item-{evidence.evidence_item_id}")
    return render(request, "evidence/sign.html", {
        "application": application, "evidence": evidence, "can_sign": can_sign,
        "may_sign_role": user_can(request, "applications.sign_evidence", application),
        "qualified_form": forms[SignForm.QUALIFIED], "hand_form": forms[SignForm.HANDWRITTEN],
        "evidence_url": wizard.url(application, wizard.EVIDENCE) + f"#item-{evidence.evidence_item_id}",
    }, status=400 if request.method == "POST" else 200)


@login_required
def evidence_signed_download(request, pk: int, file_pk: int):
    """The signed copy of a generated document (the signed PDF or .p7m, or the scan of the copy signed by
    hand), after the same permission and hash checks as any evidence file."""
    application = get_application(request, pk)
    if not request.user.has_perm("applications.view_evidence", application):
        raise Http404
    evidence = get_object_or_404(application.evidence_files, pk=file_pk)
    return signed_copy_response(application, evidence, as_attachment=True)


def signed_copy_response(application, evidence, *, as_attachment: bool):
    """The signed copy of one of the application's generated documents, after its hash check: 404 when it has
    none or it is gone, 409 when the stored bytes no longer match. Callers have checked who may see it."""
    if not evidence.signed_storage_name or not storage.exists(evidence.signed_storage_name):
        raise Http404
    if not storage.matches_hash(evidence.signed_storage_name, evidence.signed_sha256):
        return altered_response(f"signed copy of evidence file {evidence.pk} of application {application.pk}",
                                _("Il file risulta alterato rispetto a quello caricato e non viene consegnato. "
                                  "Contattare l'assistenza."))
    response = FileResponse(storage.open_stored(evidence.signed_storage_name), as_attachment=as_attachment,
                            filename=evidence.signed_original_name, content_type=evidence.signed_content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response
