"""Who may do what, as django-rules predicates over relations we already have (membership, consultant
mandate, reviewer role). Each predicate has a twin queryset filter in selectors.py; the tests hold the
two against each other.

Objects: permissions on a Company take the company; on an Application, the application."""
from __future__ import annotations

import rules
from django.utils import timezone
from organisations.models import Company, Mandate

from .models import Application


def _company_of(obj) -> Company | None:
    if isinstance(obj, Company):
        return obj
    if isinstance(obj, Application):
        return obj.site.company
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


@rules.predicate
def is_draft(user, application) -> bool:
    return isinstance(application, Application) and application.is_draft


@rules.predicate
def is_submitted(user, application) -> bool:
    return isinstance(application, Application) and not application.is_draft and application.status != Application.Status.WITHDRAWN


works_for_company = is_company_member | is_legal_representative | has_current_mandate
signs_for_company = is_legal_representative | has_current_mandate

# The roles named in workflow.py's transition table, as predicates on (user, application).
WORKFLOW_ROLES = {
    "signatory": signs_for_company,
    "applicant": works_for_company,
    "reviewer": is_reviewer,
}

rules.add_perm("applications.view_company", works_for_company | is_administrator)
rules.add_perm("applications.start_application", works_for_company)
rules.add_perm("applications.manage_sites", works_for_company)
rules.add_perm("applications.view_application", works_for_company | (is_reviewer & is_submitted) | is_administrator)
rules.add_perm("applications.edit_application", works_for_company & is_draft)
rules.add_perm("applications.submit_application", (is_legal_representative | has_current_mandate) & is_draft)
rules.add_perm("applications.review_queue", is_reviewer | is_administrator)  # administrators look, never act
rules.add_perm("applications.assign_reviews", is_supervisor)
rules.add_perm("applications.view_evidence", works_for_company | (is_reviewer & is_submitted) | is_administrator)
