"""Who works for whom, and who is who: django-rules predicates over the relations (membership, legal
representative, consultant's current mandate) and the users' roles. works_for_company has a twin queryset
filter in selectors.py (_company_ids_for); the tests hold the two against each other.

The portal's permissions are all named "applications.*" (accounts.models.User.has_perm sends that prefix
to django-rules); each app registers those it owns in its rules.py. Objects: a permission on a company
takes the company (or anything with a .site or .company); on an application, the application."""
from __future__ import annotations

import rules
from django.utils import timezone

from .models import SIGNING_ROLES, Company, Mandate, Role, Site
from .selectors import tied_company_ids


def _company_of(obj) -> Company | None:
    if isinstance(obj, Company):
        return obj
    site = getattr(obj, "site", None)
    if site is not None:
        return site.company
    return getattr(obj, "company", None)


def _remembered(user, key, ask) -> bool:
    """A relation's answer kept on this user object, which lives for one request (the authentication
    middleware loads it anew each time): the view and the page ask about view and edit rights, which
    both test the same relations (bench: queries)."""
    answers = user.__dict__.setdefault("_ot24_relations", {})
    if key not in answers:
        answers[key] = ask()
    return answers[key]


def remember_role(user, company, role: str | None) -> None:
    """Record the user's membership role in the company (None: not a member), read by the caller in the
    same query as the object it asks about (applications.views.common.get_application), so that _role
    does not ask the database again during this request."""
    answers = getattr(user, "_ot24_relations", None)  # through request.user's lazy wrapper: the user itself
    if answers is None:
        answers = user._ot24_relations = {}
    answers[("member", company.pk)] = role


def _role(user, company) -> str | None:
    """The user's membership role in the company (None: not a member), remembered for the request."""
    return _remembered(user, ("member", company.pk), lambda: company.memberships.filter(user=user)
                       .values_list("role", flat=True).first())


def _site_of(obj):
    """The site a permission is asked about: a Site, or anything with a .site (an application)."""
    if isinstance(obj, Site):
        return obj
    return getattr(obj, "site", None)


def _current_mandates(user, company) -> list[tuple[bool, frozenset, bool]]:
    """(all_sites, site ids, may submit) of the user's current mandates from the company: active or pending,
    within their dates, to the user or to a firm the user belongs to (mirrored by selectors._mandates_for).
    Only an active mandate with can_submit submits."""
    def ask():
        mandates = (Mandate.objects.current(timezone.localdate()).held_by(user).filter(company=company)
                    .prefetch_related("sites"))
        return [(m.all_sites, frozenset(s.pk for s in m.sites.all()) if not m.all_sites else frozenset(),
                 m.can_submit and m.status == Mandate.Status.ACTIVE) for m in mandates]
    return _remembered(user, ("mandates", company.pk), ask)


def _mandate_covers(user, obj, *, submit: bool, whole: bool = False) -> bool:
    """A current mandate covering obj: for a site or an application, one for all sites or naming that
    site; for the company itself, any (whole=True: one for all its sites)."""
    company = _company_of(obj)
    if not company or not user.is_authenticated:
        return False
    site = _site_of(obj)
    for all_sites, site_ids, can_submit in _current_mandates(user, company):
        if submit and not can_submit:
            continue
        if all_sites or (site is not None and site.pk in site_ids) or (site is None and not whole):
            return True
    return False


@rules.predicate
def is_company_member(user, obj) -> bool:
    company = _company_of(obj)
    return bool(company) and user.is_authenticated and _role(user, company) is not None


@rules.predicate
def is_legal_representative(user, obj) -> bool:
    """The company's legal representative (the one named on the company, or a member with that role)."""
    company = _company_of(obj)
    return bool(company) and user.is_authenticated and (
        company.legal_representative_id == user.pk or _role(user, company) == Role.LEGAL_REP)


@rules.predicate
def is_company_signatory(user, obj) -> bool:
    """Signs for the company: legal representative or signatory with power of attorney."""
    company = _company_of(obj)
    return bool(company) and user.is_authenticated and (
        company.legal_representative_id == user.pk or _role(user, company) in SIGNING_ROLES)


@rules.predicate
def has_current_mandate(user, obj) -> bool:
    """A current mandate (active, within its dates) to the user or their firm; for a site or an
    application, one covering that site."""
    return _mandate_covers(user, obj, submit=False)


@rules.predicate
def has_whole_company_mandate(user, obj) -> bool:
    """For a company: a current mandate for all its sites (adding a site); for a site, as has_current_mandate."""
    return _mandate_covers(user, obj, submit=False, whole=True)


@rules.predicate
def has_submitting_mandate(user, obj) -> bool:
    """A current mandate covering the object that includes the right to submit."""
    return _mandate_covers(user, obj, submit=True)


def _company_id_of(obj) -> int | None:
    if isinstance(obj, Company):
        return obj.pk
    site = getattr(obj, "site", None)
    if site is not None:
        return site.company_id
    return getattr(obj, "company_id", None)


@rules.predicate
def has_tie_to_company(user, obj) -> bool:
    """The user has or had any tie to the company of obj (selectors.tied_company_ids, read once a request):
    such a person never reviews its applications."""
    company_id = _company_id_of(obj)
    return company_id is not None and user.is_authenticated and company_id in tied_companies(user)


def tied_companies(user) -> frozenset[int]:
    """selectors.tied_company_ids(user), asked once a request (has_tie_to_company reads it). A page listing
    applications that may or may not be takeable (the reviewers' queue) asks for it up front, so its query
    count does not depend on the rows' states (bench: queries)."""
    return _remembered(user, ("tied",), lambda: tied_company_ids(user))


@rules.predicate
def legal_rep_confirmed(user, obj) -> bool:
    """Somebody has confirmed being the company's legal representative (DPR 445/2000 declaration)."""
    company = _company_of(obj)
    return bool(company) and company.legal_rep_confirmed


@rules.predicate
def is_reviewer(user) -> bool:
    return user.is_authenticated and user.is_reviewer


@rules.predicate
def is_supervisor(user) -> bool:
    return user.is_authenticated and user.role == "supervisor"


@rules.predicate
def is_administrator(user) -> bool:
    return user.is_authenticated and user.is_superuser


works_for_company = is_company_member | is_legal_representative | has_current_mandate
# Nobody signs for a company until a legal representative has confirmed it.
signs_for_company = (is_company_signatory | has_submitting_mandate) & legal_rep_confirmed

rules.add_perm("applications.view_company", works_for_company | is_administrator)
# A new site (asked on the company) needs a mandate for all sites; an existing one (asked on the site), its scope.
rules.add_perm("applications.manage_sites", is_company_member | is_legal_representative | has_whole_company_mandate)
# People, invitations and mandates: the legal representatives.
rules.add_perm("applications.manage_company", is_legal_representative)
# The company's history: its legal representatives and INAIL staff.
rules.add_perm("applications.view_company_events", is_legal_representative | is_reviewer | is_administrator)
