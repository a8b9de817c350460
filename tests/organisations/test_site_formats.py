"""Issue 18: the site and PAT page checks data the way INAIL would."""
import html
from decimal import Decimal

import pytest
from django.urls import reverse

from organisations.inail_codes import normalise_codice_ditta, normalise_pat
from organisations.models import PAT, Site
from organisations.provinces import CHOICES, PROVINCES, normalise
from tests.factories import SiteFactory, legal_rep, open_campaign
from tests.applications.test_wizard_flow import login
from tests.organisations.test_sites import SITE, formset

pytestmark = pytest.mark.django_db


def test_the_provinces_are_the_107_official_sigle():
    assert len(PROVINCES) == 107 == len(CHOICES)
    assert PROVINCES["BG"] == "Bergamo" and PROVINCES["SU"] == "Sud Sardegna" and "BE" not in PROVINCES
    assert normalise("bergamo") == "BG" and normalise(" bg ") == "BG" and normalise("BE") is None


@pytest.mark.parametrize("raw, stored", [("12345678", "12345678"), ("1234567890", "1234567890"),
                                         ("12345678/90", "1234567890"), (" 12345678 90 ", "1234567890"),
                                         ("123", None), ("123456789", None), ("1234567a", None)])
def test_pat_format(raw, stored):
    assert normalise_pat(raw) == stored


def test_codice_ditta_format():
    assert normalise_codice_ditta("1234567") == "1234567"
    assert normalise_codice_ditta("123 456 789") == "123456789"
    assert normalise_codice_ditta("1234567890") is None and normalise_codice_ditta("12a") is None


def post(client, company, site=None, rows=(), **overrides):
    url = reverse("site_edit", args=[site.pk]) if site else reverse("site_create", args=[company.pk])
    return client.post(url, {**SITE, **overrides, **formset(rows=rows)})


def test_site_form_checks_like_inail(client):
    site = SiteFactory()
    login(client, legal_rep(site.company))
    page = client.get(reverse("site_create", args=[site.company.pk])).content.decode()
    assert '<select name="province"' in page and page.count("<option") >= 107 + 14
    assert page.count('name="pats-') >= 3 * 4  # three empty PAT rows without JavaScript
    assert "Aggiungi un'altra PAT" in html.unescape(page)

    body = html.unescape(post(client, site.company, province="BE", workers="0",
                              rows=[{"number": "123", "voce_di_tariffa": "9121", "lavoratori_anno": "8",
                                     "premium": "18.500,00"}]).content.decode())
    assert "Scegliere una provincia dall'elenco." in body or "Scegli un'opzione valida" in body
    assert "almeno 1 lavoratore" in body
    assert "Il numero PAT è di 8 cifre" in body
    assert not Site.objects.filter(name="Magazzino").exists()

    response = post(client, site.company, province="Bergamo",
                    rows=[{"number": "12345678/90", "voce_di_tariffa": "9121", "lavoratori_anno": "8,5",
                           "premium": "€ 18.500,00"}])
    assert response.status_code == 302, html.unescape(response.content.decode())[:3000]
    new = Site.objects.get(name="Magazzino")
    assert new.province == "BG"
    pat = new.pats.get()
    assert pat.number == "1234567890" and pat.premium == Decimal("18500.00") and pat.lavoratori_anno == Decimal("8.5")
    page = html.unescape(client.get(reverse("site_edit", args=[new.pk])).content.decode())
    assert 'value="18.500,00"' in page and "€" in page


def test_site_page_offers_to_start_the_application(client):
    open_campaign()
    site = SiteFactory()
    login(client, legal_rep(site.company))
    page = html.unescape(client.get(reverse("site_edit", args=[site.pk])).content.decode())
    assert reverse("application_start", args=[site.pk]) in page and "Avvia la domanda" in page
