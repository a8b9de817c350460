"""Issue 34 (English): the sector list of section D and the hint suggesting a sector from the PATs' voci di
tariffa are in the reader's language, on the scheda of the wizard and on the site form (the hint named the
sector by its key, "costruzioni", in every language)."""
import pytest
from django.urls import reverse

from applications import wizard
from tests.factories import ApplicationFactory, PATFactory, SiteFactory, legal_rep

pytestmark = pytest.mark.django_db


def english(client, user):
    client.force_login(user)
    client.cookies["django_language"] = "en"
    return client


def test_the_scheda_offers_the_sectors_and_the_suggestion_in_english(client):
    site = SiteFactory(sector="")
    PATFactory(site=site, voce_di_tariffa="3110")
    app = ApplicationFactory(site=site)
    page = english(client, app.created_by).get(wizard.url(app, wizard.SCHEDA)).content.decode()
    assert ">Construction</option>" in page and ">Other sectors</option>" in page
    assert "Costruzioni" not in page and "Altri settori" not in page
    assert "tariff items: Construction." in page


def test_the_site_form_offers_the_sectors_and_the_suggestion_in_english(client):
    site = SiteFactory(sector="")
    PATFactory(site=site, voce_di_tariffa="3110")
    rep = legal_rep(site.company)
    page = english(client, rep).get(reverse("site_edit", args=[site.pk])).content.decode()
    assert ">Metalworking and engineering</option>" in page and "Metalmeccanica" not in page
    assert "tariff items: Construction." in page


def test_the_italian_page_keeps_the_italian_names(client):
    site = SiteFactory(sector="")
    PATFactory(site=site, voce_di_tariffa="3110")
    app = ApplicationFactory(site=site)
    client.force_login(app.created_by)
    page = client.get(wizard.url(app, wizard.SCHEDA)).content.decode()
    assert ">Costruzioni</option>" in page and "PAT: Costruzioni." in page
