"""Reads: the register and hours of the sites a user may see, and their indices through the pure rules
(rules.compute). Access goes through organisations' public predicates and selectors only."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.http import Http404
from django.utils import timezone

from organisations.models import Company, Site
from organisations.selectors import sites_for

from . import rules
from .text import number
from .chart import format_number
from .models import Injury, SiteYearHours


def site_for(user, site_pk: int, perm: str = "applications.view_indicators") -> Site:
    """The site if the user may see (or edit) its register; 404 otherwise, so other tenants' ids reveal
    nothing."""
    site = Site.objects.select_related("company").filter(pk=site_pk).order_by().first()
    if site is None or not user.has_perm(perm, site):
        raise Http404
    return site


def company_for(user, company_pk: int) -> Company:
    company = Company.objects.filter(pk=company_pk).first()
    if company is None or not user.has_perm("applications.view_indicators", company):
        raise Http404
    return company


def indicator_sites_for(user):
    """The sites whose register the user may see: those of the companies they work for. Administrators
    see every site elsewhere (sites_for), but not the registers (the permission excludes them)."""
    if not user.is_authenticated or user.is_superuser or user.is_reviewer:
        return Site.objects.none()
    return sites_for(user)


def today() -> dt.date:
    return timezone.localdate()


def results_from(injuries, hours, as_of: dt.date) -> tuple[rules.YearIndicators, ...]:
    """Indices for every year with hours, sorted by year, from the injuries of the company's own staff only
    (rules.enters_indices: the other events of the register do not count). Rows already validated by the forms and the
    import are assumed valid; an event after as_of (a date typed in the future) is left out rather than
    failing the page."""
    rows = [i.as_rule() for i in injuries if i.event_date <= as_of and i.in_indices]
    return rules.compute(rows, sorted((h.year, h.hours) for h in hours), as_of=as_of)


def site_results(site: Site, *, as_of: dt.date | None = None) -> tuple[rules.YearIndicators, ...]:
    as_of = as_of or today()
    return results_from(site.injuries.all(), site.year_hours.all(), as_of)


def _fmt(value) -> str:
    return "—" if value is None else format_number(Decimal(value))


@dataclass(frozen=True)
class YearRow:
    """One year as people read it: numbers in the reader's notation, two decimals."""

    result: rules.YearIndicators

    @property
    def year(self):
        return self.result.year

    @property
    def hours(self):
        hours = Decimal(self.result.hours)
        return number(hours, 0) if hours == hours.to_integral_value() else format_number(hours)

    @property
    def frequency(self):
        return _fmt(self.result.frequency)

    @property
    def severity(self):
        return _fmt(self.result.severity)

    @property
    def severity_uni(self):
        return _fmt(self.result.severity_uni)

    @property
    def mean_duration(self):
        return _fmt(self.result.mean_duration)

    @property
    def reduction(self):
        value = self.result.reduction_pct
        return "—" if value is None else f"{_fmt(value)} %"

    def __getattr__(self, name):
        return getattr(self.result, name)


def year_rows(results) -> list[YearRow]:
    return [YearRow(r) for r in results]


def company_sites(company: Company, user, *, as_of: dt.date | None = None, years: int = 3):
    """Every site of the company the user may see, with its latest `years` years (the years of those
    sites). Each site is checked: a permission on the company need not cover all its sites."""
    as_of = as_of or today()
    sites = [s for s in company.sites.order_by("name") if user.has_perm("applications.view_indicators", s)]
    by_site = _results_by_site(sites, as_of)
    all_years = sorted({r.year for results in by_site.values() for r in results})[-years:]
    table = []
    for site in sites:
        known = {r.year: YearRow(r) for r in by_site[site.pk]}
        table.append({"site": site, "cells": [known.get(y) for y in all_years]})
    return all_years, table


