"""Dashboards: one page for companies and consultants (filtered to what the user works for), the
consultants' CSV export, and the reviewers' list of submitted applications."""
from __future__ import annotations

import csv

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render

from organisations.models import Site
from organisations.selectors import companies_for

from ..models import Application, Campaign
from ..selectors import dashboard_rows, dashboard_rows_for, dashboard_sites


def current_campaign():
    return Campaign.objects.filter(is_open=True).select_related("edition").order_by("-filing_year").first()


@login_required
def dashboard(request):
    campaign = current_campaign()
    if request.user.is_reviewer:
        return redirect("review_queue")
    if request.user.is_superuser or request.user.role == request.user.Role.ADMIN:
        return redirect("admin_landing")  # administrators act on no company's application
    query = request.GET.get("q", "").strip()[:100]
    status = request.GET.get("status", "")
    sites = dashboard_sites(request.user, campaign, query=query, status=status) if campaign else Site.objects.none()
    page = Paginator(sites, settings.OT24_PAGINATE_BY).get_page(request.GET.get("page"))
    page.object_list = dashboard_rows_for(list(page.object_list), campaign) if campaign else []
    return render(
        request,
        "applications/dashboard.html",
        {
            "campaign": campaign,
            "page": page,
            "query": query,
            "status": status,
            "statuses": Application.Status.choices,
            "is_consultant": request.user.is_consultant,
            "companies": companies_for(request.user).order_by("ragione_sociale")[:50],
        },
    )


@login_required
def dashboard_csv(request):
    campaign = current_campaign()
    rows = dashboard_rows(request.user, campaign, query=request.GET.get("q", "").strip()[:100],
                          status=request.GET.get("status", "")) if campaign else []
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="domande-ot24.csv"'
    response.write("\ufeff")  # Excel opens UTF-8 with a BOM
    writer = csv.writer(response, delimiter=";")
    writer.writerow(["Azienda", "Codice fiscale", "Unità produttiva", "Città", "Stato", "Punteggio", "Interventi senza documentazione", "Giorni alla scadenza"])
    for row in rows:
        writer.writerow([
            _safe(row.site.company.ragione_sociale), row.site.company.codice_fiscale, _safe(row.site.name), _safe(row.site.city),
            row.application.get_status_display() if row.application else "Non avviata",
            "" if row.total is None else row.total,
            "" if row.missing_evidence is None else row.missing_evidence,
            row.days_left,
        ])
    return response


def _safe(value: str) -> str:
    """Neutralise spreadsheet formulas in user-typed cells (CSV injection)."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value
