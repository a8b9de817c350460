"""INAIL reviewers: the queue of submitted applications, taking one, bulk assignment by supervisors."""
from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import User
from interventions.scoring import benefit
from interventions.sectors import SECTOR_CHOICES

from applications import services
from applications.models import Application
from review.models import Verdict
from applications.pagination import BoundedPaginator
from applications.selectors import (QUEUE_STATES, application_facts, application_pats, application_score, applications_for,
                         pat_conflicts, review_queue_for)

S = Application.Status
SORTS = {"due": "submitted_at", "-due": "-submitted_at", "company": "site__company__ragione_sociale",
         "points": "declared_total", "-points": "-declared_total"}
NEAR_DUE_DAYS = 15


def _require_reviewer(user):
    if not user.has_perm("applications.review_queue"):
        raise Http404


def queue_filter(user, params) -> tuple:
    qs = review_queue_for(user).select_related("reviewer")
    f = {k: (params.get(k) or "").strip()[:40]
         for k in ("campaign", "status", "province", "sector", "reviewer", "due", "sort", "points_min", "points_max")}
    if f["points_min"].isdigit():
        qs = qs.filter(declared_total__gte=int(f["points_min"]))
    if f["points_max"].isdigit():
        qs = qs.filter(declared_total__lte=int(f["points_max"]))
    if f["campaign"].isdigit():
        qs = qs.filter(campaign__filing_year=int(f["campaign"]))
    if f["status"] in S.values:
        qs = qs.filter(status=f["status"])
    if f["province"]:
        # Stored upper-case (validated): an exact match on the application's copy of its site's province
        # reads the queue_by_province_* indexes in order (bench: scale).
        qs = qs.filter(province=f["province"].upper())
    if f["sector"]:
        qs = qs.filter(sector=f["sector"])
    if f["reviewer"] == "me":
        qs = qs.filter(reviewer=user)
    elif f["reviewer"] == "none":
        qs = qs.filter(reviewer__isnull=True)
    now = timezone.now()
    deadline = dt.timedelta(days=Application.DECISION_DAYS)
    open_states = [S.SUBMITTED, S.IN_REVIEW, S.CLARIFICATION_REQUESTED, S.CLARIFICATION_ANSWERED]
    if f["due"] == "overdue":
        qs = qs.filter(status__in=open_states, submitted_at__lt=now - deadline)
    elif f["due"] == "near":
        qs = qs.filter(status__in=open_states, submitted_at__gte=now - deadline,
                       submitted_at__lt=now - deadline + dt.timedelta(days=NEAR_DUE_DAYS))
    sort = SORTS.get(f["sort"], "submitted_at")
    qs = qs.order_by(sort, "-pk" if sort.startswith("-") else "pk")  # one direction: the index is read in order
    return qs, f


