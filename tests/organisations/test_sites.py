import pytest
from django.urls import reverse

from organisations.models import PAT, Site
from tests.factories import DEFAULT_PASSWORD, PATFactory, SiteFactory, consultant, legal_rep

pytestmark = pytest.mark.django_db


def formset(prefix="pats", rows=(), initial=0):
    data = {f"{prefix}-TOTAL_FORMS": len(rows), f"{prefix}-INITIAL_FORMS": initial,
            f"{prefix}-MIN_NUM_FORMS": 0, f"{prefix}-MAX_NUM_FORMS": 20}
    for i, row in enumerate(rows):
        data.update({f"{prefix}-{i}-{k}": v for k, v in row.items()})
    return data


SITE = {"name": "Magazzino", "address": "Via Po 3", "city": "Torino", "cap": "10121", "province": "to",
        "codice_sede": "02", "workers": "9", "sector": "trasporti"}


def test_company_adds_a_site_with_pats_and_sees_the_sector_suggestion(client):
    site = SiteFactory()
    rep = legal_rep(site.company)
    client.login(email=rep.email, password=DEFAULT_PASSWORD)
    url = reverse("site_create", args=[site.company.pk])
    response = client.post(url, {**SITE, **formset(rows=[{"number": "77000001", "voce_di_tariffa": "9121", "lavoratori_anno": "8,5", "premium": ""}])})
    assert response.status_code == 302, response.content.decode()[:2000]
    new = Site.objects.get(name="Magazzino")
    assert new.company == site.company and new.province == "TO"
    assert new.pats.get().lavoratori_anno == pytest.approx(8.5)
    page = client.get(reverse("site_edit", args=[new.pk])).content.decode()
    assert "Suggerito dalle voci di tariffa delle PAT: Trasporti" in page


def test_bad_pat_keeps_input_and_explains(client):
    site = SiteFactory()
    rep = legal_rep(site.company)
    client.login(email=rep.email, password=DEFAULT_PASSWORD)
    response = client.post(reverse("site_create", args=[site.company.pk]),
                           {**SITE, **formset(rows=[{"number": "77000002", "voce_di_tariffa": "91", "lavoratori_anno": "-1"}])})
    body = response.content.decode()
    assert response.status_code == 200
    assert "La voce di tariffa è di 4 cifre." in body and 'value="Magazzino"' in body
    assert not PAT.objects.filter(number="77000002").exists()


def test_outsiders_cannot_see_or_edit_sites(client):
    site = SiteFactory()
    PATFactory(site=site)
    outsider = consultant(SiteFactory().company)
    client.login(email=outsider.email, password=DEFAULT_PASSWORD)
    assert client.get(reverse("site_edit", args=[site.pk])).status_code == 404
    assert client.post(reverse("site_create", args=[site.company.pk]), SITE).status_code == 404


def test_pat_of_a_submitted_application_cannot_be_deleted(client):
    from applications.models import Application
    from tests.factories import open_campaign

    site = SiteFactory()
    pat = PATFactory(site=site)
    rep = legal_rep(site.company)
    app = Application.objects.create(campaign=open_campaign(), site=site, status=Application.Status.SUBMITTED)
    app.pats.set([pat])
    client.login(email=rep.email, password=DEFAULT_PASSWORD)
    data = {**SITE, **formset(rows=[{"id": pat.pk, "number": pat.number, "voce_di_tariffa": "3110",
                                      "lavoratori_anno": "11,5", "premium": "48000", "DELETE": "on"}], initial=1)}
    response = client.post(reverse("site_edit", args=[site.pk]), data)
    assert response.status_code == 200
    assert "non può essere eliminata" in response.content.decode()
    assert list(app.pats.all()) == [pat]
