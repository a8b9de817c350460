"""INAIL reviewers: the queue, taking an application, bulk assignment by supervisors, the review screen,
evidence preview, document verification; and the applicant's side of a review: answers to a
clarification request, the decision letter."""
from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, QueryDict
from django.urls import reverse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from accounts.models import User
from evidence.forms import EvidenceUploadForm
from applications.models import Application
from ot24portal.pagination import BoundedPaginator
from applications.selectors import (application_facts, application_pats, application_score, application_selections,
                                   applications_for)
from applications.views.common import altered_response, get_application, perform
from applications import wizard, workflow
from applications.workflow import OPEN_STATES, REVIEWABLE_STATES
from ot24portal.filestore import storage, uploads
from evidence.selectors import evidence_checklist
from evidence.views import evidence_response, signed_copy_response
from interventions.models import EvidenceItem
from interventions.scoring import benefit
from interventions.sectors import SECTOR_CHOICES
from organisations.rules import tied_companies

from . import services
from .forms import ACTIONS
from .models import Verdict
from .rules import can_take_application
from applications.timeline import event_label
from .selectors import (FILTER_KEYS, NEAR_DUE_DAYS, QUEUE_STATES, latest_verdicts, open_clarification_of, pat_conflicts,
                        queue_defaults, review_queue_filtered, reviewer_workload, validated_score)
from .verification import verify_bytes

S = Application.Status


def _require_reviewer(user):
    if not user.has_perm("applications.review_queue"):
        raise Http404


@login_required
def review_queue(request):
    _require_reviewer(request.user)
    params = request.GET
    if not any(key in params for key in FILTER_KEYS):
        params = queue_defaults(request.user)  # no filter chosen yet: the work to do
    qs, filters = review_queue_filtered(request.user, params)
    page = BoundedPaginator(qs, settings.OT24_PAGINATE_BY, late_rows=True).get_page(request.GET.get("page"))
    today = timezone.localdate()
    tied_companies(request.user)  # read once now, whether or not a row can be taken: same queries for any rows
    rows = []
    for a in page:
        days = a.days_to_decision(today)
        rows.append({"application": a, "days": days, "can_take": can_take_application(request.user, a),
                     "urgent": a.status in OPEN_STATES and days is not None and days <= NEAR_DUE_DAYS})
    can_assign = request.user.has_perm("applications.assign_reviews")
    workload = reviewer_workload(today) if can_assign else []
    return render(request, "review/review_queue.html", {
        "page": page, "rows": rows, "filters": filters, "statuses": [(s, S(s).label) for s in QUEUE_STATES],
        "sectors": SECTOR_CHOICES, "can_assign": can_assign, "workload": workload,
        "reviewers": [w for w in workload if w["reviewer"] is not None],
        "is_reviewer": request.user.is_reviewer,
    })


@login_required
@require_POST
def review_take(request, pk: int):
    _require_reviewer(request.user)
    application = get_object_or_404(applications_for(request.user), pk=pk)
    try:
        services.review_take(user=request.user, application=application)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, exc.messages[0] if hasattr(exc, "messages") else str(exc))
        return redirect("review_queue")
    messages.success(request, _("Domanda presa in carico."))
    return redirect("review_detail", pk=application.pk)


@login_required
@require_POST
def review_assign(request):
    if not request.user.has_perm("applications.assign_reviews"):
        raise Http404
    reviewer = User.objects.filter(pk=request.POST.get("reviewer") or 0).first()
    ids = [int(i) for i in request.POST.getlist("applications") if i.isdigit()][:500]
    if reviewer is None or not ids:
        messages.error(request, _("Scegliere almeno una domanda e un revisore."))
        return _back_to_queue(request)
    try:
        count = services.review_assign(user=request.user, reviewer=reviewer,
                                       applications=list(applications_for(request.user).filter(pk__in=ids)))
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, exc.messages[0] if hasattr(exc, "messages") else str(exc))
    else:
        messages.success(request, ngettext("%(n)s domanda assegnata a %(who)s.", "%(n)s domande assegnate a %(who)s.", count)
                         % {"n": count, "who": reviewer})
    return _back_to_queue(request)


def _back_to_queue(request):
    """The queue as the supervisor was filtering it (the form's "filters": its query string, re-encoded
    from the known filter keys only)."""
    params = QueryDict(request.POST.get("filters", "")[:1000])
    kept = {key: params[key][:40] for key in (*FILTER_KEYS, "page") if key in params}
    return redirect(reverse("review_queue") + ("?" + urlencode(kept) if kept else ""))


