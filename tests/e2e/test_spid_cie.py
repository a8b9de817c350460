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
from operations.demo import partita_iva
from identity.models import FederatedIdentity
from organisations.models import Company
from tests.e2e.login import log_in, log_out
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


# --- what is refused -------------------------------------------------------------------------------------

def refused(page, text):
    expect(page.get_by_test_id("identity-error")).to_contain_text(text)
    expect(page.locator("header").get_by_role("button", name="Esci")).to_have_count(0)


def test_provider_not_configured_is_refused(page, spid_settings):  # noqa: F811
    page.goto(spid_settings.portal + "/oidc/rp/authorization?provider=http://127.0.0.1:9/oidc/op")
    refused(page, "non fa parte della federazione")


def test_provider_not_subordinate_of_the_trust_anchor_is_refused(page, spid_settings, shot):  # noqa: F811
    """The CIE provider listed in the portal's settings, but no longer registered at the trust anchor: its
    trust chain cannot be built, the log-in does not start."""
    import sqlite3

    with sqlite3.connect(spid_settings.ta_db) as db:
        db.execute("UPDATE spid_cie_oidc_authority_federationdescendant SET is_active = 0 WHERE sub = ?",
                   (spid_settings.cie_op,))
    try:
        page.goto(spid_settings.portal + "/accesso/")
        page.get_by_role("link", name="Entra con CIE").click()
        expect(page.get_by_test_id("identity-error")).to_be_visible()
        shot("refused")
        assert "/oidc/op/" not in page.url
        assert not User.objects.filter(codice_fiscale=LAURA.codice_fiscale).exists()
    finally:
        with sqlite3.connect(spid_settings.ta_db) as db:
            db.execute("UPDATE spid_cie_oidc_authority_federationdescendant SET is_active = 1 WHERE sub = ?",
                       (spid_settings.cie_op,))


@pytest.fixture
def token_response_rewritten(monkeypatch):
    """Rewrites the ID token of the provider's real token response before the portal checks it."""
    from identity.views import CallbackView

    real = CallbackView.access_token_request

    def install(rewrite):
        def access_token_request(self, *args, **kwargs):
            response = real(self, *args, **kwargs)
            response["id_token"] = rewrite(response["id_token"])
            return response

        monkeypatch.setattr(CallbackView, "access_token_request", access_token_request)

    return install


def _b64(data: dict) -> str:
    import base64
    import json

    return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")


def test_tampered_id_token_is_refused(page, spid_settings, token_response_rewritten):  # noqa: F811
    from spid_cie_oidc.entity.jwtse import unpad_jwt_payload

    def tamper(id_token):  # another subject, the provider's signature kept
        header, _payload, signature = id_token.split(".")
        claims = unpad_jwt_payload(id_token)
        claims["sub"] = "someone-else"
        return ".".join((header, _b64(claims), signature))

    token_response_rewritten(tamper)
    start_spid(page, spid_settings.portal)
    provider_login(page, MARIO)
    expect(page.get_by_test_id("identity-error")).to_be_visible()
    expect(page.locator("header").get_by_role("button", name="Esci")).to_have_count(0)
    assert not User.objects.filter(codice_fiscale=MARIO.codice_fiscale).exists()


def test_expired_id_token_is_refused(page, spid_settings, token_response_rewritten):  # noqa: F811
    """Signed by the provider's own key (the test made it), valid in every other way, but expired."""
    import time

    from spid_cie_oidc.entity.jwtse import create_jws, unpad_jwt_head, unpad_jwt_payload

    keys = spid_settings.op_keys[spid_settings.spid_op]

    def expire(id_token):
        head = unpad_jwt_head(id_token)
        key = next(k for k in keys if k["kid"] == head["kid"])
        claims = unpad_jwt_payload(id_token)
        claims.update(iat=int(time.time()) - 7200, exp=int(time.time()) - 3600)
        return create_jws(claims, key, alg=head.get("alg", "RS256"))

    token_response_rewritten(expire)
    start_spid(page, spid_settings.portal)
    provider_login(page, MARIO)
    refused(page, "scaduto")
    assert not User.objects.filter(codice_fiscale=MARIO.codice_fiscale).exists()


def test_second_person_never_reaches_the_first_persons_account(page, browser, spid_settings, shot):  # noqa: F811
    start_spid(page, spid_settings.portal)
    provider_login(page, MARIO)
    mario = logged_in_as(page, MARIO)
    log_out(page)

    # Laura on the same browser after Mario: her own, new account.
    start_spid(page, spid_settings.portal)
    provider_login(page, LAURA)
    laura = logged_in_as(page, LAURA)
    assert laura.pk != mario.pk
    assert FederatedIdentity.objects.filter(user=mario).count() == 1
    log_out(page)

    # A callback made in Laura's browser, opened in Mario's logged-in browser (a link sent to him): refused,
    # nothing of Laura's reaches Mario's account and Mario is not logged in as Laura.
    start_spid(page, spid_settings.portal)
    provider_login(page, MARIO)
    logged_in_as(page, MARIO)
    other = browser.new_context(locale="it-IT")
    laura_page = other.new_page()
    captured = []

    def stop_before_callback(route):  # the provider's answer to the consent: a redirect to the callback
        response = route.fetch(max_redirects=0)
        if "/oidc/rp/callback" in response.headers.get("location", ""):
            captured.append(response.headers["location"])
            route.abort()
        else:
            route.fulfill(response=response)

    laura_page.route("**/oidc/op/consent*", stop_before_callback)
    start_spid(laura_page, spid_settings.portal)
    provider_login(laura_page, LAURA)
    laura_page.wait_for_timeout(500)
    other.close()
    assert captured
    page.goto(captured[0])
    expect(page.get_by_test_id("identity-error")).to_contain_text("non è stata richiesta da questo browser")
    shot("foreign-callback")
    page.goto(spid_settings.portal + "/account/profilo/")
    expect(page.locator("input[name=codice_fiscale]")).to_have_value(MARIO.codice_fiscale)
    mario.refresh_from_db()
    assert mario.codice_fiscale == MARIO.codice_fiscale
    assert set(FederatedIdentity.objects.filter(user=mario).values_list("user_id", flat=True)) == {mario.pk}
    assert FederatedIdentity.objects.filter(user=laura).count() == 1


def test_existing_email_account_is_not_taken_over_and_links_after_password_log_in(page, spid_settings, shot):  # noqa: F811
    user = User.objects.create_user(email=MARIO.email, password="Password-Lunga-2027")
    start_spid(page, spid_settings.portal)
    provider_login(page, MARIO)
    refused(page, "Accedi con e-mail e password, poi collega SPID o CIE")
    user.refresh_from_db()
    assert not user.codice_fiscale_verified and not FederatedIdentity.objects.exists()

    log_in(page, spid_settings.portal, MARIO.email, "Password-Lunga-2027")
    expect(page.locator("header").get_by_role("button", name="Esci")).to_be_visible()
    page.goto(spid_settings.portal + "/account/profilo/")
    page.get_by_role("button", name="Collega SPID").click()
    page.get_by_role("link", name="SPID Test Provider").click()
    provider_login(page, MARIO)
    expect(page.locator("header").get_by_role("button", name="Esci")).to_be_visible()
    user.refresh_from_db()
    assert user.codice_fiscale_verified and user.codice_fiscale == MARIO.codice_fiscale
    assert FederatedIdentity.objects.get().user == user
    page.goto(spid_settings.portal + "/account/profilo/")
    expect(page.get_by_test_id("cf-verified")).to_be_visible()
    shot("linked")
