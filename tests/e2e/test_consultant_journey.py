"""A consultant in a real browser: all clients on one page, resume a draft another person started,
export the CSV; and another tenant's URLs give nothing."""
import pytest
from playwright.sync_api import expect

from applications import services
from applications.models import Application
from tests.e2e.login import log_in
from tests.factories import PATFactory, SiteFactory, consultant, legal_rep, open_campaign

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def clients():
    from django.core.management import call_command

    from organisations.models import Mandate

    call_command("loaddata", "ot24", verbosity=0)
    campaign = open_campaign()
    edil = SiteFactory(name="Cantiere Nord", sector="costruzioni")
    PATFactory(site=edil)
    food = SiteFactory(name="Stabilimento Sud", sector="alimenti")
    adviser = consultant(edil.company)
    Mandate.objects.create(consultant=adviser, company=food.company, start_date=edil.company.mandates.get().start_date,
                           status=Mandate.Status.ACTIVE, all_sites=True, can_submit=True)
    rep = legal_rep(edil.company)
    draft = services.application_start(user=rep, site=edil, campaign=campaign)
    services.application_save_section(user=rep, application=draft, section="C", version=draft.version,
                                      chosen={"C4": (frozenset(), False)})
    stranger_site = SiteFactory(name="Officina Estranea")
    stranger = legal_rep(stranger_site.company)
    foreign = services.application_start(user=stranger, site=stranger_site, campaign=campaign)
    return adviser, edil, food, draft, foreign


def test_consultant_journey(page, live_server, clients, shot):
    adviser, edil, food, draft, foreign = clients
    log_in(page, live_server, adviser)
    expect(page.get_by_role("heading", name="Clienti e unità produttive")).to_be_visible()
    expect(page.get_by_text("Cantiere Nord")).to_be_visible()
    expect(page.get_by_text("Stabilimento Sud")).to_be_visible()
    shot("01-clients")

    # Switch to one client by searching, then resume the draft its legal representative started.
    page.get_by_label("Cerca azienda, unità, città, codice fiscale o ricevuta").fill(edil.company.ragione_sociale)
    page.get_by_role("button", name="Filtra").click()
    expect(page.get_by_text("Stabilimento Sud")).to_have_count(0)
    page.get_by_role("link", name="Riprendi").click()
    page.get_by_role("link", name="4. Sezione C").click()
    expect(page.locator("#id_sel_C4")).to_be_checked()
    expect(page.locator("#running-total-label")).to_have_text("Punteggio conteggiato: 40 su 100")
    shot("02-resumed-draft")

    # CSV export of the list.
    page.get_by_role("link", name="Domande").first.click()
    with page.expect_download() as download:
        page.get_by_role("link", name="Esporta CSV").click()
    csv_text = open(download.value.path(), encoding="utf-8-sig").read()
    assert "Cantiere Nord" in csv_text and "Stabilimento Sud" in csv_text
    assert "Officina Estranea" not in csv_text


def test_other_tenants_urls_give_nothing(page, live_server, clients, shot):
    adviser, edil, food, draft, foreign = clients
    log_in(page, live_server, adviser)
    for path in (f"/domande/{foreign.pk}/", f"/domande/{foreign.pk}/passo/scheda/", f"/domande/{foreign.pk}/domanda.pdf",
                 f"/unita/{foreign.site_id}/"):
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 404, path
        expect(page.get_by_text("Officina Estranea")).to_have_count(0)
    shot("01-not-found")
    assert Application.objects.get(pk=foreign.pk).is_draft
