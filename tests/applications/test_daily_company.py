"""Issue 18, company side: what a change invalidates, sections showing their saved problems, sub-options
without their intervention, the scheda's formats (codice ditta, workers)."""
import html

import pytest
from django.urls import reverse

from applications.models import Application
from tests.applications.test_wizard_flow import SCHEDA, login, post_scheda, post_section, start, step
from tests.factories import PATFactory, SiteFactory, legal_rep, open_campaign

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup():
    campaign = open_campaign()
    site = SiteFactory(workers=6, sector="costruzioni")
    pat = PATFactory(site=site)
    rep = legal_rep(site.company)
    return campaign, site, pat, rep


def page(response):
    return html.unescape(response.content.decode())


def test_raising_the_workers_names_the_interventions_that_no_longer_count(client, setup):
    campaign, site, pat, rep = setup
    login(client, rep)
    app = start(client, site)
    assert post_scheda(client, app, pat, workers="6").status_code == 302
    response = post_section(client, app, "C", {"sel_C1": "on", "sel_C2": "on", "sel_C4": "on"})
    assert "Sezione C salvata. Punteggio conteggiato: da 0 a 100 su 100." in page(client.get(response["Location"]))
    response = post_scheda(client, app, pat, workers="20")
    assert response.status_code == 302
    followed = page(client.get(response["Location"]))
    assert '<div class="alert alert-warning" role="alert">Dati salvati. Attenzione: 2 interventi non vengono più conteggiati' in followed
    assert "Punteggio conteggiato: da 100 a 40 su 100." in followed
    assert "C1" in followed and "C2" in followed and "non più di 15 lavoratori" in followed
    # Section C, when it loads, shows the saved problems next to C1 and C2.
    section = page(client.get(step(app, "C")))
    assert "Intervento riservato alle aziende con non più di 15 lavoratori (lavoratori dichiarati: 20)." in section
    assert 'id="err-C1"' in section and "has-error" in section


def test_a_saved_section_says_what_does_not_count(client, setup):
    campaign, site, pat, rep = setup
    login(client, rep)
    app = start(client, site)
    post_scheda(client, app, pat, workers="6")
    post_section(client, app, "C", {"sel_C1": "on", "sel_C4": "on"})
    Application.objects.filter(pk=app.pk).update(workers=40)
    response = post_section(client, app, "C", {"sel_C4": "on"})
    assert response.status_code == 302
    followed = page(client.get(response["Location"]))
    assert "Sezione C salvata" in followed


def test_a_suboption_without_its_intervention_is_not_dropped_silently(client, setup):
    campaign, site, pat, rep = setup
    login(client, rep)
    app = start(client, site)
    response = post_section(client, app, "B", {"sub_B2d": ["1", "2"]})
    assert response.status_code == 200
    body = page(response)
    assert "Opzioni spuntate senza l'intervento B2d" in body
    assert not app.selections.exists()


def test_scheda_refuses_zero_workers_and_a_long_codice_ditta(client, setup):
    campaign, site, pat, rep = setup
    login(client, rep)
    app = start(client, site)
    body = page(post_scheda(client, app, pat, workers="0", codice_ditta="1234567890"))
    assert "almeno 1 lavoratore" in body
    assert "Il codice ditta INAIL è formato da 1 a 9 cifre." in body
