"""Reads: the companies and sites a user works for (the twin of rules.works_for_company)."""
from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from django.db.models import BigIntegerField, BooleanField, Q, QuerySet, Value
from django.db.models.functions import Cast
from django.utils import timezone

from accounts.validators import compact_fiscal_code

from .models import Company, FirmMembership, Invitation, JoinRequest, Mandate, Membership, OrganisationEvent, Site


def _mandates_for(user, today: dt.date | None = None) -> QuerySet:
    """The user's current mandates (mirrors rules._current_mandates): active, within their dates, to the
    user or to a firm of the user's."""
    return Mandate.objects.current(today or timezone.localdate()).held_by(user).order_by()


def _company_ids_for(user, today: dt.date | None = None) -> QuerySet:
    """The ids of the companies the user works for: member, legal representative or consultant with a
    current mandate (mirrors rules.works_for_company). One UNION of three lookups by user, each on an
    index: as an OR over a join, PostgreSQL read every company and sorted them for DISTINCT (bench:
    scale, 11 ms for a consultant's 20 companies among 20,000)."""
    return (
        Membership.objects.filter(user=user).order_by().values("company_id")
        .union(Company.objects.filter(legal_representative=user).order_by().values("id"),
               _mandates_for(user, today).values("company_id"))
    )


def _whole_company_ids_for(user, today: dt.date | None = None) -> QuerySet:
    """The companies all of whose sites the user works on: member, legal representative, or a mandate for
    all sites. Mandates for chosen sites add those sites only (_scoped_site_ids_for)."""
    return (
        Membership.objects.filter(user=user).order_by().values("company_id")
        .union(Company.objects.filter(legal_representative=user).order_by().values("id"),
               _mandates_for(user, today).filter(all_sites=True).values("company_id"))
    )


def _scoped_site_ids_for(user, today: dt.date | None = None) -> QuerySet:
    """The sites named in the user's current mandates for chosen sites."""
    return Mandate.sites.through.objects.filter(
        mandate_id__in=_mandates_for(user, today).filter(all_sites=False).values("pk")).values("site_id")


class Visibility(NamedTuple):
    """What a user works on, as ids: every company (companies_for), the companies all of whose sites
    (_whole_company_ids_for) and the sites named in mandates for chosen sites (_scoped_site_ids_for)."""

    company_ids: frozenset[int]
    whole_company_ids: frozenset[int]
    site_ids: frozenset[int]


def _visibility_query(user, today) -> QuerySet:
    """One UNION of (company, whole company?, site) rows: memberships, representations, current mandates
    and the sites of current mandates for chosen sites, the same lookups as the querysets above."""
    none = Cast(Value(None), output_field=BigIntegerField())  # typed: an untyped NULL is text in a UNION
    mandates = _mandates_for(user, today)
    return (
        Membership.objects.filter(user=user).order_by()
        .values_list("company_id", Value(True, output_field=BooleanField()), none)
        .union(Company.objects.filter(legal_representative=user).order_by()
               .values_list("id", Value(True, output_field=BooleanField()), none),
               mandates.values_list("company_id", "all_sites", none),
               Mandate.sites.through.objects.filter(mandate_id__in=mandates.filter(all_sites=False).values("pk"))
               .order_by().values_list(none, Value(False, output_field=BooleanField()), "site_id"), all=True)
    )


def visibility_for(user, today: dt.date | None = None) -> Visibility:
    """The ids the user works on, in one query (the dashboard reads them once for its sites and its list
    of companies)."""
    rows = _visibility_query(user.pk, today or timezone.localdate())
    companies, whole, sites = set(), set(), set()
    for company_id, all_sites, site_id in rows:
        if site_id is not None:
            sites.add(site_id)
        else:
            companies.add(company_id)
            if all_sites:
                whole.add(company_id)
    return Visibility(frozenset(companies), frozenset(whole), frozenset(sites))


def companies_for(user) -> QuerySet[Company]:
    if not user.is_authenticated:
        return Company.objects.none()
    if user.is_superuser:
        return Company.objects.all()
    return Company.objects.filter(pk__in=_company_ids_for(user))


def site_filter_for(user, prefix: str = "", *, subqueries: bool = False, visibility: Visibility | None = None) -> Q:
    """A Q on sites (or on rows whose `prefix` leads to a site) the user works on: the whole companies and
    the sites of mandates for chosen sites. Read first as lists of ids (one small query, visibility_for, see sites_for)
    or, with subqueries=True, kept as subqueries of the one query (applications_for)."""
    if subqueries:
        company_ids, site_ids = _whole_company_ids_for(user), _scoped_site_ids_for(user)
    else:
        visible = visibility or visibility_for(user)
        company_ids, site_ids = sorted(visible.whole_company_ids), sorted(visible.site_ids)
    visible = Q(**{f"{prefix}company_id__in": company_ids})
    if subqueries or site_ids:
        visible |= Q(**{f"{prefix}id__in" if prefix else "pk__in": site_ids})
    return visible


