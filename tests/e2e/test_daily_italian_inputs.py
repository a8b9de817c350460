"""Issue 34 in a real browser, in Italian: decimals typed with a comma on the stress area A form are shown
again when it is reopened and saving it again keeps them; the register import takes "12345678/90" and
shows it so; the scheda fills the birth place from the codice fiscale; the sign-up at 390 px answers in
Italian, links the privacy notice and lands on a page no flash contradicts."""
import datetime as dt

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from indicators.models import Injury
from stress.models import Assessment, PeriodFigures
from tests.factories import PATFactory, SiteFactory, legal_rep, open_campaign
from tests.stress.pages import draft_with_b2d, figures

from tests.e2e.login import answered, log_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def company(django_db_blocker):
    from django.core.management import call_command

    call_command("loaddata", "ot24", verbosity=0)
    open_campaign()
    site = SiteFactory(name="Sede di Brescia", workers=12, sector="costruzioni")
    PATFactory(site=site, number="1234567890")
    rep = legal_rep(site.company)
    return site, rep, draft_with_b2d(site, rep)


def test_italian_decimals_on_the_stress_figures(page, live_server, company, shot):
    site, rep, _app = company
    assessment = Assessment.objects.create(company=site.company, date=dt.date(2025, 1, 15), year=2024,
                                           method="Check-list", created_by=rep)
    log_in(page, live_server, rep)
    page.goto(live_server.url + reverse("stress_figures", args=[assessment.pk]))
    for year, values in ((2024, figures(injury_frequency="42,02", sick_leave_hours="320,50")), (2023, figures())):
        for field, value in values.items():
            page.locator(f"#id_y{year}-{field}").fill(value)
    shot("01-figures-typed")
    page.get_by_role("button", name="Salva").click()
    expect(page.get_by_text("Indicatori aziendali salvati.")).to_be_visible()
    page.goto(live_server.url + reverse("stress_figures", args=[assessment.pk]))
    expect(page.locator("#id_y2024-injury_frequency")).to_have_value("42,02")
    expect(page.locator("#id_y2024-sick_leave_hours")).to_have_value("320,50")
    expect(page.locator("#id_y2024-contractual_hours")).to_have_value("20.000,00")
    shot("02-figures-reopened")
    page.get_by_role("button", name="Salva").click()  # as shown: nothing asked again
    expect(page.get_by_text("Indicatori aziendali salvati.")).to_be_visible()
    row = PeriodFigures.objects.get(assessment=assessment, year=2024)
    assert (str(row.injury_frequency), str(row.sick_leave_hours)) == ("42.02", "320.50")


def test_register_import_takes_the_printed_pat(page, live_server, company, shot, tmp_path):
    site, rep, _app = company
    path = tmp_path / "registro.csv"
    path.write_text("data_evento;primo_giorno_assenza;ultimo_giorno_assenza;in_itinere;mortale;invalidita_permanente;pat\n"
                    "10/03/2023;11/03/2023;20/03/2023;no;no;0;12345678/90\n"
                    "05/06/2023;05/06/2023;09/06/2023;no;no;0;12345678\n", encoding="utf-8")
    log_in(page, live_server, rep)
    page.goto(live_server.url + reverse("indicators_site", args=[site.pk]))
    page.get_by_role("link", name="Importa da CSV").click()
    page.locator("label.form-check-label", has_text="Registro infortuni").click()
    page.get_by_label("File CSV").set_input_files(str(path))
    page.get_by_role("button", name="Anteprima").click()
    expect(page.get_by_role("button", name="Conferma importazione")).to_be_visible()
    expect(page.locator("main table").get_by_text("12345678/90").first).to_be_visible()
    shot("03-import-preview")
    page.get_by_role("button", name="Conferma importazione").click()
    expect(page.locator("main").get_by_text("12345678/90").first).to_be_visible()
    shot("04-register")
    assert Injury.objects.filter(site=site, pat__number="1234567890").count() == 2


def test_scheda_birth_place_from_the_codice_fiscale(page, live_server, company, shot):
    site, rep, app = company
    log_in(page, live_server, rep)
    page.goto(live_server.url + reverse("application_step", args=[app.pk, "scheda"]))
    page.locator("#id_signatory_codice_fiscale").fill("RSSMRA70E17H501S")
    page.locator("#id_signatory_birth_place").fill("")
    page.locator("#id_signatory_birth_date").fill("")
    shot("05-scheda-empty-place")
    with answered(page):
        page.locator("main form").get_by_role("button", name="Salva").first.click()
    page.goto(live_server.url + reverse("application_step", args=[app.pk, "scheda"]))
    expect(page.locator("#id_signatory_birth_place")).to_have_value("Roma (RM)")
    expect(page.locator("#id_signatory_birth_date")).to_have_value("1970-05-17")
    shot("06-scheda-place-filled")


def test_sign_up_on_a_phone_in_italian(page, live_server, shot):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/account/signup/")
    main = page.locator("main")
    expect(main.get_by_role("link", name="informativa sulla privacy")).to_be_visible()
    page.locator("#id_email").fill("nuova.utente@example.com")
    page.locator("#id_password1").fill("corta")
    page.locator("#id_password2").fill("corta")
    page.get_by_text("Lavoro per un'azienda").click()
    page.get_by_role("button", name="Registrati").click()
    expect(main.get_by_text("La password è troppo corta: deve contenere almeno 12 caratteri.")).to_be_visible()
    assert "too short" not in main.inner_text()
    shot("07-signup-error-390")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.locator("#id_password1").fill("Cantiere-Sicuro-2027")
    page.locator("#id_password2").fill("Cantiere-Sicuro-2027")
    page.get_by_role("button", name="Registrati").click()
    expect(page.get_by_role("heading", name="Conferma il tuo indirizzo e-mail")).to_be_visible()
    assert "inviata a" not in page.locator("body").inner_text()
    shot("08-signup-done-390")
