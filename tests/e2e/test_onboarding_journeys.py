"""Self-service companies, consultants and mandates in a real browser, reading the links from the e-mails
the portal sent (locmem backend in the live server): a consultant with no account signs up, creates a firm,
registers a new client whose legal representative signs up from the invitation and confirms the mandate,
then starts the client's application; a company not in the portal signs up, registers itself, invites a
member and grants a mandate to an existing firm."""
import re

import pytest
from django.core import mail
from django.core.cache import cache
from playwright.sync_api import expect

from operations.demo import codice_fiscale, partita_iva
from organisations.models import Company, Invitation, Mandate, Membership
from tests.e2e import login
from tests.factories import firm_with, open_campaign

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "Ponteggio-Sicuro-2027"
REP_CF = codice_fiscale("VRDLGU80A01F205")


@pytest.fixture(autouse=True)
def _catalogue_and_fresh_cache():
    from django.core.management import call_command

    call_command("loaddata", "ot24", verbosity=0)
    open_campaign()
    cache.clear()  # allauth's rate limits
    yield
    cache.clear()


def link_to(email: str) -> str:
    """The path of the portal link in the last e-mail sent to `email`."""
    message = [m for m in mail.outbox if email in m.to][-1]
    return re.search(r"https?://[^/\s]+(/\S+)", message.body).group(1)


def sign_up_and_verify(page, live_server, email, role):
    page.goto(f"{live_server.url}/account/signup/")
    page.locator("input[name=email]").fill(email)
    page.locator("input[name=password1]").fill(PASSWORD)
    page.locator("input[name=password2]").fill(PASSWORD)
    page.locator(f"input[name=role][value={role}]").check(force=True)
    page.locator("main form button[type=submit]").click()
    expect(page.get_by_text("Se l'indirizzo è registrato riceverai un'e-mail")).to_be_visible()
    page.goto(live_server.url + link_to(email))
    with login.answered(page):  # the confirmation's POST, before log_in navigates away
        page.locator("main form button[type=submit]").click()
    log_in(page, live_server, email)


def log_in(page, live_server, email):
    login.log_in(page, live_server, email, PASSWORD)
    expect(page.locator("header").get_by_role("button", name="Esci")).to_be_visible()


def fill_company(page, ragione_sociale, piva):
    values = {"ragione_sociale": ragione_sociale, "codice_fiscale": piva, "partita_iva": piva, "codice_ditta": "7654321",
              "address": "Via dei Ponti 4", "city": "Torino", "cap": "10121", "province": "TO"}
    for name, value in values.items():
        page.locator(f"main input[name={name}]").fill(value)