def sites_for(user, visibility: Visibility | None = None) -> QuerySet[Site]:
    """The sites of the user's companies (and the sites named in mandates for chosen sites). The ids are
    read first (small queries): as a subquery (then an OR of memberships and mandates), PostgreSQL
    guessed thousands of companies and scanned every application of the year for a consultant's
    dashboard (bench: scale); the list keeps the sites' plan independent of how the ids are found. A
    caller that has read visibility_for(user) already passes it."""
    if not user.is_authenticated:
        return Site.objects.none()
    sites = Site.objects.select_related("company")
    if user.is_superuser:
        return sites
    return sites.filter(site_filter_for(user, visibility=visibility))


def company_known_as(*numbers: str) -> Company | None:
    """The registered company known by any of these numbers (compact_fiscal_code), as its codice fiscale
    or as its partita IVA: a company's VAT number is also its identity, and a sole trader's or an old
    company's two numbers differ."""
    numbers = {compact_fiscal_code(number) for number in numbers} - {""}
    if not numbers:
        return None
    return (Company.objects.filter(Q(codice_fiscale__in=numbers) | Q(partita_iva__in=numbers))
            .order_by("pk").first())


# Events of a firm written by a client company's legal representative (about a mandate to the firm).
COMPANY_SIDE_FIRM_EVENTS = ("mandate_granted", "mandate_refused", "mandate_revoked")


def tied_company_ids(user) -> frozenset[int]:
    """Every company the user has or had any tie to, in one query (issue 28: nobody reviews those): member
    now, legal representative, a join request (any outcome), an accepted invitation, an event of the
    company they acted in (registration, leaving...), a mandate in any state and for any site to them, asked
    by them, or to a firm they belong or belonged to (its members now, accepted invitations, its events)."""
    if not user.is_authenticated:
        return frozenset()
    firms_now = FirmMembership.objects.filter(user=user).values("firm_id")
    firms_invited = Invitation.objects.filter(accepted_by=user, firm__isnull=False).values("firm_id")
    firms_acted = (OrganisationEvent.objects.filter(actor=user, firm__isnull=False)  # as the firm's, not a client's
                   .exclude(action__in=COMPANY_SIDE_FIRM_EVENTS).values("firm_id"))
    ids = (
        Membership.objects.filter(user=user).order_by().values_list("company_id")
        .union(Company.objects.filter(legal_representative=user).order_by().values_list("id"),
               JoinRequest.objects.filter(user=user).order_by().values_list("company_id"),
               Invitation.objects.filter(accepted_by=user, company__isnull=False).order_by().values_list("company_id"),
               OrganisationEvent.objects.filter(actor=user, company__isnull=False).order_by().values_list("company_id"),
               Mandate.objects.filter(Q(consultant=user) | Q(requested_by=user) | Q(firm_id__in=firms_now)
                                      | Q(firm_id__in=firms_invited) | Q(firm_id__in=firms_acted))
               .order_by().values_list("company_id"))
    )
    return frozenset(company_id for (company_id,) in ids)


# --- the company's page and the consultant's clients --------------------------------------------------


def company_people(company: Company):
    return company.memberships.select_related("user").order_by("role", "user__last_name", "user__email")


def company_open_invitations(company: Company):
    from .models import Invitation

    return Invitation.objects.filter(company=company, accepted_at__isnull=True, revoked_at__isnull=True,
                                     expires_at__gt=timezone.now()).order_by("-created_at")


def open_invitations_for(user) -> list[Invitation]:
    """The open invitations (to a company or a firm) sent to the user's address: what the dashboard lists
    until they are accepted, revoked or expire."""
    from accounts.addresses import canonical_email_or_none

    email = canonical_email_or_none(user.email) or user.email
    if not email:
        return []
    return list(Invitation.objects.filter(email__iexact=email, accepted_at__isnull=True, revoked_at__isnull=True,
                                          expires_at__gt=timezone.now())
                .select_related("company", "firm").order_by("-created_at")[:20])


def company_mandates(company: Company):
    """Every mandate of the company, with its history (current, requested, ended, revoked, refused)."""
    return (company.mandates.select_related("firm", "consultant", "granted_by", "revoked_by", "requested_by")
            .prefetch_related("sites").order_by("-pk"))


def company_events(company: Company):
    from .models import OrganisationEvent

    return OrganisationEvent.objects.filter(company=company).select_related("actor")


def consultant_mandates(user):
    """Every mandate to the consultant or their firms, newest first (the clients' page)."""
    return (Mandate.objects.held_by(user).select_related("company", "firm", "consultant")
            .prefetch_related("sites").order_by("company__ragione_sociale", "-pk"))


def consultant_panel(user, today: dt.date | None = None) -> dict:
    """The dashboard's panel: current clients, requests waiting for a company, mandates ending within 30 days."""
    today = today or timezone.localdate()
    mandates = Mandate.objects.held_by(user).select_related("company").order_by()
    current = mandates.filter(pk__in=_mandates_for(user, today).values("pk"))
    return {
        "clients": current.count(),
        "waiting": list(mandates.filter(status__in=[Mandate.Status.REQUESTED, Mandate.Status.PENDING])
                        .order_by("-pk")[:10]),
        "ending": list(current.filter(end_date__isnull=False, end_date__lte=today + dt.timedelta(days=30))
                       .order_by("end_date")[:10]),
    }
