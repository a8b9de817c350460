"""A company's legal representative in a real browser: log in, open the draft, tick interventions and
watch the unsaved total move beside the saved one, see a refusal, fill the evidence (several files at once,
no reload), submit, read what happens next, download the sealed PDF. Clicks and page loads are counted
(tests/e2e/counting.py): 35 clicks and 17 page loads for this journey before issue 18."""
import io
import re

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from operations.demo import minimal_pdf
from applications.models import Application
from tests.e2e.counting import counted  # noqa: F401
from tests.e2e.login import log_in
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


def test_company_journey(page, live_server, company, shot, tmp_path, counted):
    site, rep = company
    log_in(page, live_server, rep)
    expect(page.get_by_role("heading", name="Le unità produttive della tua azienda")).to_be_visible()
    counted.clicks = counted.loads = 0  # from the dashboard, after logging in
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

    # Section C: the saved total stays in the header, the unsaved one is shown apart as boxes are ticked;
    # C3 without its declaration is refused.
    page.get_by_role("link", name="4. Sezione C").click()
    total = page.locator("#running-total-label")
    pending = page.locator("#running-total-pending")
    expect(total).to_have_text("Punteggio conteggiato: 0 su 100")
    page.locator("label[for=id_sel_C4]").click()
    expect(pending).to_contain_text("sarebbe 40 su 100")
    expect(total).to_have_text("Punteggio conteggiato: 0 su 100")
    page.locator("label[for=id_sel_C3]").click()
    expect(page.locator("#err-C3")).to_contain_text("Occorre confermare la dichiarazione")
    shot("03-section-c-refusal")
    page.locator("label[for=id_decl_C3]").click()
    expect(page.locator("#err-C3")).to_be_hidden()
    expect(pending).to_contain_text("sarebbe 90 su 100")
    page.get_by_role("button", name="Salva e continua").click()
    expect(page.get_by_text("Sezione C salvata. Punteggio conteggiato: da 0 a 90 su 100.")).to_be_visible()
    expect(total).to_have_text("Punteggio conteggiato: 90 su 100")
    expect(pending).to_be_hidden()

    # Section D: D4 is worth 50 for costruzioni; the documents it will need are listed before it is chosen.
    expect(page.locator("#int-D4 details summary")).to_contain_text("Documenti da caricare")
    page.locator("label[for=id_sel_D4]").click()
    expect(pending).to_contain_text("sarebbe 140 su 100")
    page.get_by_role("button", name="Salva e continua").click()

    # Evidence: the formats and the limit are stated first; every required document is uploaded without a
    # page load per file (chosen files go at once); the review step then has no blocking problem.
    expect(page.get_by_role("heading", name="Documentazione", exact=True)).to_be_visible()
    expect(page.locator("#upload-rules")).to_contain_text("20 MB")
    loads_before_uploads = counted.loads
    application = Application.objects.get(site=site)
    for selection in application.selections.select_related("intervention"):
        for item in selection.intervention.evidence_items.filter(alternative=1, condition=""):
            path = tmp_path / f"doc-{item.pk}.pdf"
            path.write_bytes(minimal_pdf(f"documento {item.pk}"))
            page.set_input_files(f"#file-{item.pk}", str(path))
            expect(page.locator(f"#item-{item.pk} .ot24-files")).to_contain_text(path.name)
    assert counted.loads == loads_before_uploads  # no reload per file
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
    expect(page.get_by_role("heading", name="Cosa succede ora")).to_be_visible()
    expect(page.get_by_role("link", name="1. Scheda informativa")).to_have_count(0)
    shot("06-receipt")

    # Download the sealed PDF and read it.
    with page.expect_download() as download:
        page.get_by_role("link", name="Scarica il PDF").click()
    content = open(download.value.path(), "rb").read()
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)
    for code in ("C3", "C4", "D4"):
        assert code in text
    assert "Totale dei punteggi conteggiati: 140" in text
    print(f"\nCOUNTED clicks={counted.clicks} loads={counted.loads}")
    assert counted.clicks < 35 and counted.loads < 17  # issue 18: fewer than before
