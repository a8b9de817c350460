"""Issue 18 in a real browser, company side: the score header and the leave warning, what a change
invalidates, uploads of several files with a duplicate refused, the signing routes and their dialogs,
the site page (provinces, PAT rows, amounts, start), the notice to the signatories; at 1280 and 390 px,
in Italian and in English."""
import pytest
from playwright.sync_api import expect

from applications import services
from operations.demo import minimal_pdf
from applications.models import Application
from interventions.models import EvidenceItem
from tests.e2e.login import log_in
from tests.factories import PATFactory, SIGNATORY, SiteFactory, legal_rep, member, open_campaign

pytestmark = pytest.mark.django_db(transaction=True)
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def draft():
    from django.core.management import call_command

    call_command("loaddata", "ot24", verbosity=0)
    campaign = open_campaign()
    site = SiteFactory(name="Cantiere Prova", workers=6, sector="costruzioni")
    PATFactory(site=site)
    rep = legal_rep(site.company)
    app = services.application_start(user=rep, site=site, campaign=campaign)
    Application.objects.filter(pk=app.pk).update(scheda_completed=True, workers=6, **SIGNATORY,
                                                 signatory_codice_fiscale="RSSMRA70E17H501S")
    app.refresh_from_db()
    return site, rep, app


def url(live_server, app, step):
    return f"{live_server.url}/domande/{app.pk}/passo/{step}/"


def test_score_header_and_leave_warning(page, live_server, draft, shot):
    site, rep, app = draft
    log_in(page, live_server, rep)
    page.goto(url(live_server, app, "C"))
    bar = page.locator("#score-bar")
    expect(bar).to_have_attribute("aria-valuemax", "100")
    page.locator("label[for=id_sel_C1]").click()
    expect(page.locator("#running-total-pending")).to_contain_text("sarebbe 30 su 100")
    expect(page.locator("#running-total-label")).to_have_text("Punteggio conteggiato: 0 su 100")
    expect(page.locator("#running-total-badge")).to_have_text("Mancano 100 punti")
    shot("01-unsaved-1280")
    # An in-page link with unsaved ticks asks first; dismissing stays on the page with the ticks.
    messages = []
    page.once("dialog", lambda d: (messages.append(d.message), d.dismiss()))
    page.get_by_role("link", name="5. Sezione D").click()
    assert messages and "non sono ancora salvate" in messages[0]
    expect(page.locator("#id_sel_C1")).to_be_checked()
    # Accepting leaves, once (no second prompt from beforeunload).
    seen = []
    page.on("dialog", lambda d: (seen.append(d.type), d.accept()))
    page.get_by_role("link", name="5. Sezione D").click()
    expect(page.get_by_role("heading", name="Sezione D", exact=True)).to_be_visible()
    assert seen == ["confirm"]
    page.set_viewport_size(PHONE)
    page.goto(url(live_server, app, "C"))
    page.locator("label[for=id_sel_C4]").click()
    expect(page.locator("#running-total-pending")).to_contain_text("sarebbe 40 su 100")
    shot("02-unsaved-390")


def test_a_change_of_workers_names_what_stops_counting(page, live_server, draft, shot):
    site, rep, app = draft
    services.application_save_section(user=rep, application=app, section="C", version=app.version,
                                      chosen={"C1": (frozenset(), False), "C2": (frozenset(), False),
                                              "C4": (frozenset(), False)})
    log_in(page, live_server, rep)
    page.goto(url(live_server, app, "scheda"))
    page.locator("#id_workers").fill("20")
    page.locator("#id_signatory_birth_date").fill("1970-05-17")
    page.get_by_role("button", name="Salva", exact=True).click()
    alert = page.locator(".alert-warning", has_text="2 interventi non vengono più conteggiati")
    expect(alert).to_contain_text("C1")
    expect(alert).to_contain_text("da 100 a 40")
    shot("01-warning")
    page.get_by_role("link", name="4. Sezione C").click()
    expect(page.locator("#err-C1")).to_contain_text("non più di 15 lavoratori")
    expect(page.locator("#err-C2")).to_be_visible()
    shot("02-section-c-problems")


def test_uploads_several_files_with_progress_and_duplicates(page, live_server, draft, shot, tmp_path):
    site, rep, app = draft
    services.application_save_section(user=rep, application=app, section="C", version=app.version,
                                      chosen={"C4": (frozenset(), False)})
    item = EvidenceItem.objects.filter(intervention__code="C4").order_by("order").first()
    files = []
    for name in ("verbale.pdf", "registro.pdf"):
        path = tmp_path / name
        path.write_bytes(minimal_pdf(name))
        files.append(str(path))
    log_in(page, live_server, rep)
    page.goto(url(live_server, app, "evidence"))
    loads = []
    page.on("load", lambda p: loads.append(p.url))
    page.set_input_files(f"#file-{item.pk}", files)
    listed = page.locator(f"#item-{item.pk} .ot24-files")
    expect(listed).to_contain_text("verbale.pdf")
    expect(listed).to_contain_text("registro.pdf")
    page.set_input_files(f"#file-{item.pk}", files[:1])  # the same file again
    expect(page.locator(f"#item-{item.pk} .ot24-upload-list")).to_contain_text("già stato caricato")
    assert loads == []
    assert app.evidence_files.count() == 2
    shot("01-uploaded-1280")
    page.set_viewport_size(PHONE)
    page.reload()
    shot("02-evidence-390")