def test_consultant_signs_up_registers_a_client_whose_legal_representative_confirms(page, live_server, shot):
    consultant_email, rep_email = "carla@studioponti.example", "luigi@ponti.example"
    piva = partita_iva("0912345058")
    sign_up_and_verify(page, live_server, consultant_email, "consultant")
    shot("01-consultant-dashboard")

    page.locator("main").get_by_role("link", name="I miei clienti").first.click()
    page.get_by_role("link", name="Crea il tuo studio").click()
    page.get_by_label("Denominazione dello studio").fill("Studio Ponti")
    page.get_by_label("Codice fiscale o partita IVA").fill("123")
    page.get_by_role("button", name="Crea lo studio").click()
    expect(page.get_by_text("Codice fiscale non valido")).to_be_visible()  # next to the field, input kept
    expect(page.get_by_label("Denominazione dello studio")).to_have_value("Studio Ponti")
    page.get_by_label("Codice fiscale o partita IVA").fill(partita_iva("0812345058"))
    page.get_by_role("button", name="Crea lo studio").click()
    expect(page.get_by_role("heading", name="Studio Ponti")).to_be_visible()
    shot("02-firm")

    page.get_by_role("link", name="I miei clienti").last.click()
    page.get_by_role("link", name="Registra un nuovo cliente").first.click()
    fill_company(page, "Ponti e Gru S.r.l.", piva)
    page.get_by_label("E-mail del legale rappresentante").fill(rep_email)
    page.get_by_label("Delega a").select_option(label="Studio Ponti")
    shot("03-new-client-form")
    page.get_by_role("button", name="Registra il cliente").click()
    expect(page.get_by_text("Cliente registrato")).to_be_visible()
    expect(page.locator("main table")).to_contain_text("In attesa del legale rappresentante")
    shot("04-client-pending")
    login.log_out(page)

    # The legal representative opens the invitation, signs up, comes back to the link and confirms.
    invitation_path = link_to(rep_email)
    page.goto(live_server.url + invitation_path)
    expect(page.get_by_role("heading", name="Hai ricevuto un invito")).to_be_visible()
    shot("05-invitation-anonymous")
    page.locator("main").get_by_role("link", name="Registrati").click()
    page.wait_for_url(re.compile(r"/account/signup/"))  # the invitation's link leads to the sign-up
    sign_up_and_verify(page, live_server, rep_email, "company")
    page.goto(live_server.url + invitation_path)
    expect(page.get_by_text("Studio Ponti ha registrato l'azienda e chiede la delega")).to_be_visible()
    page.get_by_role("button", name="Accetta l'invito").click()
    expect(page.get_by_text("La dichiarazione è obbligatoria per il legale rappresentante.")).to_be_visible()
    shot("06-accept-errors")
    page.get_by_label("Il tuo codice fiscale").fill(REP_CF)
    page.locator("input[name=declaration]").check(force=True)
    expect(page.get_by_role("heading", name="Dati dell'azienda che dichiari veri")).to_be_visible()
    page.get_by_label("Confermo la delega al consulente").check(force=True)  # a choice, not pre-selected
    page.get_by_role("button", name="Accetta l'invito").click()
    expect(page.get_by_role("heading", name="Ponti e Gru S.r.l.")).to_be_visible()
    expect(page.locator("#mandates").locator("xpath=following::table[1]")).to_contain_text("Attiva")
    shot("07-company-page")
    company = Company.objects.get(codice_fiscale=piva)
    assert company.legal_rep_confirmed and company.legal_representative.email == rep_email
    assert Mandate.objects.get(company=company).status == Mandate.Status.ACTIVE
    login.log_out(page)

    # The consultant adds the client's productive unit and starts its application up to the scheda.
    log_in(page, live_server, consultant_email)
    page.get_by_role("link", name="Aggiungi un'unità produttiva").click()  # one client: one link
    for name, value in {"name": "Cantiere Lingotto", "address": "Via Nizza 200", "city": "Torino", "cap": "10126",
                        "workers": "14"}.items():
        page.locator(f"main input[name={name}]").fill(value)
    page.locator("main select[name=province]").select_option("TO")
    page.locator("input[name=pats-0-number]").fill("91000001")
    page.locator("input[name=pats-0-voce_di_tariffa]").fill("3110")
    page.locator("input[name=pats-0-lavoratori_anno]").fill("13,5")
    page.get_by_role("button", name="Salva").click()
    expect(page.get_by_text("Unità produttiva salvata.")).to_be_visible()
    page.get_by_role("link", name="Domande").first.click()
    page.wait_for_url(re.compile(r"/domande/$"))  # the site page has an "Avvia la domanda" button too
    page.get_by_role("button", name="Avvia la domanda").click()
    expect(page.locator("input[name=signatory_codice_fiscale]")).to_have_value(REP_CF)  # the signature's chain
    shot("08-scheda")


def test_company_signs_up_registers_itself_invites_a_member_and_grants_a_mandate(page, live_server, shot):
    firm = firm_with()
    firm.name = "Studio Sicuro Torino"
    firm.save()
    email = "anna@officinerosse.example"
    piva = partita_iva("0612345058")
    sign_up_and_verify(page, live_server, email, "company")
    page.get_by_role("link", name="Registra la tua azienda").click()
    fill_company(page, "Officine Rosse S.p.A.", piva)
    page.locator("input[name=declared_role][value=legal_rep]").check(force=True)
    page.get_by_role("button", name="Registra l'azienda").click()
    expect(page.get_by_text("La dichiarazione è obbligatoria.")).to_be_visible()
    expect(page.get_by_text("Il legale rappresentante deve indicare il proprio codice fiscale.")).to_be_visible()
    expect(page.get_by_label("Denominazione o ragione sociale")).to_have_value("Officine Rosse S.p.A.")
    shot("01-register-errors")
    page.get_by_label("Il tuo codice fiscale (legale rappresentante)").fill(REP_CF)
    page.locator("input[name=declaration]").check(force=True)
    page.get_by_role("button", name="Registra l'azienda").click()
    expect(page.get_by_role("heading", name="Officine Rosse S.p.A.")).to_be_visible()
    shot("02-company-page")

    page.locator("main input[name=email]").fill("marco@officinerosse.example")
    page.locator("main select[name=role]").select_option(label="Collaboratore")
    page.get_by_role("button", name="Invia l'invito").click()
    expect(page.get_by_text("Invito inviato a marco@officinerosse.example.")).to_be_visible()
    assert "/invito/" in link_to("marco@officinerosse.example")
    shot("03-invited")

    page.get_by_role("link", name="Concedi una delega").click()
    page.get_by_label("Studio o consulente").fill(firm.codice_fiscale)
    page.get_by_label("Con facoltà di inviare le domande per l'azienda").check(force=True)
    page.get_by_role("button", name="Concedi la delega").click()
    expect(page.get_by_text("Delega concessa.")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Studio Sicuro Torino")
    shot("04-mandate-granted")

    company = Company.objects.get(codice_fiscale=piva)
    assert Membership.objects.get(company=company, user__email=email).role == "legal_rep"
    assert Invitation.objects.filter(company=company, email="marco@officinerosse.example").exists()
    mandate = Mandate.objects.get(company=company)
    assert mandate.firm == firm and mandate.can_submit and mandate.all_sites and mandate.granted_by.email == email
