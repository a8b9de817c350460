"""A reviewer and a company in a real browser: take from the queue, preview evidence, give verdicts, ask
for a clarification; the company answers it; the reviewer approves; the company downloads the decision."""
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import expect
from pypdf import PdfReader

from accounts.models import User
from applications import services
from operations.demo import minimal_pdf
from applications.models import Application
from evidence import services as evidence_services
from interventions.models import Intervention
from tests.e2e.login import log_in
from tests.factories import PATFactory, SiteFactory, UserFactory, draft_with, legal_rep

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def submitted():
    from django.core.management import call_command

    call_command("loaddata", "ot24", verbosity=0)
    site = SiteFactory(sector="costruzioni", workers=12, name="Cantiere Revisione")
    PATFactory(site=site, lavoratori_anno="8.00")
    rep = legal_rep(site.company)
    app = draft_with(site, rep, {"A": ["A6"], "D": ["D4"]})
    item = Intervention.objects.get(code="D4", section__edition__code="ot24").evidence_items.get()
    evidence_services.evidence_add(user=rep, application=app, evidence_item=item,
                          uploaded_file=SimpleUploadedFile("fattura-dispositivi.pdf", minimal_pdf("fattura")))
    app.refresh_from_db()
    app = services.application_submit(user=rep, application=app, place="Roma", version=app.version,
                                      declarations=dict.fromkeys(Application.DECLARATIONS, True))
    return app, rep, UserFactory(role=User.Role.REVIEWER, first_name="Rita", last_name="Revisori")


def test_reviewer_journey(page, live_server, submitted, shot, tmp_path):
    app, rep, reviewer = submitted
    page.on("dialog", lambda dialog: dialog.accept())
    page.context.clear_cookies()
    log_in(page, live_server, reviewer)
    expect(page.get_by_role("heading", name="Domande da istruire")).to_be_visible()
    shot("01-queue")
    page.get_by_role("button", name="Prendi in carico").click()
    expect(page.get_by_text("Domanda presa in carico.")).to_be_visible()

    # The evidence link opens an inline, sandboxed preview (fetched with the reviewer's session), then judge.
    href = page.get_by_role("link", name="fattura-dispositivi.pdf").get_attribute("href")
    assert href.endswith("/anteprima/")
    preview = page.request.get(f"{live_server.url}{href}")
    assert preview.status == 200 and preview.headers["content-disposition"].startswith("inline")
    assert preview.body().startswith(b"%PDF-")
    expect(page.get_by_text("impronta verificata")).to_be_visible()
    a6 = page.locator("section", has_text="A6 —")
    a6.get_by_label("Esito dell'intervento").select_option("idoneo")
    page.get_by_role("button", name="Salva i giudizi").click()
    expect(page.get_by_text("Punteggio validato: 50 su 100 (dichiarato: 100)")).to_be_visible()
    shot("02-verdicts")

    # Ask for a clarification on D4.
    page.get_by_label("Documenti e chiarimenti richiesti").fill("Inviare la fattura quietanzata.")
    page.locator("label[for^=ci-]", has_text="D4").click()
    page.get_by_role("button", name="Invia la richiesta").click()
    expect(page.get_by_text("Richiesta di chiarimenti inviata.")).to_be_visible()

    # The company answers with a new document.
    page.context.clear_cookies()
    log_in(page, live_server, rep)
    page.goto(f"{live_server.url}/domande/{app.pk}/passo/review/")
    expect(page.get_by_text("Inviare la fattura quietanzata.", exact=True)).to_be_visible()
    path = tmp_path / "fattura-quietanzata.pdf"
    path.write_bytes(minimal_pdf("quietanzata"))
    page.locator("input[type=file]").first.set_input_files(str(path))
    page.get_by_role("button", name="Carica").first.click()
    expect(page.get_by_text("fattura-quietanzata.pdf").first).to_be_visible()
    page.get_by_label("Risposta").fill("Allegata la fattura quietanzata.")
    page.get_by_role("button", name="Invia i chiarimenti").click()
    expect(page.get_by_text("Chiarimenti inviati.")).to_be_visible()
    shot("03-company-answered")

    # The reviewer approves.
    page.context.clear_cookies()
    log_in(page, live_server, reviewer)
    page.goto(f"{live_server.url}/istruttoria/{app.pk}/")
    expect(page.get_by_text("Allegata la fattura quietanzata.").first).to_be_visible()
    d4 = page.locator("section", has_text="D4 —")
    d4.get_by_label("Esito dell'intervento").select_option("idoneo")
    page.get_by_role("button", name="Salva i giudizi").click()
    expect(page.get_by_text("Punteggio validato: 100 su 100 (dichiarato: 100)")).to_be_visible()
    page.get_by_role("button", name="Adotta il provvedimento").click()
    expect(page.get_by_text("Provvedimento adottato.")).to_be_visible()
    shot("04-decided")

    # The company downloads the decision letter and reads it.
    page.context.clear_cookies()
    log_in(page, live_server, rep)
    page.goto(f"{live_server.url}/domande/{app.pk}/passo/review/")
    with page.expect_download() as download:
        page.get_by_role("link", name="Scarica il provvedimento (PDF)").click()
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(open(download.value.path(), "rb").read())).pages)
    assert "DOMANDA ACCOLTA" in text and re.search(r"100 su 100", text)
    shot("05-company-decision")
