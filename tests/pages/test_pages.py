"""The public face: home page for visitors, start pages by role, the menu, the legal pages."""
import pytest
from django.urls import reverse

from accounts.models import User
from pages.menu import MENU, MenuEntry, menu_for
from tests.factories import UserFactory, open_campaign

pytestmark = pytest.mark.django_db


def test_home_tells_visitors_what_who_when_and_how(client):
    campaign = open_campaign()
    body = client.get("/").content.decode()
    assert "Riduzione del tasso INAIL" in body
    assert "Chi può presentare la domanda" in body
    assert f"Campagna {campaign.filing_year} aperta" in body
    assert reverse("account_signup") in body and reverse("login") in body
    for name in ("help", "contacts", "privacy", "accessibility", "legal"):
        assert reverse(name) in body, name
    assert "28%" in body and "fino a 10" in body


@pytest.mark.parametrize("role, landing", [(User.Role.COMPANY, "dashboard"), (User.Role.CONSULTANT, "dashboard"),
                                           (User.Role.REVIEWER, "review_queue"), (User.Role.ADMIN, "admin_landing")])
def test_logged_in_users_go_to_their_start_page(client, role, landing):
    client.force_login(UserFactory(role=role, is_superuser=role == User.Role.ADMIN))
    response = client.get("/")
    assert response.status_code == 302 and response["Location"] == reverse(landing)


def test_administrators_never_land_on_a_company_dashboard(client):
    client.force_login(UserFactory(role=User.Role.ADMIN, is_superuser=True, is_staff=True))
    assert client.get(reverse("dashboard"))["Location"] == reverse("admin_landing")
    body = client.get(reverse("admin_landing")).content.decode()
    assert reverse("admin:index") in body and "Avvia la domanda" not in body


def test_menu_links_only_to_existing_pages_and_by_role():
    company = UserFactory(role=User.Role.COMPANY)
    urls = [e["url"] for e in menu_for(company, "/domande/")]
    assert urls[0] == reverse("dashboard") and reverse("account_profile") in urls and reverse("help") in urls
    assert reverse("review_queue") not in urls
    reviewer = [e["url"] for e in menu_for(UserFactory(role=User.Role.REVIEWER))]
    assert reverse("review_queue") in reviewer and reverse("dashboard") not in reviewer


def test_a_menu_entry_without_its_url_is_left_out(monkeypatch):
    monkeypatch.setattr("pages.menu.MENU", (*MENU, MenuEntry("no_such_page", "X")))
    assert all(e["label"] != "X" for e in menu_for(UserFactory()))


def test_privacy_notice_cites_the_gdpr_and_the_italian_code(client):
    body = client.get(reverse("privacy")).content.decode()
    assert "Regolamento (UE) 2016/679" in body and "D.Lgs. 30 giugno 2003, n. 196" in body


def test_accessibility_statement_follows_the_agid_model(client):
    body = client.get(reverse("accessibility")).content.decode()
    for heading in ("Stato di conformità", "Contenuti non accessibili", "Redazione della dichiarazione di accessibilità",
                    "Meccanismo di feedback e recapiti", "Procedura di attuazione"):
        assert heading in body, heading


def test_pages_in_english(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert client.get("/").status_code == 200


def test_favicon_is_linked(client):
    assert "favicon.svg" in client.get(reverse("help")).content.decode()


def test_the_menu_leads_to_clients_indices_and_stress():
    from pages.menu import menu_for
    from tests.factories import UserFactory
    from accounts.models import User

    consultant_labels = [str(e["label"]) for e in menu_for(UserFactory(role=User.Role.CONSULTANT))]
    assert {"Clienti e deleghe", "Indici infortunistici", "Stress lavoro-correlato"} <= set(consultant_labels)
    company_labels = [str(e["label"]) for e in menu_for(UserFactory())]
    assert "Clienti e deleghe" not in company_labels and "Indici infortunistici" in company_labels