def _reviewable(request, pk):
    _require_reviewer(request.user)
    return get_object_or_404(applications_for(request.user).for_review().exclude(status=S.DRAFT), pk=pk)


@login_required
def review_detail(request, pk: int):
    """The review screen: every selected intervention with what was declared for it (sub-options) and its
    evidence files (preview beside the verdicts, hash check), one form for every verdict, the validated
    score, clarification and decision. Only the forms the application's state allows are shown. A POST
    runs one action (forms.ACTIONS); a refused verdict form is shown again with each error by its item."""
    application = _reviewable(request, pk)
    if request.method == "POST":
        form_class = ACTIONS.get(request.POST.get("action", ""))
        try:
            if form_class is None:
                raise ValidationError(_("Azione sconosciuta."))
            form_class(request.POST, application=application).perform(request.user)
            messages.success(request, form_class.success)
        except services.VerdictErrors as exc:
            messages.error(request, _("Nessun giudizio salvato: correggere gli errori indicati."))
            return _detail_page(request, application, posted=request.POST, errors=exc.by_key, status=422)
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, exc.messages[0] if isinstance(exc, ValidationError) else str(exc))
        return redirect("review_detail", pk=application.pk)
    return _detail_page(request, application)


def _declared_lines(application, selections) -> dict[int, dict]:
    """Per intervention id: the sub-options and declaration as declared (the frozen snapshot after
    submission, the live selection before)."""
    frozen = {line["code"]: line for line in (application.snapshot or {}).get("lines", [])} if not application.is_draft else {}
    declared = {}
    for s in selections:
        line = frozen.get(s.intervention.code)
        numbers = line["suboptions"] if line is not None else sorted(s.suboptions)
        confirmed = line["declaration_confirmed"] if line is not None else s.declaration_confirmed
        labels = {o.number: o.label for o in s.intervention.suboptions.all()}
        declared[s.intervention_id] = {"suboptions": [(n, labels.get(n, "")) for n in numbers],
                                       "declaration_confirmed": confirmed,
                                       "declarations": [d.label for d in s.intervention.declarations.all()]}
    return declared


def _target(key: str, latest, posted, errors) -> dict:
    if posted is not None:
        outcome, reason = posted.get(f"outcome-{key}", ""), posted.get(f"reason-{key}", "")
    else:
        outcome, reason = (latest.outcome, latest.reason) if latest is not None else ("", "")
    return {"key": key, "outcome": outcome, "reason": reason, "error": (errors or {}).get(key), "latest": latest}


def _detail_page(request, application, *, posted=None, errors=None, status=200):
    by_intervention, by_file = latest_verdicts(application)
    selections = application_selections(application)
    declared = _declared_lines(application, selections)
    rows = []
    for row in evidence_checklist(application, selections):
        items = []
        for item, files in row.items:
            items.append((item, [{"file": f, "intact": storage.matches_hash_remembered(f.storage_name, f.sha256),
                                  "verdict": by_file.get(f.pk),
                                  "target": _target(f"f{f.pk}", by_file.get(f.pk), posted, errors)} for f in files]))
        pk = row.intervention.pk
        rows.append({"intervention": row.intervention, "items": items, "verdict": by_intervention.get(pk),
                     "declared": declared.get(pk), "target": _target(f"i{pk}", by_intervention.get(pk), posted, errors)})
    events = list(application.events.select_related("actor"))
    for e in events:
        e.label = event_label(e)
    sector, workers = application_facts(application)
    is_mine = application.reviewer_id == request.user.pk
    clarifications = list(application.clarifications.all())
    pending = open_clarification_of(clarifications)
    pats = application_pats(application)
    return render(request, "review/review_detail.html", {
        "declared_sector": dict(SECTOR_CHOICES).get(sector, sector), "declared_workers": workers,
        "benefits": [(pat, benefit(pat.lavoratori_anno, pat.premium)) for pat in pats],
        "pat_conflicts": pat_conflicts(application, pats),
        "application": application, "rows": rows,
        # The decision's preview (issue 34): the interventions the letter will give as not accepted.
        "refused": [r for r in rows if r["verdict"] is not None and r["verdict"].outcome == Verdict.Outcome.UNSUITABLE],
        "validated": validated_score(application, by_intervention=by_intervention, selections=selections),
        "declared": application_score(application, selections=selections),
        "outcomes": Verdict.Outcome.choices, "is_mine": is_mine,
        "can_take": can_take_application(request.user, application),
        "can_judge": is_mine and application.status in REVIEWABLE_STATES,
        "can_clarify": is_mine and pending is None and workflow.allowed(request.user, application, "request_clarification"),
        "can_decide": is_mine and workflow.allowed(request.user, application, "approve"),
        "is_decided": application.status in (S.APPROVED, S.REJECTED),
        "open_clarification": pending, "clarifications": clarifications,
        "timeline": events, "default_deadline": timezone.localdate() + dt.timedelta(days=settings.OT24_CLARIFICATION_DAYS),
    }, status=status)


