"""Reads for reviewers: the queue and its filters, verdicts, the validated score, open clarifications,
PAT numbers claimed by more than one company."""
from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from applications.models import Application
from applications.selectors import application_pats, application_score, application_selections
from applications.workflow import OPEN_STATES, QUEUE_STATES
from interventions import scoring
from organisations.models import PAT

from .models import Clarification, Verdict

S = Application.Status
SORTS = {"due": "submitted_at", "-due": "-submitted_at", "company": "site__company__ragione_sociale",
         "points": "declared_total", "-points": "-declared_total"}
NEAR_DUE_DAYS = 15

__all__ = ["QUEUE_STATES", "NEAR_DUE_DAYS", "review_queue_for", "review_queue_filtered", "latest_verdicts",
           "validated_score", "open_clarification", "pat_conflicts"]


def review_queue_for(user) -> QuerySet[Application]:
    """Applications in the reviewers' queue. A reviewer may view every application that is neither a
    draft nor withdrawn (the same as applications_for, without its per-company clause, which adds nothing
    in these states and kept PostgreSQL from reading the queue's indexes in order)."""
    if not (user.is_authenticated and (user.is_reviewer or user.is_superuser)):
        return Application.objects.none()
    return Application.objects.for_review().filter(status__in=QUEUE_STATES)


def review_queue_filtered(user, params) -> tuple[QuerySet[Application], dict[str, str]]:
    """The queue as the reviewers' filters and sort ask (params: the query string), with the filters as
    read, for the form."""
    qs = review_queue_for(user)
    f = {k: (params.get(k) or "").strip()[:40]
         for k in ("campaign", "status", "province", "sector", "reviewer", "due", "sort", "points_min", "points_max")}
    if f["points_min"].isdigit():
        qs = qs.filter(declared_total__gte=int(f["points_min"]))
    if f["points_max"].isdigit():
        qs = qs.filter(declared_total__lte=int(f["points_max"]))
    if f["campaign"].isdigit():
        qs = qs.filter(campaign__filing_year=int(f["campaign"]))
    if f["status"] == "open":
        qs = qs.filter(status__in=OPEN_STATES)
    elif f["status"] in S.values:
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
    elif f["reviewer"] == "me_or_none":
        qs = qs.filter(Q(reviewer=user) | Q(reviewer__isnull=True))
    now = timezone.now()
    deadline = dt.timedelta(days=Application.DECISION_DAYS)
    if f["due"] == "overdue":
        qs = qs.filter(status__in=OPEN_STATES, submitted_at__lt=now - deadline)
    elif f["due"] == "near":
        qs = qs.filter(status__in=OPEN_STATES, submitted_at__gte=now - deadline,
                       submitted_at__lt=now - deadline + dt.timedelta(days=NEAR_DUE_DAYS))
    sort = SORTS.get(f["sort"], "submitted_at")
    qs = qs.order_by(sort, "-pk" if sort.startswith("-") else "pk")  # one direction: the index is read in order
    return qs, f


FILTER_KEYS = ("campaign", "status", "province", "sector", "reviewer", "due", "sort", "points_min", "points_max")


def queue_defaults(user) -> dict[str, str]:
    """The queue opens on the work to do: open applications, for reviewers the ones that are theirs or
    nobody's (administrators, who take none, see every open one)."""
    return {"status": "open", "reviewer": "me_or_none" if user.is_reviewer else ""}


def reviewer_workload(today: dt.date | None = None) -> list[dict]:
    """For supervisors: each active reviewer's open applications, and how many of them are due within
    NEAR_DUE_DAYS or overdue; the unassigned ones last (reviewer None)."""
    from accounts.models import User

    today = today or timezone.localdate()
    near = timezone.now() - dt.timedelta(days=Application.DECISION_DAYS - NEAR_DUE_DAYS)
    counts = {row["reviewer"]: row for row in Application.objects.filter(status__in=OPEN_STATES).order_by()
              .values("reviewer").annotate(open=Count("pk"), urgent=Count("pk", filter=Q(submitted_at__lt=near)))}
    rows = []
    for reviewer in User.objects.filter(role__in=[User.Role.REVIEWER, User.Role.SUPERVISOR], is_active=True).order_by("last_name", "first_name", "pk"):
        c = counts.get(reviewer.pk, {})
        rows.append({"reviewer": reviewer, "open": c.get("open", 0), "urgent": c.get("urgent", 0)})
    c = counts.get(None, {})
    rows.append({"reviewer": None, "open": c.get("open", 0), "urgent": c.get("urgent", 0)})
    return rows


def latest_verdicts(application: Application) -> tuple[dict[int, Verdict], dict[int, Verdict]]:
    """(by intervention id, by evidence file id): the latest verdict of each target."""
    by_intervention: dict[int, Verdict] = {}
    by_file: dict[int, Verdict] = {}
    for v in application.verdicts.select_related("reviewer").order_by("created_at", "pk"):
        if v.evidence_file_id:
            by_file[v.evidence_file_id] = v
        else:
            by_intervention[v.intervention_id] = v
    return by_intervention, by_file


def validated_score(application: Application, *, by_intervention: dict[int, Verdict] | None = None,
                    selections: list | None = None) -> scoring.ScoreResult:
    """The same engine, on the interventions the reviewer judged 'idoneo' only. A page that has already
    read the latest verdicts (latest_verdicts) and the selections (application_selections) passes them."""
    if by_intervention is None:
        by_intervention, _ = latest_verdicts(application)
    selections = application_selections(application) if selections is None else selections
    accepted = [s for s in selections
                if getattr(by_intervention.get(s.intervention_id), "outcome", None) == Verdict.Outcome.SUITABLE]
    return application_score(application, selections=accepted)


def open_clarification(application: Application) -> Clarification | None:
    return application.clarifications.filter(answered_at__isnull=True, expired=False).order_by("-created_at").first()


def open_clarification_of(clarifications: list[Clarification]) -> Clarification | None:
    """open_clarification() among an application's clarifications already read (oldest first)."""
    pending = [c for c in clarifications if c.answered_at is None and not c.expired]
    return max(pending, key=lambda c: c.created_at) if pending else None


def pat_conflicts(application: Application, pats: list | None = None) -> dict[str, list[str]]:
    """PAT numbers of this application that another company lists too, with those companies' names
    (for reviewers: a number can be claimed by mistake or by someone else). `pats`: the application's
    (application_pats), if already read."""
    numbers = [p.number for p in (application_pats(application) if pats is None else pats)]
    conflicts: dict[str, list[str]] = {}
    rows = (PAT.objects.filter(number__in=numbers).exclude(site__company_id=application.site.company_id)
            .values_list("number", "site__company__ragione_sociale").order_by("number", "site__company__ragione_sociale"))
    for number, name in rows:
        conflicts.setdefault(number, [])
        if name not in conflicts[number]:
            conflicts[number].append(name)
    return conflicts


def open_clarifications(applications) -> dict[int, dt.date]:
    """Application id -> deadline of its open clarification request, for these applications (one query)."""
    ids = [a.pk for a in applications if a is not None and a.status == Application.Status.CLARIFICATION_REQUESTED]
    if not ids:
        return {}
    return dict(Clarification.objects.filter(application_id__in=ids, answered_at__isnull=True, expired=False)
                .order_by("application_id", "created_at").values_list("application_id", "deadline"))
