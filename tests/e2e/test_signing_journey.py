"""Issue 33 in a real browser: the legal representative attaches the C5 elaboration, sees it "da firmare",
downloads it, has a certificate of somebody else refused with the reason, signs it with their own qualified
signature (PAdES) and sees C5 complete; after submission the INAIL reviewer sees the signature. A second
generated document (C6) is signed by hand and the reviewer sees it as "firmato a mano". Screenshots under
test-artifacts/ and /tmp/signing-shots/."""
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import expect

from accounts.models import User
from applications import services as app_services
from applications.models import Application
from applications.signing import outside_event_loop  # pyHanko beside Playwright's loop
from evidence import services as evidence_services
from indicators import services as indicator_services
from interventions.models import EvidenceItem
from operations.demo import minimal_pdf
from tests.applications.test_qualified_signature import pki, sign_as  # noqa: F401 - the test CA
from tests.evidence.test_hostile_uploads import png_bytes
from tests.factories import PATFactory, SiteFactory, UserFactory, draft_with, legal_rep, open_campaign

from .test_accessibility import serious
from tests.e2e.login import log_in

pytestmark = pytest.mark.django_db(transaction=True)
SHOTS = Path("/tmp/signing-shots")


@pytest.fixture
def draft(settings, pki):  # noqa: F811
    from django.core.management import call_command

    settings.OT24_QUALIFIED_TRUST_ROOTS_DIR = str(pki / "roots")
    call_command("loaddata", "ot24", verbosity=0)  # transactional tests flush the catalogue
    campaign = open_campaign()
    site = SiteFactory(name="Stabilimento Nord", workers=30, sector="costruzioni")
    PATFactory(site=site)
    rep = legal_rep(site.company)
    app = draft_with(site, rep, {"A": ["A6"], "C": ["C23", "C5", "C6"]})
    year = campaign.reference_year
    indicator_services.import_rows(user=rep, site=site, kind="hours", text=f"anno;ore_lavorate\n{year};100000\n")
    indicator_services.import_rows(
        user=rep, site=site, kind="injuries",
        text="data_evento;primo_giorno_assenza;ultimo_giorno_assenza;in_itinere;mortale;invalidita_permanente;"
             f"descrizione\n10/03/{year};11/03/{year};20/03/{year};no;no;0;Caduta dalla scala\n")
    # Every C5 and C6 document but the elaborations is already there.
    for item in EvidenceItem.objects.filter(intervention__code__in=("C5", "C6")).exclude(label__startswith="Elaborazioni"):
        evidence_services.evidence_add(user=rep, application=app, evidence_item=item, uploaded_file=SimpleUploadedFile(
            f"{item.intervention.code}-{item.order}.pdf", minimal_pdf(f"{item.intervention.code} {item.order}")))
    return site, rep, app


def confirm(form):
    """Tick the confirmation (through its label, which covers the box); after a refusal it stays ticked."""
    if not form.get_by_role("checkbox").is_checked():
        form.locator("label.form-check-label").click()
    expect(form.get_by_role("checkbox")).to_be_checked()


