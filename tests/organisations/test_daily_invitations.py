"""Issue 34, major 6: an invited colleague keeps the invitation. The sign-up from the invitation page has
the invited address filled in; after logging in the person is brought back to the invitation; the
dashboard lists the open invitations to the person's address."""
import pytest
from django.core import mail
from django.urls import reverse

from organisations.models import Membership, Role
from tests.factories import DEFAULT_PASSWORD, SiteFactory, UserFactory, legal_rep
from tests.organisations.test_people_views import body, link_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def invitation_link(client, django_capture_on_commit_callbacks):
    company = SiteFactory(company__ragione_sociale="Officine Verdi S.r.l.").company
    rep = legal_rep(company)
    client.force_login(rep)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("company_invite", args=[company.pk]), {"email": "collega@example.com", "role": Role.MEMBER})
    client.logout()
    return company, link_in(mail.outbox[-1])


def test_sign_up_from_the_invitation_has_the_invited_address(client, invitation_link):
    company, link = invitation_link
    page = body(client.get(link))
    signup = next(part.split('"')[0] for part in page.split('href="')[1:]
                  if part.startswith(reverse("account_signup")) and "email=" in part.split('"')[0])
    assert "email=collega%40example.com" in signup
    form = body(client.get(signup.replace("&amp;", "&")))
    assert 'value="collega@example.com"' in form


def test_after_log_in_the_invited_person_is_brought_back_to_the_invitation(client, invitation_link):
    company, link = invitation_link
    UserFactory(email="collega@example.com")
    client.get(link)  # opened before logging in (or signing up and confirming the address)
    response = client.post(reverse("account_login"), {"login": "collega@example.com", "password": DEFAULT_PASSWORD},
                           follow=True)
    page = body(response)
    assert "Officine Verdi S.r.l." in page and "Accetta" in page, response.redirect_chain
    assert response.redirect_chain[-1][0] != reverse("dashboard")
    # Once: the dashboard afterwards is the dashboard, and lists the invitation still open.
    dashboard = body(client.get(reverse("dashboard")))
    assert "Inviti in sospeso" in dashboard and "Officine Verdi S.r.l." in dashboard


def test_the_dashboard_lists_open_invitations_and_opens_them(client, invitation_link):
    company, link = invitation_link
    invited = UserFactory(email="collega@example.com")
    client.force_login(invited)
    dashboard = body(client.get(reverse("dashboard")))
    assert "Inviti in sospeso" in dashboard and "Officine Verdi S.r.l." in dashboard
    invitation = company.invitations.get()
    opened = reverse("invitation_open", args=[invitation.pk])
    assert opened in dashboard
    assert client.post(opened).status_code == 302
    assert Membership.objects.get(user=invited, company=company).role == Role.MEMBER
    assert "Inviti in sospeso" not in body(client.get(reverse("dashboard")))
    # Somebody else's invitation does not open for another address.
    client.force_login(UserFactory(email="altro@example.com"))
    assert client.get(opened).status_code == 404