def test_signing_routes_and_dialogs(page, live_server, draft, shot):
    site, rep, app = draft
    services.application_save_section(user=rep, application=app, section="C", version=app.version,
                                      chosen={"C23": (frozenset(), False), "C4": (frozenset(), False)})
    from django.core.files.uploadedfile import SimpleUploadedFile

    from evidence import services as evidence_services

    for item in EvidenceItem.objects.filter(intervention__code="C4", alternative=1, condition=""):
        evidence_services.evidence_add(user=rep, application=app, evidence_item=item,
                                       uploaded_file=SimpleUploadedFile(f"{item.pk}.pdf", minimal_pdf(str(item.pk))))
    log_in(page, live_server, rep)
    page.goto(url(live_server, app, "submit"))
    expect(page.locator("#route-password")).to_be_visible()
    expect(page.locator("#route-qualified")).to_be_visible()
    expect(page.locator("#signed-pdf")).to_be_hidden()
    shot("01-two-routes-1280")
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    # Invalid form: no dialog, the server explains.
    page.get_by_role("button", name="Firma e invia la domanda").click()
    expect(page.get_by_text("Dichiarazione obbligatoria.").first).to_be_visible()
    assert dialogs == []
    for box in ("declares_obligations", "declares_compliance", "declares_art76", "declares_privacy"):
        page.locator(f"label[for=id_{box}]").click()
    page.locator("#id_place").fill("Roma")
    # Downloading the PDF for a qualified signature never asks; the upload field then appears.
    with page.expect_download():
        page.get_by_role("button", name="Scarica il PDF da firmare").click()
    assert dialogs == []
    expect(page.locator("#signed-pdf")).to_be_visible()
    page.set_viewport_size(PHONE)
    shot("02-after-download-390")


def test_site_page_checks_like_inail_and_starts_the_application(page, live_server, draft, shot):
    site, rep, app = draft
    Application.objects.filter(pk=app.pk).delete()
    log_in(page, live_server, rep)
    page.goto(f"{live_server.url}/unita/{site.pk}/")
    page.get_by_label("Provincia").select_option("BG")
    rows_before = page.locator(".ot24-pat-row").count()
    page.get_by_role("button", name="Aggiungi un'altra PAT").click()
    expect(page.locator(".ot24-pat-row")).to_have_count(rows_before + 1)
    row = rows_before  # the new row's index
    page.locator(f"#id_pats-{row}-number").fill("123")
    page.locator(f"#id_pats-{row}-voce_di_tariffa").fill("3110")
    page.locator(f"#id_pats-{row}-lavoratori_anno").fill("4,5")
    page.locator(f"#id_pats-{row}-premium").fill("18.500,00")
    page.get_by_role("button", name="Salva", exact=True).click()
    expect(page.get_by_text("Il numero PAT è di 8 cifre").first).to_be_visible()
    shot("01-pat-refused-1280")
    page.locator(f"#id_pats-{row}-number").fill("12345678/90")
    page.get_by_role("button", name="Salva", exact=True).click()
    expect(page.get_by_text("Unità produttiva salvata.")).to_be_visible()
    expect(page.locator("input[value='18.500,00']")).to_be_visible()
    page.set_viewport_size(PHONE)
    shot("02-site-390")
    page.get_by_role("button", name="Avvia la domanda").click()
    expect(page.get_by_role("heading", name="Scheda informativa")).to_be_visible()


def test_member_tells_the_signatory(page, live_server, draft, shot, mailoutbox):
    site, rep, app = draft
    office = member(site.company)
    log_in(page, live_server, office)
    page.goto(url(live_server, app, "review"))
    page.get_by_role("button", name="Avvisa il legale rappresentante che la domanda è pronta").click()
    expect(page.get_by_text("1 persona avvisata per e-mail")).to_be_visible()
    shot("01-notified")


def test_wizard_in_english_at_390(page, live_server, draft, shot):
    site, rep, app = draft
    log_in(page, live_server, rep)
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    page.set_viewport_size(PHONE)
    page.goto(url(live_server, app, "C"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.locator("label[for=id_sel_C4]").click()
    expect(page.locator("#running-total-pending")).to_be_visible()
    shot("01-section-en-390")
    page.goto(url(live_server, app, "submit"))
    shot("02-submit-en-390")