def test_signing_journey(page, live_server, draft, shot, pki, tmp_path):  # noqa: F811
    SHOTS.mkdir(exist_ok=True)

    def both(name):
        shot(name)
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)

    site, rep, app = draft
    page.on("dialog", lambda dialog: dialog.accept())  # the confirmation before signing
    log_in(page, live_server, rep)
    page.goto(f"{live_server.url}/indici/unita/{site.pk}/")
    page.get_by_role("button", name="Allega alla domanda (C5)").click()
    expect(page.get_by_text("Elaborazione allegata alla domanda come documentazione di C5.")).to_be_visible()
    page.get_by_role("link", name="Vai alla documentazione").click()
    c5 = page.locator("section", has=page.locator("#ev-C5"))
    expect(c5.locator(".ot24-ev-badge")).to_have_text("Da firmare")
    expect(c5).to_contain_text("non è ancora firmato")
    both("01-c5-da-firmare")
    assert serious(page) == []

    # The review step says what is left, with the way to the documents.
    page.goto(f"{live_server.url}/domande/{app.pk}/passo/review/")
    expect(page.locator("main")).to_contain_text("C5: il documento generato dal portale è allegato ma da firmare")
    both("02-review-step-da-firmare")

    page.goto(f"{live_server.url}/domande/{app.pk}/passo/evidence/")
    c5.get_by_role("link", name="Firma il documento").click()
    expect(page.get_by_role("heading", name="Firma del documento", exact=False)).to_be_visible()
    both("03-sign-page")
    assert serious(page) == []
    with page.expect_download() as download:
        page.get_by_role("link", name="Scarica il documento generato (PDF)").click()
    original = Path(download.value.path()).read_bytes()
    assert original.startswith(b"%PDF")

    # Somebody else's certificate: refused, with the reason next to the field.
    other = tmp_path / "firmato-da-altri.pdf"
    other.write_bytes(outside_event_loop(lambda: sign_as(pki, "other", original, field="FirmaDatore")))
    form = page.locator("#sign-qualified")
    form.get_by_label("PDF firmato (PAdES) o busta firmata .p7m (CAdES)").set_input_files(str(other))
    confirm(form)
    form.get_by_role("button", name="Carica il documento firmato digitalmente").click()
    expect(page.locator("#sign-qualified")).to_contain_text("BNCGLI80A41F205X")
    expect(page.locator("#sign-qualified")).to_contain_text("non è il legale rappresentante")
    both("04-someone-else-refused")

    # The legal representative's own qualified signature over exactly the downloaded bytes.
    signed = tmp_path / "firmato.pdf"
    signed.write_bytes(outside_event_loop(lambda: sign_as(pki, "signatory", original, field="FirmaDatore")))
    form = page.locator("#sign-qualified")
    form.get_by_label("PDF firmato (PAdES) o busta firmata .p7m (CAdES)").set_input_files(str(signed))
    confirm(form)
    form.get_by_role("button", name="Carica il documento firmato digitalmente").click()
    expect(page.get_by_text("Documento firmato:", exact=False)).to_be_visible()
    c5 = page.locator("section", has=page.locator("#ev-C5"))
    expect(c5.locator(".ot24-ev-badge")).to_have_text("Completa")
    expect(c5).to_contain_text("Firmato digitalmente")
    both("05-c5-signed-complete")

    # C6: attached, then signed by hand (the scan of the printed copy).
    indicator_services.import_rows(
        user=rep, site=site, kind="injuries",
        text="data_evento;primo_giorno_assenza;ultimo_giorno_assenza;in_itinere;mortale;invalidita_permanente;"
             "descrizione;tipo_evento;coinvolti;impresa\n"
             f"12/04/{app.campaign.reference_year};;;no;no;;Quasi infortunio sul ponteggio;quasi_infortunio;"
             "appaltatore;Ponteggi Alfa S.r.l.\n")
    page.goto(f"{live_server.url}/indici/unita/{site.pk}/")
    page.get_by_role("button", name="Allega alla domanda (C6)").click()
    page.get_by_role("link", name="Vai alla documentazione").click()
    c6 = page.locator("section", has=page.locator("#ev-C6"))
    expect(c6.locator(".ot24-ev-badge")).to_have_text("Da firmare")
    c6.get_by_role("link", name="Firma il documento").click()
    scan = tmp_path / "scansione.png"
    scan.write_bytes(png_bytes())
    form = page.locator("#sign-hand")
    form.get_by_label("Scansione della copia firmata a mano (PDF, JPEG o PNG)").set_input_files(str(scan))
    form.get_by_role("button", name="Carica la copia firmata a mano").click()
    expect(form).to_contain_text("Spuntare la conferma per firmare il documento.")  # nothing lost: say why
    both("06-hand-confirm-missing")
    form = page.locator("#sign-hand")
    form.get_by_label("Scansione della copia firmata a mano (PDF, JPEG o PNG)").set_input_files(str(scan))
    confirm(form)
    form.get_by_role("button", name="Carica la copia firmata a mano").click()
    c6 = page.locator("section", has=page.locator("#ev-C6"))
    expect(c6.locator(".ot24-ev-badge")).to_have_text("Completa")
    expect(c6).to_contain_text("Firmato a mano")
    both("07-c6-signed-by-hand")

    # Submitted; the reviewer sees both signatures for what they are.
    app.refresh_from_db()
    app_services.application_submit(user=rep, application=app, place="Roma", version=app.version,
                                    declarations=dict.fromkeys(Application.DECLARATIONS, True))
    page.context.clear_cookies()
    reviewer = UserFactory(role=User.Role.REVIEWER)
    log_in(page, live_server, reviewer)
    page.goto(f"{live_server.url}/istruttoria/{app.pk}/")
    main = page.locator("main")
    expect(main).to_contain_text("Firmato con firma digitale qualificata")
    expect(main).to_contain_text("RSSMRA70E17H501S")
    expect(main).to_contain_text("Firmato a mano")
    expect(main).to_contain_text("verificare data e firma del datore di lavoro")
    main.get_by_text("Firmato a mano").scroll_into_view_if_needed()
    both("08-reviewer-sees-signatures")
    assert serious(page) == []
    # The scan opens in the preview pane beside the verdicts, where the reviewer checks date and signature.
    main.locator(".ot24-signature", has_text="Firmato a mano").locator(".ot24-preview-link").click()
    page.frame(name="ot24-preview").wait_for_url("**/firmato/anteprima/")
    expect(page.frame_locator("iframe[name=ot24-preview]").locator("img")).to_be_visible()
    both("09-reviewer-previews-the-scan")
