"""Who hears about an application's workflow (applications.messaging): the company's people and the
consultants whose current mandate covers the application's site, by name or through their firm (issue
28, finding 14: mail about site 1 reached a consultant whose mandate covered only site 2; issue 34: the
consultants of a firm holding the mandate got nothing)."""
import pytest
from django.core import mail

from applications.messaging import applicant_users, messenger
from applications.models import Application
from organisations.models import Mandate
from tests.factories import SiteFactory, consultant, firm_with, legal_rep, mandate, open_campaign

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_sites():
    site1 = SiteFactory()
    site2 = SiteFactory(company=site1.company)
    rep = legal_rep(site1.company)
    application = Application.objects.create(campaign=open_campaign(), site=site1, status=Application.Status.IN_REVIEW)
    return application, site1, site2, rep


def recipients(application, django_capture_on_commit_callbacks) -> set[str]:
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        messenger(application, "request_clarification", message="Inviare il verbale")
    return {address for message in mail.outbox for address in message.to}


def test_a_consultant_for_another_site_hears_nothing(two_sites, django_capture_on_commit_callbacks):
    application, site1, site2, rep = two_sites
    other_site = consultant(application.site.company, sites=[site2], can_submit=False)
    this_site = consultant(application.site.company, sites=[site1], can_submit=False)
    whole = consultant(application.site.company)
    ended = consultant(application.site.company, start_days_ago=60, end_days_ago=1)
    to = recipients(application, django_capture_on_commit_callbacks)
    assert rep.email in to and this_site.email in to and whole.email in to
    assert other_site.email not in to and ended.email not in to
    assert other_site not in applicant_users(application)


def test_the_consultants_of_a_firm_holding_the_mandate_hear_about_it(two_sites, django_capture_on_commit_callbacks):
    application, site1, site2, rep = two_sites
    colleague, other_colleague = consultant(), consultant()
    firm = firm_with(colleague)
    owner = firm.memberships.get(is_owner=True).user
    mandate(application.site.company, firm=firm, sites=[site1])
    elsewhere = firm_with(other_colleague)
    mandate(application.site.company, firm=elsewhere, sites=[site2])
    revoked = firm_with(consultant())
    mandate(application.site.company, firm=revoked, status=Mandate.Status.REVOKED)
    to = recipients(application, django_capture_on_commit_callbacks)
    assert {rep.email, owner.email, colleague.email} <= to
    assert other_colleague.email not in to
    assert not {m.user.email for m in revoked.memberships.all()} & to
