"""The companies' and consultants' dashboard: search (case, accents and punctuation ignored), filter by
client, sortable columns, open clarification requests first (their deadlines: review.selectors.open_clarifications;
the page: pages/dashboard.py).

Search normalises in Python (normalise()) the few columns it reads for the user's own sites, the same on
PostgreSQL and SQLite and without a stored column in another app's tables; a consultant's portfolio is
hundreds, at most thousands, of sites, read as tuples in one query."""
from __future__ import annotations

import unicodedata

from django.core.paginator import Page
from django.db.models import Case, Count, Exists, F, IntegerField, OuterRef, QuerySet, Subquery, Value, When, Window
from django.db.models.functions import Coalesce

from organisations.models import Site
from organisations.selectors import sites_for

from .models import Application
from ot24portal.pagination import WindowCountPaginator

NOT_STARTED, PAST_DRAFT = 10**6, 10**6 + 1  # above any draft's points: the dashboard's order
CLARIFICATION_FIRST = -1  # an open clarification request comes before every draft
SORTS = {
    "company": ("company__ragione_sociale", "name"), "site": ("name", "company__ragione_sociale"),
    "status": ("current_status", "company__ragione_sociale", "name"), "points": ("current_points", "company__ragione_sociale", "name"),
}


def normalise(text: str | None) -> str:
    """Lower case, accents dropped, only letters and digits: "Pastificio Verdi S.p.A." and "pastificio
    verdi spa" both give "pastificioverdispa"."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in decomposed if c.isalnum() and not unicodedata.combining(c)).casefold()


def _matching_site_ids(sites: QuerySet[Site], campaign, query: str) -> list[int]:
    needle = normalise(query)
    # The receipt of the site's application for the campaign (one at most: unique per campaign and site),
    # read in the same query as the site's columns.
    receipt = Subquery(Application.objects.filter(campaign=campaign, site=OuterRef("pk")).order_by()
                       .values("receipt_number")[:1])
    ids = []
    for pk, company, name, city, cf, number in sites.order_by().values_list(
            "pk", "company__ragione_sociale", "name", "city", "company__codice_fiscale", receipt):
        if any(needle in normalise(v) for v in (company, name, city, cf, number)):
            ids.append(pk)
    return ids


def _current(campaign_id):
    return Application.objects.filter(site=OuterRef("pk"), campaign_id=campaign_id).order_by()


def _urgency(current):
    # One number per site, from one lookup on the (campaign, site) unique index (see bench: scale).
    return Coalesce(Subquery(current.annotate(key=Case(
        When(status=Application.Status.CLARIFICATION_REQUESTED, then=Value(CLARIFICATION_FIRST)),
        When(status=Application.Status.DRAFT, then=Coalesce("declared_total", Value(0))), default=Value(PAST_DRAFT),
        output_field=IntegerField(),
    )).values("key")[:1]), Value(NOT_STARTED))


def _sorted(sites: QuerySet[Site], current, sort: str) -> QuerySet[Site]:
    key = sort.lstrip("-")
    if key in SORTS:
        sites = sites.annotate(current_status=Subquery(current.values("status")[:1]),
                               current_points=Subquery(current.values("declared_total")[:1]))
        first, *rest = SORTS[key]
        order = F(first).desc(nulls_last=True) if sort.startswith("-") else F(first).asc(nulls_last=True)
        return sites.order_by(order, *rest, "pk")
    return sites.order_by("urgency", "company__ragione_sociale", "name", "pk")


def dashboard_sites(user, campaign, *, query: str = "", status: str = "", company: str = "", sort: str = "",
                    visibility=None) -> QuerySet[Site]:
    """The sites the user works for, searched, filtered by client and by this campaign's application, in
    order of urgency (open clarification requests, then drafts, fewest points first, then sites without an
    application, then the rest; each group by company and site name) or by the column asked (sort:
    company, site, status, points; "-" before it for descending). visibility: the user's
    visibility_for(), when the caller has it. dashboard_page() is the dashboard's page of it."""
    current = _current(campaign.pk)
    sites = sites_for(user, visibility).annotate(urgency=_urgency(current))
    if company.isdigit():
        sites = sites.filter(company_id=int(company))
    if query and normalise(query):
        sites = sites.filter(pk__in=_matching_site_ids(sites, campaign, query))
    if status == "none":
        sites = sites.filter(~Exists(current))
    elif status:
        sites = sites.filter(Exists(current.filter(status=status)))
    return _sorted(sites, current, sort)


def dashboard_page(user, campaign, visibility, number, per_page: int, *, query: str = "", status: str = "",
                   company: str = "", sort: str = "") -> Page:
    """The dashboard's page `number` of dashboard_sites(), as Paginator(...).get_page(number) gives it: the
    count of all the sites comes with the page's rows (a window over the same query), so the page is read
    in one query instead of a COUNT and a SELECT."""
    sites = dashboard_sites(user, campaign, query=query, status=status, company=company, sort=sort,
                            visibility=visibility)
    return WindowCountPaginator(sites.annotate(**{WindowCountPaginator.COUNT: Window(Count("*"))}),
                                per_page).get_page(number)