def _results_by_site(sites, as_of):
    ids = [s.pk for s in sites]
    injuries: dict[int, list[Injury]] = {pk: [] for pk in ids}
    hours: dict[int, list[SiteYearHours]] = {pk: [] for pk in ids}
    for injury in Injury.objects.filter(site_id__in=ids):
        injuries[injury.site_id].append(injury)
    for row in SiteYearHours.objects.filter(site_id__in=ids):
        hours[row.site_id].append(row)
    return {pk: results_from(injuries[pk], hours[pk], as_of) for pk in ids}


PORTFOLIO_SORTS = {
    "azienda": lambda r: (r["site"].company.ragione_sociale.lower(), r["site"].name.lower()),
    "unita": lambda r: (r["site"].name.lower(), r["site"].company.ragione_sociale.lower()),
    "anno": lambda r: (r["latest"].year if r["latest"] else 0),
    "infortuni": lambda r: (r["latest"].injuries if r["latest"] else -1),
    "if": lambda r: (r["latest"].result.frequency if r["latest"] else Decimal(-1)),
    "ig": lambda r: (r["latest"].result.severity if r["latest"] else Decimal(-1)),
    "riduzione": lambda r: (r["latest"].result.reduction_pct
                            if r["latest"] and r["latest"].result.reduction_pct is not None else Decimal(-10**9)),
}


def portfolio(user, *, order: str = "azienda", as_of: dt.date | None = None) -> list[dict]:
    """The sites of every company the user works for, each with its latest year with hours, sorted by a
    column (`-` in front: descending; unknown keys fall back to the company name)."""
    as_of = as_of or today()
    sites = list(indicator_sites_for(user).order_by("company__ragione_sociale", "name"))
    by_site = _results_by_site(sites, as_of)
    rows = []
    for site in sites:
        results = by_site[site.pk]
        rows.append({"site": site, "latest": YearRow(results[-1]) if results else None, "years": len(results)})
    descending = order.startswith("-")
    key = PORTFOLIO_SORTS.get(order.lstrip("-"), PORTFOLIO_SORTS["azienda"])
    rows.sort(key=PORTFOLIO_SORTS["azienda"])
    rows.sort(key=key, reverse=descending)  # stable: ties keep the company order
    return rows


# --- the C5 and C6 elaborations (issue 33) ------------------------------------------------------------

ELABORATION_CODES = ("C5", "C6")


def elaboration_year() -> int | None:
    """The only year the C5 and C6 elaborations cover: the calendar year before the current campaign's
    filing year ("eventi accaduti nell'anno solare precedente a quello di presentazione della domanda").
    None without an open campaign."""
    from applications.selectors import current_campaign

    campaign = current_campaign()
    return campaign.reference_year if campaign is not None else None


def elaboration_events(site: Site, code: str, year: int):
    """The register's events of the year for C5 (the company's own staff) or C6 (contractors and
    subcontractors working in the company's places), by date, with their corrective actions."""
    parties = [rules.PARTY_OWN] if code == "C5" else [rules.PARTY_CONTRACTOR, rules.PARTY_SUBCONTRACTOR]
    return (site.injuries.filter(event_date__year=year, party__in=parties)
            .prefetch_related("actions").order_by("event_date", "id"))


def contractors_of(events, registered=()) -> list[dict]:
    """The contractors named in the events and those of the site's list (`registered`: Contractor rows),
    each with its kind (contractor or subcontractor), how many events and when and how the event-analysis
    procedure was sent to it (None: not recorded); names compared ignoring case and spacing, shown as first
    written."""
    found: dict[tuple[str, str], dict] = {}
    for c in registered:
        key = (" ".join(c.name.split()).casefold(), c.party)
        found.setdefault(key, {"name": " ".join(c.name.split()), "party": c.get_party_display(), "events": 0,
                               "sent_on": c.procedure_sent_on, "sent_how": c.procedure_sent_how})
    for e in events:
        if not rules.is_contractor(e.party) or not e.contractor.strip():
            continue
        key = (" ".join(e.contractor.split()).casefold(), e.party)
        entry = found.setdefault(key, {"name": " ".join(e.contractor.split()), "party": e.get_party_display(),
                                       "events": 0, "sent_on": None, "sent_how": ""})
        entry["events"] += 1
    return sorted(found.values(), key=lambda c: c["name"].casefold())
