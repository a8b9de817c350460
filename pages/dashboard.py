"""The companies' and consultants' dashboard (filtered to what the user works for), its CSV export and the one
"add a site" control. In pages, above the apps it gathers from: the sites and their applications
(applications.dashboard, applications.selectors), the evidence counts (through applications.hooks) and the
open clarification requests (review.selectors)."""
from __future__ import annotations

import csv
import itertools

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from organisations.models import Company, Site
from organisations.selectors import companies_for, consultant_panel, open_invitations_for, visibility_for
from organisations.views import INVITATION_SESSION_KEY

from applications.dashboard import SORTS, dashboard_page
from applications.models import Application
from applications.selectors import current_campaign, dashboard_rows_for, dashboard_sites
from review.selectors import open_clarifications


def _companies(company_ids) -> list[Company]:
    """The user's companies (the client filter and "add a site"), by name."""
    return list(Company.objects.filter(pk__in=company_ids).only("id", "ragione_sociale").order_by("ragione_sociale")[:500])


def _filters(request) -> dict[str, str]:
    sort = request.GET.get("sort", "")
    return {"query": request.GET.get("q", "").strip()[:100], "status": request.GET.get("status", "")[:30],
            "company": request.GET.get("company", "")[:12], "sort": sort if sort.lstrip("-") in SORTS else ""}


@login_required
def dashboard(request):
    campaign = current_campaign()
    if request.user.is_reviewer:
        return redirect("review_queue")
    if request.user.is_superuser or request.user.role == request.user.Role.ADMIN:
        return redirect("admin_landing")  # administrators act on no company's application
    waiting = request.session.pop(INVITATION_SESSION_KEY, None)  # opened before logging in: back to it, once
    invitations = open_invitations_for(request.user)
    if waiting and any(invitation.pk == waiting for invitation in invitations):
        return redirect("invitation_open", pk=waiting)
    f = _filters(request)
    visible = visibility_for(request.user)  # read once: the sites and the list of companies
    if campaign:
        page = dashboard_page(request.user, campaign, visible, request.GET.get("page"), settings.OT24_PAGINATE_BY,
                              query=f["query"], status=f["status"], company=f["company"], sort=f["sort"])
    else:
        page = _page(Site.objects.none(), request.GET.get("page"))
    page.object_list = _with_deadlines(dashboard_rows_for(list(page.object_list), campaign)) if campaign else []
    companies = _companies(visible.company_ids) if visible.company_ids else []
    # Companies with no site yet have no row in the table: listed apart, with the way to add the first.
    without_sites = list(Company.objects.filter(pk__in=visible.company_ids, sites__isnull=True)
                         .only("id", "ragione_sociale").order_by("ragione_sociale")[:100]) if companies else []
    return render(
        request,
        "pages/dashboard.html",
        {
            "campaign": campaign,
            "page": page,
            **f,
            "statuses": Application.Status.choices,
            "is_consultant": request.user.is_consultant,
            "companies": companies,
            "sort_columns": _sort_links(f["sort"]),
            "panel": consultant_panel(request.user) if request.user.is_consultant else None,
            "invitations": invitations,
            "without_sites": without_sites,
        },
    )


def _with_deadlines(rows):
    deadlines = open_clarifications([row.application for row in rows])
    for row in rows:
        row.clarification_deadline = deadlines.get(getattr(row.application, "pk", None))
    return rows


def _page(sites, number):
    """The page asked for, with the paginator's COUNT whatever the list's length: skipping it for lists of
    one page saved a query there but made the page's query count depend on the data."""
    return Paginator(sites, settings.OT24_PAGINATE_BY).get_page(number)


def _sort_links(current: str) -> dict[str, dict]:
    """Per sortable column: the sort value its header link asks for and the aria-sort it shows now."""
    links = {}
    for key in SORTS:
        if current == key:
            links[key] = {"next": f"-{key}", "aria": "ascending"}
        elif current == f"-{key}":
            links[key] = {"next": key, "aria": "descending"}
        else:
            links[key] = {"next": key, "aria": "none"}
    return links


@login_required
def dashboard_add_site(request):
    """The dashboard's one "add a site" control: the client chosen in its list (one of the user's)."""
    company = companies_for(request.user).filter(pk=request.GET.get("company", "") or 0).first() \
        if request.GET.get("company", "").isdigit() else None
    if company is None:
        raise Http404
    return redirect("site_create", company_pk=company.pk)


CSV_CHUNK = 500  # sites read, scored and written per step of the streamed export


class _Echo:
    """csv.writer's file: writerow() returns the line instead of storing it."""

    def write(self, value: str) -> str:
        return value


@login_required
def dashboard_csv(request):
    """Every site of the dashboard (same search, filters and order) as CSV, streamed: the sites are read
    CSV_CHUNK at a time from one server-side cursor, and each chunk's applications, selections, evidence
    and open clarification deadlines in a few bulk queries, so a portfolio of thousands of sites is never
    held or scored in memory at once (bench: csv)."""
    campaign = current_campaign()
    f = _filters(request)
    sites = dashboard_sites(request.user, campaign, query=f["query"], status=f["status"], company=f["company"],
                            sort=f["sort"]) if campaign else Site.objects.none()
    writer = csv.writer(_Echo(), delimiter=";")
    # Words translated now, in the request's language: the body is written after the view has returned.
    header = [_("Azienda"), _("Codice fiscale"), _("Unità produttiva"), _("Città"), _("Stato"), _("Ricevuta"),
              _("Punteggio"), _("Interventi senza documentazione"), _("Giorni alla scadenza"),
              _("Termine per i chiarimenti")]
    statuses = {value: str(label) for value, label in Application.Status.choices}
    statuses[None] = _("Non avviata")

    def lines():
        yield "\ufeff"  # Excel opens UTF-8 with a BOM
        yield writer.writerow(header)
        it = sites.only("id", "name", "city", "company__id", "company__ragione_sociale",
                        "company__codice_fiscale").iterator(chunk_size=CSV_CHUNK)
        while chunk := list(itertools.islice(it, CSV_CHUNK)):
            yield "".join(_csv_line(writer, row, statuses) for row in _with_deadlines(dashboard_rows_for(chunk, campaign)))

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="domande-ot24.csv"'
    return response


def _csv_line(writer, row, statuses) -> str:
    application = row.application
    submitted = application is not None and not application.is_draft
    deadline = row.clarification_deadline
    return writer.writerow([
        _safe(row.site.company.ragione_sociale), row.site.company.codice_fiscale, _safe(row.site.name), _safe(row.site.city),
        statuses.get(application.status, application.status) if application else statuses[None],
        (application.receipt_number or "") if application else "",
        "" if row.total is None else row.total,
        "" if row.missing_evidence is None else row.missing_evidence,
        "" if submitted else row.days_left,  # the filing deadline no longer concerns a submitted application
        deadline.strftime("%d/%m/%Y") if deadline else "",
    ])


def _safe(value: str) -> str:
    """Neutralise spreadsheet formulas in user-typed cells (CSV injection)."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value
