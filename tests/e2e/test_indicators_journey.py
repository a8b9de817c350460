"""A company's legal representative in a real browser: import the hours and the injury register of a site
from CSV (preview, then confirm), read the table and the chart at desktop and phone width, attach the
dated analysis to the draft and see it "da firmare" in C5's evidence."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import expect

from operations.demo import minimal_pdf
from evidence import services as evidence_services
from interventions.models import EvidenceItem
from tests.factories import PATFactory, SiteFactory, draft_with, legal_rep, open_campaign

from tests.e2e.login import log_in

pytestmark = pytest.mark.django_db(transaction=True)

HOURS = "anno;ore_lavorate\n2022;98000\n2023;100000\n2024;125000\n"
REGISTER = (
    "data_evento;primo_giorno_assenza;ultimo_giorno_assenza;in_itinere;mortale;invalidita_permanente;descrizione\n"
    "12/01/2022;13/01/2022;30/01/2022;no;no;;Caduta da scaffale\n"
    "03/05/2022;03/05/2022;15/05/2022;no;no;2;Schiacciamento mano\n"
    "10/03/2023;11/03/2023;20/03/2023;no;no;0;Caduta dalla scala\n"
    "05/06/2023;05/06/2023;06/06/2023;no;no;;Taglio lieve\n"
    "2024-02-01;2024-02-02;2024-02-11;si;no;;Incidente stradale\n"
)


@pytest.fixture
def draft(django_db_blocker):
    from django.core.management import call_command

    call_command("loaddata", "ot24", verbosity=0)  # transactional tests flush the catalogue
    open_campaign()
    site = SiteFactory(name="Stabilimento Nord", workers=30, sector="costruzioni")
    PATFactory(site=site)
    rep = legal_rep(site.company)
    app = draft_with(site, rep, {"C": ["C5"]})
    # Every C5 document but the analysis is already there.
    for item in EvidenceItem.objects.filter(intervention__code="C5").exclude(label__startswith="Elaborazioni"):
        evidence_services.evidence_add(user=rep, application=app, evidence_item=item,
                                       uploaded_file=SimpleUploadedFile(f"c5-{item.order}.pdf", minimal_pdf("c5")))
    return site, rep, app


def import_csv(page, label, path):
    page.get_by_role("link", name="Importa da CSV").click()
    page.locator("label.form-check-label", has_text=label).click()
    page.get_by_label("File CSV").set_input_files(str(path))
    page.get_by_role("button", name="Anteprima").click()
    expect(page.get_by_role("button", name="Conferma importazione")).to_be_visible()


def test_indicators_journey(page, live_server, draft, shot, tmp_path):
    site, rep, app = draft
    log_in(page, live_server, rep)
    page.locator("#main").get_by_role("link", name="Indici infortunistici").first.click()  # the row's link, not the menu's
    expect(page.get_by_role("heading", name="Indici infortunistici — Stabilimento Nord")).to_be_visible()

    # A wrong file first: every error by row and column, nothing imported.
    bad = tmp_path / "sbagliato.csv"
    bad.write_text(REGISTER + "31/02/2024;;;forse;no;;x\n", encoding="utf-8")
    page.get_by_role("link", name="Importa da CSV").click()
    page.locator("label.form-check-label", has_text="Registro infortuni").click()
    page.get_by_label("File CSV").set_input_files(str(bad))
    page.get_by_role("button", name="Anteprima").click()
    errors = page.get_by_role("alert")
    expect(errors).to_contain_text("Riga 7, colonna data_evento")
    expect(errors).to_contain_text("Riga 7, colonna in_itinere")
    shot("01-import-errors")
    page.get_by_role("link", name="Stabilimento Nord").click()

    hours = tmp_path / "ore.csv"
    hours.write_text(HOURS, encoding="utf-8")
    import_csv(page, "Ore lavorate per anno", hours)
    page.get_by_role("button", name="Conferma importazione").click()
    register = tmp_path / "registro.csv"
    register.write_text(REGISTER, encoding="utf-8")
    import_csv(page, "Registro infortuni", register)
    expect(page.get_by_role("table")).to_contain_text("Caduta dalla scala")
    shot("02-import-preview")
    page.get_by_role("button", name="Conferma importazione").click()
    expect(page.get_by_text("Importazione completata: 5 righe salvate.")).to_be_visible()

    # The table and the chart.
    table = page.locator("table.ot24-indici")
    expect(table).to_contain_text("20,41")  # IF 2022: 2 / 98,000 h
    expect(table).to_contain_text("Obiettivo Zero")
    chart = page.get_by_role("img", name="Indici di frequenza e di gravità per anno")
    expect(chart).to_be_visible()
    assert chart.bounding_box()["width"] > 500
    expect(page.get_by_text("Assenza di 3 giorni o meno").first).to_be_visible()
    shot("03-site-1280")
    page.set_viewport_size({"width": 390, "height": 844})
    expect(chart).to_be_visible()
    assert chart.bounding_box()["width"] >= 540  # scrolls sideways rather than shrinking its text
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # the page itself does not scroll sideways
    shot("04-site-390")
    page.set_viewport_size({"width": 1280, "height": 900})

    # Attach the C5 elaboration (the events of the campaign's reference year only) to the draft.
    page.get_by_role("button", name="Allega alla domanda (C5)").click()
    expect(page.get_by_text("Elaborazione allegata alla domanda come documentazione di C5.")).to_be_visible()
    shot("05-attached")
    page.get_by_role("link", name="Vai alla documentazione").click()
    c5 = page.locator("section", has=page.locator("#ev-C5"))
    # Issue 33: a generated document is "da firmare" until the employer signs it (tests/e2e/test_signing_journey.py).
    expect(c5.locator(".ot24-ev-badge")).to_have_text("Da firmare")
    expect(c5).to_contain_text(f"elaborazione-eventi-c5-stabilimento-nord-{app.campaign.reference_year}.pdf")
    shot("06-evidence-c5-da-firmare")


def test_indicator_pages_have_no_serious_accessibility_violations(page, live_server, draft):
    from indicators import services
    from indicators.models import Injury

    from .test_accessibility import serious

    site, rep, app = draft
    services.import_rows(user=rep, site=site, kind="hours", text=HOURS)
    services.import_rows(user=rep, site=site, kind="injuries", text=REGISTER)
    injury = Injury.objects.filter(site=site).first()
    log_in(page, live_server, rep)
    problems = {}
    for path in [f"/indici/unita/{site.pk}/", f"/indici/unita/{site.pk}/ore/", f"/indici/unita/{site.pk}/importa/",
                 f"/indici/unita/{site.pk}/infortuni/nuovo/", f"/indici/infortuni/{injury.pk}/elimina/",
                 f"/indici/unita/{site.pk}/appaltatori/",
                 f"/indici/aziende/{site.company_id}/", "/indici/"]:
        page.goto(f"{live_server.url}{path}")
        problems[path] = serious(page)
    assert {p: v for p, v in problems.items() if v} == {}
