"""Who works for whom, and who is who: django-rules predicates over the relations (membership, legal
representative, consultant's current mandate) and the users' roles. works_for_company has a twin queryset
filter in selectors.py (_company_ids_for); the tests hold the two against each other.

The portal's permissions are all named "applications.*" (accounts.models.User.has_perm sends that prefix
to django-rules); each app registers those it owns in its rules.py. Objects: a permission on a company
takes the company (or anything with a .site or .company); on an application, the application."""
from __future__ import annotations

import rules
from django.utils import timezone

from .models import Company, Mandate


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


@rules.predicate
def is_company_member(user, obj) -> bool:
    company = _company_of(obj)
    return bool(company) and user.is_authenticated and _remembered(
        user, ("member", company.pk), lambda: company.memberships.filter(user=user).exists())


@rules.predicate
def is_legal_representative(user, obj) -> bool:
    company = _company_of(obj)
    return bool(company) and user.is_authenticated and company.legal_representative_id == user.pk


@rules.predicate
def has_current_mandate(user, obj) -> bool:
    company = _company_of(obj)
    return (
        bool(company)
        and user.is_authenticated
        and _remembered(user, ("mandate", company.pk), lambda: Mandate.objects.current(timezone.localdate())
                        .filter(consultant=user, company=company).exists())
    )


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
signs_for_company = is_legal_representative | has_current_mandate

rules.add_perm("applications.view_company", works_for_company | is_administrator)
rules.add_perm("applications.manage_sites", works_for_company)
