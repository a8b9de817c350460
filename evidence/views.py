"""An application's evidence files: download (after the hash check) and removal from a draft. Uploads are
a step of the wizard (applications.views.wizard), answers to clarifications a review view."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from applications.views.common import altered_response, get_application, step_url

from . import services, storage


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
    return redirect(step_url(application, "evidence"))


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
