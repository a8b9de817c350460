"""Each django-rules predicate against the selector that filters the same way."""
import pytest

from accounts.models import User
from applications import services
from applications.models import Application
from applications.selectors import applications_for
from organisations.selectors import companies_for, sites_for
from tests.factories import PATFactory, SiteFactory, UserFactory, consultant, legal_rep, member, open_campaign

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    campaign = open_campaign()
    site_a = SiteFactory()
    PATFactory(site=site_a)
    site_b = SiteFactory()
    rep_a = legal_rep(site_a.company)
    users = {
        "anonymous": None,
        "member_a": member(site_a.company),
        "rep_a": rep_a,
        "member_b": member(site_b.company),
        "consultant_a": consultant(site_a.company),
        "consultant_ended": consultant(site_a.company, start_days_ago=100, end_days_ago=1),
        "consultant_future": consultant(site_a.company, start_days_ago=-5),
        "consultant_none": consultant(),
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
