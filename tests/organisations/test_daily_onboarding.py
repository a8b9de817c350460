"""Issue 34, daily use: the next step after registering a company (its first production site), the company
page listing its sites, the dashboard's "register a company" once one is registered, and the site page's
way back to its company."""
import pytest
from django.urls import reverse

from operations.demo import codice_fiscale

from organisations.models import Company, Role
from tests.factories import SiteFactory, UserFactory, legal_rep
from tests.organisations.test_people_views import COMPANY, PIVA, body

pytestmark = pytest.mark.django_db


def test_after_registering_a_company_the_next_step_is_its_first_site(client, django_capture_on_commit_callbacks):
    user = UserFactory()
    client.force_login(user)
    assert "Registra la tua azienda" in body(client.get(reverse("dashboard")))
    response = client.post(reverse("company_register"), {
        **COMPANY, "declared_role": Role.LEGAL_REP, "declaration": "on",
        "person_codice_fiscale": codice_fiscale("BNCGLI80A41H501")})
    company = Company.objects.get(codice_fiscale=PIVA)
    page = body(client.get(response.url))
    assert "Azienda registrata: ora aggiungi la prima unità produttiva" in page
    assert "Aggiungi unità produttiva" in page and reverse("site_create", args=[company.pk]) in page
    dashboard = body(client.get(reverse("dashboard")))
    assert "Registra la tua azienda" not in dashboard and "Registra un'altra azienda" in dashboard


def test_the_company_page_lists_its_sites_and_each_site_links_back(client):
    site = SiteFactory(name="Cantiere Nord")
    rep = legal_rep(site.company)
    client.force_login(rep)
    page = body(client.get(reverse("company_detail", args=[site.company.pk])))
    assert "Unità produttive" in page and "Cantiere Nord" in page
    assert reverse("site_edit", args=[site.pk]) in page
    assert "Aggiungi unità produttiva" in page
    assert "ora aggiungi la prima unità produttiva" not in page
    site_page = body(client.get(reverse("site_edit", args=[site.pk])))
    assert f'href="{reverse("company_detail", args=[site.company.pk])}"' in site_page