@login_required
def evidence_preview(request, pk: int, file_pk: int):
    """Inline preview of an evidence file for reviewers, sandboxed, after the hash check."""
    return _sandboxed(evidence_response(_reviewable(request, pk), file_pk, as_attachment=False))


@login_required
def signed_copy_preview(request, pk: int, file_pk: int):
    """Inline preview of the signed copy of a generated document (a signed PDF or the scan of the copy signed by
    hand: the reviewer checks date and signature beside the verdicts), sandboxed, after the hash check. A .p7m
    envelope has no preview: 404, its download stays on the review screen."""
    application = _reviewable(request, pk)
    evidence = get_object_or_404(application.evidence_files, pk=file_pk)
    if not evidence.signed_copy_previewable:
        raise Http404
    return _sandboxed(signed_copy_response(application, evidence, as_attachment=False))


def _sandboxed(response):
    """An uploaded file shown inline in the review screen's frame: no script, no request elsewhere. Also the
    refusals (409 altered file), so their message shows in the pane instead of the browser's blocked frame."""
    response["Content-Security-Policy"] = "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'"
    response["X-Frame-Options"] = "SAMEORIGIN"
    return response


@login_required
def verify_document(request):
    """Reviewers upload a PDF and learn whether the portal issued it, unaltered, and for which application."""
    _require_reviewer(request.user)
    report = None
    if request.method == "POST":
        upload = request.FILES.get("pdf")
        if upload is None:
            messages.error(request, uploads.refusal(request, "pdf") or _("Scegliere un file PDF."))
        elif upload.size > settings.OT24_MAX_FILE_BYTES:
            messages.error(request, _("Il file è troppo grande."))
        else:
            report = verify_bytes(upload.read())
            if report.get("application"):
                visible = applications_for(request.user).filter(pk=report["application"]["pk"]).exists()
                if not visible:
                    report["application"] = None
    return render(request, "review/verify_document.html", {"report": report})


# --- the applicant's side: answers to a clarification request; the decision letter -------------------


@login_required
@require_POST
def clarification_upload(request, pk: int):
    application = get_application(request, pk)
    form = EvidenceUploadForm(request.POST, request.FILES)
    uploads.explain_refusals(request, form)  # a file dropped while it arrived: say why
    if form.is_valid():
        item = EvidenceItem.objects.filter(pk=form.cleaned_data["evidence_item"]).first()
        if item is None:
            messages.error(request, _("Documento non previsto."))
        else:
            perform(request, lambda: services.clarification_add_file(
                user=request.user, application=application, evidence_item=item, uploaded_file=form.cleaned_data["file"]),
                success=_("File caricato."))
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return redirect(wizard.url(application, wizard.REVIEW))


@login_required
@require_POST
def clarification_file_remove(request, pk: int, file_pk: int):
    application = get_application(request, pk)
    evidence_file = get_object_or_404(application.evidence_files, pk=file_pk)
    perform(request, lambda: services.clarification_remove_file(user=request.user, application=application,
                                                                evidence_file=evidence_file),
            success=_("File rimosso."))
    return redirect(wizard.url(application, wizard.REVIEW) + "#clar-title")


@login_required
@require_POST
def clarification_answer(request, pk: int):
    application = get_application(request, pk)
    answer = request.POST.get("answer", "")[:10000]
    perform(request, lambda: services.clarification_answer(user=request.user, application=application, answer=answer),
            success=_("Chiarimenti inviati."))
    return redirect(wizard.url(application, wizard.REVIEW))


@login_required
def decision_pdf(request, pk: int):
    """The sealed decision letter, once the decision is taken, for whoever may view the application."""
    application = get_application(request, pk)
    if not application.decision_pdf_storage_name:
        raise Http404
    if not storage.matches_hash(application.decision_pdf_storage_name, application.decision_pdf_sha256):
        return altered_response(f"decision letter of application {application.pk}",
                        _("Il PDF firmato risulta alterato. Contattare l'assistenza."))
    response = FileResponse(storage.open_stored(application.decision_pdf_storage_name), as_attachment=True,
                            filename=f"provvedimento-{application.receipt_number}.pdf", content_type="application/pdf")
    response["X-Content-Type-Options"] = "nosniff"
    return response
