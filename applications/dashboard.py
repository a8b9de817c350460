"""The companies' and consultants' dashboard: search (case, accents and punctuation ignored), filter by
client, sortable columns, open clarification requests first with their deadline.

Search normalises in Python (normalise()) the few columns it reads for the user's own sites, the same on
PostgreSQL and SQLite and without a stored column in another app's tables; a consultant's portfolio is
hundreds, at most thousands, of sites, read as tuples in one query."""
from __future__ import annotations

import datetime as dt
import unicodedata

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Case, Count, Exists, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Value, When, Window
from django.db.models.functions import Coalesce

from organisations.models import Site
from organisations.selectors import sites_for
from ot24portal.compiled_query import AnyOf, CompiledQuery

from .models import Application

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


def _page_sites(campaign_id, whole_company_ids, site_ids=None, company_id=None, *, sort: str) -> QuerySet[Site]:
    """dashboard_sites() without search or status filter, the ids as arrays, with the count of all its
    rows on each row: a shape of the query compiled once (see dashboard_page)."""
    current = _current(campaign_id)
    visible = Q(AnyOf("company_id", whole_company_ids))
    if site_ids is not None:
        visible |= Q(AnyOf("id", site_ids))
    sites = Site.objects.select_related("company").filter(visible).annotate(urgency=_urgency(current))
    if company_id is not None:
        sites = sites.filter(company_id=company_id)
    return _sorted(sites, current, sort).annotate(dashboard_count=Window(Count("*")))


_URGENCY_CONSTANTS = (Application.Status.CLARIFICATION_REQUESTED.value, Application.Status.DRAFT.value,
                      CLARIFICATION_FIRST, 0, PAST_DRAFT, NOT_STARTED)
_page_queries: dict[tuple, CompiledQuery] = {}  # one per shape: sites of mandates or not, client filter, sort


def _compiled_page(with_sites: bool, with_company: bool, sort: str) -> CompiledQuery:
    shape = (with_sites, with_company, sort)
    if shape not in _page_queries:
        if with_sites and with_company:
            def build(campaign_id, whole_company_ids, site_ids, company_id):
                return _page_sites(campaign_id, whole_company_ids, site_ids, company_id, sort=sort)
        elif with_sites:
            def build(campaign_id, whole_company_ids, site_ids):
                return _page_sites(campaign_id, whole_company_ids, site_ids, sort=sort)
        elif with_company:
            def build(campaign_id, whole_company_ids, company_id):
                return _page_sites(campaign_id, whole_company_ids, company_id=company_id, sort=sort)
        else:
            def build(campaign_id, whole_company_ids):
                return _page_sites(campaign_id, whole_company_ids, sort=sort)
        _page_queries[shape] = CompiledQuery(build, constants=_URGENCY_CONSTANTS, paged=True)
    return _page_queries[shape]


class _PageRows:
    """What the Paginator reads of dashboard_page's sites: their count, known from the page's own rows,
    and the slice of the page (another page is read only for a number past the last page)."""

    def __init__(self, read, offset: int, rows: list):
        self.read, self.offset, self.rows = read, offset, rows
        self.total = rows[0].dashboard_count if rows else None

    def count(self) -> int:
        if self.total is None:  # no row on the page asked: one row tells the count, unless that was the first
            first = self.read(0, 1) if self.offset != 0 else []
            self.total = first[0].dashboard_count if first else 0
        return self.total

    def __getitem__(self, window: slice) -> list:
        if window.start == self.offset:
            return self.rows
        return self.read(window.start, window.stop - window.start)


def dashboard_page(user, campaign, visibility, number, per_page: int, *, query: str = "", status: str = "",
                   company: str = "", sort: str = "") -> Page:
    """The dashboard's page `number` of dashboard_sites(), as Paginator(...).get_page(number) gives it.
    Without search or status filter (the page as it opens, and its sorts and client filter), on
    PostgreSQL, in one query whose SQL is made once per shape: its COUNT is a window of the same query,
    and the ids are arrays (building the annotated queryset and compiling its COUNT and SELECT were half
    of the dashboard's time, bench: wizard_profile)."""
    if (query and normalise(query)) or status or connection.vendor != "postgresql" or user.is_superuser:
        sites = dashboard_sites(user, campaign, query=query, status=status, company=company, sort=sort,
                                visibility=visibility)
        return Paginator(sites, per_page).get_page(number)
    values = {"campaign_id": campaign.pk, "whole_company_ids": sorted(visibility.whole_company_ids)}
    if visibility.site_ids:
        values["site_ids"] = sorted(visibility.site_ids)
    if company.isdigit():
        values["company_id"] = int(company)
    compiled = _compiled_page("site_ids" in values, "company_id" in values, sort if sort.lstrip("-") in SORTS else "")

    def read(offset: int, limit: int) -> list:
        return compiled.all(**values, limit=limit, offset=offset)

    try:
        asked = int(number)  # as Paginator.validate_number reads it; not a number: the first page
    except (TypeError, ValueError):
        asked = 1
    offset = (asked - 1) * per_page if asked >= 1 else 0
    rows = _PageRows(read, offset, read(offset, per_page) if asked >= 1 else [])
    if asked < 1:
        rows.offset = -1  # not read: the Paginator asks for the last page
    return Paginator(rows, per_page).get_page(number)


def open_clarifications(applications) -> dict[int, dt.date]:
    """Application id -> deadline of its open clarification request, for these applications (one query)."""
    from review.models import Clarification

    ids = [a.pk for a in applications if a is not None and a.status == Application.Status.CLARIFICATION_REQUESTED]
    if not ids:
        return {}
    return dict(Clarification.objects.filter(application_id__in=ids, answered_at__isnull=True, expired=False)
                .order_by("application_id", "created_at").values_list("application_id", "deadline"))
