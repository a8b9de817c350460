"""INAIL reviewers: the queue of submitted applications, taking one, bulk assignment by supervisors."""
from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import User
from interventions.sectors import SECTOR_CHOICES

from .. import services
from ..models import Application
from ..selectors import applications_for

S = Application.Status
QUEUE_STATES = [S.SUBMITTED, S.IN_REVIEW, S.CLARIFICATION_REQUESTED, S.CLARIFICATION_ANSWERED, S.APPROVED, S.REJECTED]
SORTS = {"due": "submitted_at", "-due": "-submitted_at", "company": "site__company__ragione_sociale"}
NEAR_DUE_DAYS = 15


def _require_reviewer(user):
    if not user.has_perm("applications.review_queue"):
        raise Http404


def queue_filter(user, params) -> tuple:
    qs = applications_for(user).filter(status__in=QUEUE_STATES).select_related("site__company", "reviewer", "campaign")
    f = {k: (params.get(k) or "").strip()[:40] for k in ("campaign", "status", "province", "sector", "reviewer", "due", "sort")}
    if f["campaign"].isdigit():
        qs = qs.filter(campaign__filing_year=int(f["campaign"]))
    if f["status"] in S.values:
        qs = qs.filter(status=f["status"])
    if f["province"]:
        qs = qs.filter(site__province__iexact=f["province"])
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
    qs = qs.order_by(SORTS.get(f["sort"], "submitted_at"), "pk")
    return qs, f


@login_required
def review_queue(request):
    _require_reviewer(request.user)
    qs, filters = queue_filter(request.user, request.GET)
    page = Paginator(qs, settings.OT24_PAGINATE_BY).get_page(request.GET.get("page"))
    today = timezone.localdate()
    open_states = (S.SUBMITTED, S.IN_REVIEW, S.CLARIFICATION_REQUESTED, S.CLARIFICATION_ANSWERED)
    rows = []
    for a in page:
        days = a.days_to_decision(today)
        rows.append({"application": a, "days": days,
                     "urgent": a.status in open_states and days is not None and days <= NEAR_DUE_DAYS})
    query = "&".join(f"{k}={v}" for k, v in filters.items() if v)
    return render(request, "applications/review_queue.html", {
        "page": page, "rows": rows, "filters": filters, "query": query, "statuses": [(s, S(s).label) for s in QUEUE_STATES],
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
    return redirect("application_step", pk=application.pk, step="review")


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
