"""A company's legal representative in a real browser: log in, open the draft, tick interventions and
watch the running total move, see a refusal, fill the evidence, submit, download the sealed PDF."""
import io
import re

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from applications.demo import minimal_pdf
from applications.models import Application
from tests.factories import DEFAULT_PASSWORD, PATFactory, SiteFactory, legal_rep, open_campaign

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def company(django_db_blocker):
    from django.core.management import call_command

    call_command("loaddata", "ot24", verbosity=0)  # transactional tests flush the catalogue
    open_campaign()
    site = SiteFactory(name="Cantiere Prova", workers=12, sector="costruzioni")
    PATFactory(site=site)
    return site, legal_rep(site.company)


def login(page, live_server, user):
    page.goto(f"{live_server.url}/accesso/")
    page.get_by_label("E-mail").fill(user.email)
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.locator("main").get_by_role("button", name="Accedi").click()


def test_company_journey(page, live_server, company, shot, tmp_path):
    site, rep = company
    login(page, live_server, rep)
    expect(page.get_by_role("heading", name="Le unità produttive della tua azienda")).to_be_visible()
    shot("01-dashboard")
    page.get_by_role("button", name="Avvia la domanda").click()

    # Scheda: the signatory's birth data, then save and continue.
    page.locator("#id_signatory_birth_place").fill("Roma")
    page.locator("#id_signatory_birth_date").fill("1970-05-17")
    page.locator("#id_signatory_codice_fiscale").fill("RSSMRA70E17H501S")
    page.locator("#id_signatory_name").fill("Mario Rossi")
    page.locator("#id_signatory_role").fill("Legale rappresentante")
    shot("02-scheda")
    page.get_by_role("button", name="Salva e continua").click()
    expect(page.get_by_role("heading", name="Sezione A")).to_be_visible()

    # Section C: the running total moves as boxes are ticked; C3 without its declaration is refused.
    page.get_by_role("link", name="4. Sezione C").click()
    total = page.locator("#running-total-label")
    expect(total).to_have_text("Punteggio conteggiato: 0 su 100")
    page.locator("label[for=id_sel_C4]").click()
    expect(total).to_have_text("Punteggio conteggiato: 40 su 100")
    page.locator("label[for=id_sel_C3]").click()
    expect(page.locator("#err-C3")).to_contain_text("Occorre confermare la dichiarazione")
    shot("03-section-c-refusal")
    page.locator("label[for=id_decl_C3]").click()
    expect(page.locator("#err-C3")).to_be_hidden()
    expect(total).to_have_text("Punteggio conteggiato: 90 su 100")
    page.get_by_role("button", name="Salva e continua").click()

    # Section D: D4 is worth 50 for costruzioni.
    page.locator("label[for=id_sel_D4]").click()
    expect(total).to_have_text("Punteggio conteggiato: 140 su 100")
    page.get_by_role("button", name="Salva e continua").click()

    # Evidence: upload every required document; the review step then has no blocking problem.
    expect(page.get_by_role("heading", name="Documentazione", exact=True)).to_be_visible()
    application = Application.objects.get(site=site)
    for selection in application.selections.select_related("intervention"):
        for item in selection.intervention.evidence_items.filter(alternative=1, condition=""):
            path = tmp_path / f"doc-{item.pk}.pdf"
            path.write_bytes(minimal_pdf(f"documento {item.pk}"))
            page.set_input_files(f"#file-{item.pk}", str(path))
            page.locator(f"#item-{item.pk} button", has_text="Carica").click()
            expect(page.locator(f"#item-{item.pk}")).to_contain_text(path.name)
    shot("04-evidence")
    page.get_by_role("link", name="Continua al riepilogo").click()
    expect(page.get_by_text("La domanda è completa e può essere firmata e inviata.")).to_be_visible()
    shot("05-review")

    # Sign and submit (the confirmation dialog is accepted).
    page.get_by_role("link", name="Vai alla firma e invio").click()
    for box in ("declares_obligations", "declares_compliance", "declares_art76", "declares_privacy"):
        page.locator(f"label[for=id_{box}]").click()
    page.locator("#id_place").fill("Roma")
    page.locator("#id_password").fill(DEFAULT_PASSWORD)
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Firma e invia la domanda").click()
    expect(page.get_by_text(re.compile(r"Domanda inviata: ricevuta n\. OT24-"))).to_be_visible()
    shot("06-receipt")

    # Download the sealed PDF and read it.
    with page.expect_download() as download:
        page.get_by_role("link", name="Scarica il PDF").click()
    content = open(download.value.path(), "rb").read()
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)
    for code in ("C3", "C4", "D4"):
        assert code in text
    assert "Totale dei punteggi conteggiati: 140" in text
