"""Each django-rules predicate against the selector that filters the same way."""
import pytest

from accounts.models import User
from applications import services
from applications.models import Application
from applications.selectors import applications_for
from organisations.selectors import companies_for, sites_for
from organisations.models import Mandate, Membership
from tests.factories import (PATFactory, SiteFactory, UserFactory, consultant, firm_with, legal_rep, mandate, member,
                             open_campaign)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    campaign = open_campaign()
    site_a = SiteFactory()
    PATFactory(site=site_a)
    site_b = SiteFactory()
    site_a2 = SiteFactory(company=site_a.company)  # another site of A, outside scoped mandates
    rep_a = legal_rep(site_a.company)
    firm_colleague, firm_other = UserFactory(role=User.Role.CONSULTANT), UserFactory(role=User.Role.CONSULTANT)
    mandate(site_a.company, firm=firm_with(firm_colleague))
    firm_with(firm_other)  # a member of another firm
    users = {
        "anonymous": None,
        "member_a": member(site_a.company),
        "rep_a": rep_a,
        "member_b": member(site_b.company),
        "consultant_a": consultant(site_a.company),
        "consultant_ended": consultant(site_a.company, start_days_ago=100, end_days_ago=1),
        "consultant_future": consultant(site_a.company, start_days_ago=-5),
        "consultant_none": consultant(),
        "firm_colleague": firm_colleague,
        "firm_other": firm_other,
        "consultant_scoped": consultant(site_a.company, sites=[site_a]),
        "consultant_elsewhere": consultant(site_a.company, sites=[site_a2]),
        "consultant_no_submit": consultant(site_a.company, can_submit=False),
        "consultant_requested": consultant(site_a.company, status=Mandate.Status.REQUESTED),
        "consultant_pending": consultant(site_a.company, status=Mandate.Status.PENDING),
        "consultant_revoked": consultant(site_a.company, status=Mandate.Status.REVOKED),
        "consultant_refused": consultant(site_a.company, status=Mandate.Status.REFUSED),
        "signatory_a": member(site_a.company, role=Membership.Role.SIGNATORY),
        "second_rep_a": member(site_a.company, role=Membership.Role.LEGAL_REP),
        "reviewer": UserFactory(role=User.Role.REVIEWER),
        "admin": UserFactory(is_superuser=True, is_staff=True, role=User.Role.ADMIN),
    }
    draft = services.application_start(user=rep_a, site=site_a, campaign=campaign)
    return campaign, site_a, site_b, users, draft


def as_user(user):
    from django.contrib.auth.models import AnonymousUser

    return user or AnonymousUser()


def test_view_application_rule_matches_selector(world):
    campaign, site_a, site_b, users, draft = world
    draft_b = services.application_start(user=users["member_b"], site=site_b, campaign=campaign)
    submitted = Application.objects.filter(pk=draft_b.pk)
    submitted.update(status=Application.Status.SUBMITTED)
    for name, user in users.items():
        user = as_user(user)
        visible = set(applications_for(user).values_list("pk", flat=True))
        for application in Application.objects.all():
            assert user.has_perm("applications.view_application", application) == (application.pk in visible), (name, application)
        for company in (site_a.company, site_b.company):
            in_selector = companies_for(user).filter(pk=company.pk).exists()
            assert user.has_perm("applications.view_company", company) == in_selector, (name, company)
            assert sites_for(user).filter(company=company).exists() == in_selector
        for site in site_a.company.sites.all() | site_b.company.sites.all():  # the site scope of mandates
            in_selector = sites_for(user).filter(pk=site.pk).exists()
            assert user.has_perm("applications.view_company", site) == in_selector, (name, site)


EXPECTED = {
    # name: (view, edit, submit) on the draft of company A
    "anonymous": (False, False, False),
    "member_a": (True, True, False),
    "rep_a": (True, True, True),
    "member_b": (False, False, False),
    "consultant_a": (True, True, True),
    "consultant_ended": (False, False, False),
    "consultant_future": (False, False, False),
    "consultant_none": (False, False, False),
    "firm_colleague": (True, True, True),  # the mandate goes to the firm: all its consultants
    "firm_other": (False, False, False),
    "consultant_scoped": (True, True, True),
    "consultant_elsewhere": (False, False, False),  # their mandate covers another site only
    "consultant_no_submit": (True, True, False),
    "consultant_requested": (False, False, False),
    "consultant_pending": (True, True, False),  # a client they registered: drafts until the confirmation
    "consultant_revoked": (False, False, False),
    "consultant_refused": (False, False, False),
    "signatory_a": (True, True, True),
    "second_rep_a": (True, True, True),
    "reviewer": (False, False, False),  # reviewers never see drafts
    "admin": (True, False, False),
}


@pytest.mark.parametrize("name", list(EXPECTED))
def test_matrix_on_draft(world, name):
    *_, users, draft = world
    user = as_user(users[name])
    got = tuple(user.has_perm(f"applications.{p}_application", draft) for p in ("view", "edit", "submit"))
    assert got == EXPECTED[name]


def test_submitted_application_is_read_only_for_everyone(world):
    *_, users, draft = world
    Application.objects.filter(pk=draft.pk).update(status=Application.Status.SUBMITTED)
    draft.refresh_from_db()
    for name, user in users.items():
        user = as_user(user)
        assert not user.has_perm("applications.edit_application", draft), name
        assert not user.has_perm("applications.submit_application", draft), name
    assert users["reviewer"].has_perm("applications.view_application", draft)


@pytest.mark.parametrize("name", ["rep_a", "consultant_a", "firm_colleague", "signatory_a", "member_a"])
def test_nobody_submits_for_a_company_whose_legal_representative_is_not_confirmed(world, name):
    *_, users, draft = world
    company = draft.site.company
    company.legal_rep_confirmed = False
    company.save()
    draft.refresh_from_db()
    user = users[name]
    assert user.has_perm("applications.edit_application", draft)
    assert not user.has_perm("applications.submit_application", draft)


def test_the_company_page_rights(world):
    *_, users, draft = world
    company = draft.site.company
    for name, user in users.items():
        user = as_user(user)
        manages = name in ("rep_a", "second_rep_a")
        assert user.has_perm("applications.manage_company", company) == manages, name
        assert user.has_perm("applications.view_company_events", company) == (manages or name in ("reviewer", "admin")), name