@login_required
def review_queue(request):
    _require_reviewer(request.user)
    qs, filters = queue_filter(request.user, request.GET)
    page = BoundedPaginator(qs, settings.OT24_PAGINATE_BY).get_page(request.GET.get("page"))
    today = timezone.localdate()
    open_states = (S.SUBMITTED, S.IN_REVIEW, S.CLARIFICATION_REQUESTED, S.CLARIFICATION_ANSWERED)
    rows = []
    for a in page:
        days = a.days_to_decision(today)
        rows.append({"application": a, "days": days,
                     "urgent": a.status in open_states and days is not None and days <= NEAR_DUE_DAYS})
    return render(request, "review/review_queue.html", {
        "page": page, "rows": rows, "filters": filters, "statuses": [(s, S(s).label) for s in QUEUE_STATES],
        "sectors": SECTOR_CHOICES, "can_assign": request.user.has_perm("applications.assign_reviews"),
        "reviewers": User.objects.filter(role__in=[User.Role.REVIEWER, User.Role.SUPERVISOR], is_active=True).order_by("last_name"),
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
        return redirect("review_queue")
    try:
        count = services.review_assign(user=request.user, reviewer=reviewer,
                                       applications=list(applications_for(request.user).filter(pk__in=ids)))
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, exc.messages[0] if hasattr(exc, "messages") else str(exc))
    else:
        messages.success(request, _("%(n)s domande assegnate a %(who)s.") % {"n": count, "who": reviewer})
    return redirect("review_queue")


def _reviewable(request, pk):
    _require_reviewer(request.user)
    return get_object_or_404(applications_for(request.user).exclude(status=S.DRAFT).select_related("reviewer"), pk=pk)


@login_required
def review_detail(request, pk: int):
    """The review screen: every selected intervention with its evidence items and files (preview, hash
    check), verdicts per file and per intervention, the validated score, clarification and decision."""
    from interventions.models import Intervention

    from applications.selectors import evidence_checklist
    from evidence import storage

    from . import services as review

    application = _reviewable(request, pk)
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "verdict":
                intervention = get_object_or_404(Intervention, pk=request.POST.get("intervention") or 0)
                evidence_file = None
                if request.POST.get("evidence_file"):
                    evidence_file = get_object_or_404(application.evidence_files, pk=request.POST["evidence_file"])
                review.verdict_record(user=request.user, application=application, intervention=intervention,
                                      evidence_file=evidence_file, outcome=request.POST.get("outcome", ""),
                                      reason=request.POST.get("reason", "")[:2000])
                messages.success(request, _("Giudizio registrato."))
            elif action == "clarify":
                deadline = None
                if request.POST.get("deadline"):
                    try:
                        deadline = dt.date.fromisoformat(request.POST["deadline"])
                    except ValueError:
                        raise ValidationError(_("Data del termine non valida.")) from None
                codes = request.POST.getlist("interventions")
                interventions = list(Intervention.objects.filter(
                    pk__in=application.selections.filter(intervention__pk__in=[c for c in codes if c.isdigit()])
                    .values("intervention")))
                review.clarification_request(user=request.user, application=application,
                                             request=request.POST.get("request", "")[:5000],
                                             interventions=interventions, deadline=deadline)
                messages.success(request, _("Richiesta di chiarimenti inviata."))
            elif action == "note":
                review.note_add(user=request.user, application=application, message=request.POST.get("message", "")[:5000])
                messages.success(request, _("Nota interna registrata."))
            elif action == "decide":
                review.review_decide(user=request.user, application=application)
                messages.success(request, _("Provvedimento adottato."))
            else:
                raise ValidationError(_("Azione sconosciuta."))
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, exc.messages[0] if isinstance(exc, ValidationError) else str(exc))
        return redirect("review_detail", pk=application.pk)

    by_intervention, by_file = review.latest_verdicts(application)
    rows = []
    for row in evidence_checklist(application):
        items = []
        for item, files in row.items:
            items.append((item, [{"file": f, "intact": storage.matches_hash_remembered(f.storage_name, f.sha256),
                                  "verdict": by_file.get(f.pk)} for f in files]))
        rows.append({"intervention": row.intervention, "items": items, "verdict": by_intervention.get(row.intervention.pk)})
    events = application.events.select_related("actor")
    sector, workers = application_facts(application)
    return render(request, "review/review_detail.html", {
        "declared_sector": dict(SECTOR_CHOICES).get(sector, sector), "declared_workers": workers,
        "benefits": [(pat, benefit(pat.lavoratori_anno, pat.premium)) for pat in application_pats(application)],
        "pat_conflicts": pat_conflicts(application),
        "application": application, "rows": rows, "validated": review.validated_score(application),
        "declared": application_score(application),
        "outcomes": Verdict.Outcome.choices, "is_mine": application.reviewer_id == request.user.pk,
        "open_clarification": review.open_clarification(application), "clarifications": application.clarifications.all(),
        "timeline": events, "default_deadline": timezone.localdate() + dt.timedelta(days=settings.OT24_CLARIFICATION_DAYS),
    })


@login_required
def evidence_preview(request, pk: int, file_pk: int):
    """Inline preview of an evidence file for reviewers, sandboxed, after the hash check."""
    from applications.views.wizard import evidence_response

    response = evidence_response(_reviewable(request, pk), file_pk, as_attachment=False)
    if response.status_code != 200:
        return response
    response["Content-Security-Policy"] = "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'"
    response["X-Frame-Options"] = "SAMEORIGIN"
    return response


@login_required
def verify_document(request):
    """Reviewers upload a PDF and learn whether the portal issued it, unaltered, and for which application."""
    from .verification import verify_bytes

    _require_reviewer(request.user)
    report = None
    if request.method == "POST":
        upload = request.FILES.get("pdf")
        if upload is None:
            messages.error(request, _("Scegliere un file PDF."))
        elif upload.size > settings.OT24_MAX_FILE_BYTES:
            messages.error(request, _("Il file è troppo grande."))
        else:
            report = verify_bytes(upload.read())
            if report.get("application"):
                visible = applications_for(request.user).filter(pk=report["application"]["pk"]).exists()
                if not visible:
                    report["application"] = None
    return render(request, "review/verify_document.html", {"report": report})
