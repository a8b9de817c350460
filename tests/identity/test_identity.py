"""SPID/CIE without a browser: how an asserted identity finds, creates or links an account, the ID token
checks spid-cie-oidc leaves out, the relying party's entity configuration, the production start-up checks,
the password sign-up switch, verified fields not editable by hand, the verified-signatory setting."""
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from stdnum.it import codicefiscale

from accounts.models import User
from identity import federation, services
from identity.models import FederatedIdentity
from identity.services import IdentityRefused

ROOT = Path(__file__).resolve().parents[2]
CF = "RSSMRA70E17H501" + codicefiscale.calc_check_digit("RSSMRA70E17H501")
CF2 = "BNCLRA80A41F205" + codicefiscale.calc_check_digit("BNCLRA80A41F205")
OP = "https://idp.example.it/oidc/op"


def attrs(cf=CF, email="mario.rossi@example.it", sub="sub-1"):
    return {"sub": sub, "first_name": "Mario", "last_name": "Rossi", "email": email, "fiscal_number": f"TINIT-{cf}"}


def login(cf=CF, sub="sub-1", current_user=None, email="mario.rossi@example.it", provider=OP):
    return services.login_or_link(provider=provider, profile="spid", subject=sub,
                                  attributes=attrs(cf, email, sub), current_user=current_user)


# --- codice fiscale from the claim ---

def test_tinit_prefix_is_stripped_and_the_codice_fiscale_validated():
    assert services.codice_fiscale_from_claim(f"TINIT-{CF.lower()}") == CF
    assert services.codice_fiscale_from_claim(CF) == CF
    for bad in ("TINIT-RSSMRA70E17H501A", "", None, 12, "TINIT-"):
        with pytest.raises(IdentityRefused):
            services.codice_fiscale_from_claim(bad)


# --- accounts ---

@pytest.mark.django_db
def test_first_log_in_creates_a_verified_account_and_the_second_finds_it():
    user = login()
    assert (user.first_name, user.last_name, user.codice_fiscale, user.codice_fiscale_verified) == ("Mario", "Rossi", CF, True)
    assert not user.has_usable_password() and user.role == User.Role.COMPANY
    # Same person, another provider (another pairwise subject): the same account, found by codice fiscale.
    again = login(sub="other-sub", provider="https://other-idp.example.it/oidc/op")
    assert again.pk == user.pk
    assert FederatedIdentity.objects.filter(user=user).count() == 2


@pytest.mark.django_db
def test_an_account_is_never_taken_over_by_email_alone():
    owner = User.objects.create_user(email="mario.rossi@example.it", password="x-Password-123")
    with pytest.raises(IdentityRefused):
        login()
    owner.refresh_from_db()
    assert not owner.codice_fiscale_verified and not FederatedIdentity.objects.exists()


@pytest.mark.django_db
def test_a_hand_typed_codice_fiscale_does_not_capture_the_identity():
    """Someone typed Mario's codice fiscale into their own profile: Mario's SPID log-in gets its own account."""
    squatter = User.objects.create_user(email="squatter@example.it", password="x-Password-123", codice_fiscale=CF)
    user = login()
    assert user.pk != squatter.pk


@pytest.mark.django_db
def test_link_to_the_logged_in_account():
    user = User.objects.create_user(email="mario@example.it", password="x-Password-123")
    linked = login(current_user=user, email="other@example.it")
    assert linked.pk == user.pk
    user.refresh_from_db()
    assert user.codice_fiscale_verified and user.codice_fiscale == CF and user.email == "mario@example.it"


@pytest.mark.django_db
def test_link_refused_when_the_identity_belongs_to_another_account_or_the_account_to_another_identity():
    mario = login()
    other = User.objects.create_user(email="other@example.it", password="x-Password-123")
    with pytest.raises(IdentityRefused):
        login(current_user=other, sub="sub-9")
    with pytest.raises(IdentityRefused):
        login(cf=CF2, current_user=mario, sub="sub-2", email="laura@example.it")
    mario.refresh_from_db()
    assert mario.codice_fiscale == CF


@pytest.mark.django_db
def test_subject_asserting_another_codice_fiscale_is_refused():
    login()
    with pytest.raises(IdentityRefused):
        login(cf=CF2, email="laura@example.it")  # same provider and sub-1, different codice fiscale


@pytest.mark.django_db
def test_staff_never_log_in_with_spid():
    reviewer = User.objects.create_user(email="rev@inail.example", password="x-Password-123",
                                        role=User.Role.REVIEWER, codice_fiscale=CF)
    with pytest.raises(IdentityRefused):
        login(current_user=reviewer)
    reviewer.refresh_from_db()
    assert not reviewer.codice_fiscale_verified


@pytest.mark.django_db
def test_one_account_per_verified_codice_fiscale_in_the_database():
    from django.db import IntegrityError, transaction

    login()
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create_user(email="copy@example.it", codice_fiscale=CF, codice_fiscale_verified=True)


# --- ID token checks ---

def _token(**claims):
    import base64

    now = int(time.time())
    body = {"iss": OP, "aud": ["https://portal.example.it/oidc/rp"], "exp": now + 300, "iat": now, "nonce": "n1",
            "sub": "sub-1", **claims}
    enc = lambda d: base64.urlsafe_b64encode(json.dumps(d).encode()).decode().rstrip("=")  # noqa: E731
    return f"{enc({'alg': 'RS256'})}.{enc(body)}.sig"


def check(token, userinfo_sub="sub-1"):
    return services.check_id_token(token, provider=OP, client_id="https://portal.example.it/oidc/rp", nonce="n1",
                                   userinfo_sub=userinfo_sub)


def test_id_token_claims_are_checked():
    assert check(_token())["sub"] == "sub-1"
    bad = [_token(iss="https://evil.example/op"), _token(aud=["https://other-rp.example"]),
           _token(exp=int(time.time()) - 3600), _token(iat=int(time.time()) + 3600), _token(nonce="other"),
           _token(sub=""), "not-a-jwt"]
    for token in bad:
        with pytest.raises(IdentityRefused):
            check(token)
    with pytest.raises(IdentityRefused):
        check(_token(), userinfo_sub="someone-else")


# --- relying party, pages ---

@pytest.fixture
def rp_settings(settings, tmp_path):
    fed, core = federation.write_keys(tmp_path)
    settings.OT24_SPID_TRUST_ANCHOR = "https://ta.example.it"
    settings.OT24_SPID_RP_CLIENT_ID = "https://portal.example.it/oidc/rp"
    settings.OT24_SPID_RP_JWKS_FED_FILE = str(fed)
    settings.OT24_SPID_RP_JWKS_CORE_FILE = str(core)
    settings.OT24_SPID_PROVIDERS = [{"id": OP, "name": "Test IdP", "profile": "spid"},
                                    {"id": "https://cie.example.it/oidc/op", "name": "CIE", "profile": "cie"}]
    return settings


@pytest.mark.django_db
def test_entity_configuration_is_signed_and_holds_only_public_keys(client, rp_settings):
    from spid_cie_oidc.entity.jwtse import unpad_jwt_payload

    rp_settings.ALLOWED_HOSTS = ["portal.example.it"]
    response = client.get("/oidc/rp/.well-known/openid-federation", HTTP_HOST="portal.example.it", secure=True)
    assert response.status_code == 200 and response["Content-Type"] == "application/entity-statement+jwt"
    statement = unpad_jwt_payload(response.content.decode())
    assert statement["sub"] == "https://portal.example.it/oidc/rp"
    assert statement["authority_hints"] == ["https://ta.example.it"]
    rp = statement["metadata"]["openid_relying_party"]
    assert rp["redirect_uris"] == ["https://portal.example.it/oidc/rp/callback"]
    for key in statement["jwks"]["keys"] + rp["jwks"]["keys"]:
        assert "d" not in key and "p" not in key


@pytest.mark.django_db
def test_entity_configuration_is_absent_when_spid_is_not_configured(client):
    assert client.get("/oidc/rp/.well-known/openid-federation").status_code == 404


@pytest.mark.django_db
def test_login_and_signup_pages_show_both_buttons_with_the_providers(client, rp_settings):
    for url in ("/accesso/", "/account/signup/"):
        page = client.get(url).content.decode()
        assert "Entra con SPID" in page and "Entra con CIE" in page and "Test IdP" in page
        assert "/oidc/rp/authorization?provider=https%3A%2F%2Fidp.example.it%2Foidc%2Fop" in page


@pytest.mark.django_db
def test_password_sign_up_can_be_switched_off(client, settings):
    settings.OT24_PASSWORD_SIGNUP = False
    page = client.get("/account/signup/").content.decode()
    assert "Entra con SPID" in page and 'name="password1"' not in page
    client.post("/account/signup/", {"email": "new@example.it", "password1": "Lunga-Password-2027",
                                     "password2": "Lunga-Password-2027", "role": "company"})
    assert not User.objects.filter(email="new@example.it").exists()


@pytest.mark.django_db
def test_begin_refuses_a_provider_outside_the_list(client, rp_settings):
    response = client.get("/oidc/rp/authorization", {"provider": "https://evil.example/oidc/op"})
    assert response.status_code == 403 and "non fa parte della federazione" in response.content.decode()


@pytest.mark.django_db
def test_callback_not_started_by_this_browser_is_refused(client, rp_settings):
    response = client.get("/oidc/rp/callback", {"code": "x", "state": "y", "iss": OP})
    assert response.status_code == 400


@pytest.mark.django_db
def test_verified_fields_cannot_be_edited_by_hand(client):
    user = login()
    client.force_login(user)
    page = client.get("/account/profilo/").content.decode()
    assert "Codice fiscale verificato con SPID/CIE" in page
    client.post("/account/profilo/", {"first_name": "Altro", "last_name": "Nome", "codice_fiscale": CF2,
                                      "phone": "", "language": "it"})
    user.refresh_from_db()
    assert (user.first_name, user.last_name, user.codice_fiscale) == ("Mario", "Rossi", CF)


@pytest.mark.django_db
def test_unverified_signatory_is_refused_when_production_requires_it(settings):
    from applications import services as app_services
    from tests.factories import ready_to_submit

    settings.OT24_REQUIRE_VERIFIED_SIGNATORY = True
    application, rep = ready_to_submit()
    declarations = {name: True for name in application.DECLARATIONS}
    with pytest.raises(ValidationError, match="codice fiscale deve essere verificato"):
        app_services.application_submit(user=rep, application=application, declarations=declarations,
                                        place="Roma", version=application.version)


@pytest.mark.django_db
def test_logout_revokes_the_federation_tokens(client):
    from spid_cie_oidc.relying_party.models import OidcAuthentication, OidcAuthenticationToken

    user = login()
    authz = OidcAuthentication.objects.create(client_id="https://portal.example.it/oidc/rp", state="s1",
                                              provider_id=OP, data="{}", provider_configuration={})
    token = OidcAuthenticationToken.objects.create(authz_request=authz, user=user, code="c")
    client.force_login(user)
    client.post("/uscita/")
    token.refresh_from_db()
    assert token.revoked is not None


# --- production start-up ---

def _check(extra_env):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "OT24_SPID"))}
    env.update(DJANGO_SETTINGS_MODULE="ot24portal.settings.production", DJANGO_SECRET_KEY="k" * 60,
               DATABASE_URL="sqlite:////tmp/ot24-spid-check.sqlite3", DJANGO_ALLOWED_HOSTS="ot24.example", **extra_env)
    return subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True)


def test_production_refuses_to_start_without_the_federation_settings():
    proc = _check({})
    assert proc.returncode != 0
    for code in ("identity.E001", "identity.E002", "identity.E004", "identity.E005", "identity.E006"):
        assert code in proc.stderr


def test_production_starts_with_the_federation_settings(tmp_path):
    proc = _check(spid_production_env(tmp_path))
    assert proc.returncode == 0, proc.stderr


def spid_production_env(folder) -> dict:
    """The SPID/CIE environment a production start needs, with keys made now."""
    fed, core = federation.write_keys(folder)
    metadata = Path(folder) / "rp-metadata.json"
    metadata.write_text(json.dumps({"organization_name": "INAIL", "contacts": ["ops@inail.example"]}))
    return {"OT24_SPID_TRUST_ANCHOR": "https://registry.spid.gov.it",
            "OT24_SPID_RP_CLIENT_ID": "https://ot24.example/oidc/rp",
            "OT24_SPID_RP_JWKS_FED_FILE": str(fed), "OT24_SPID_RP_JWKS_CORE_FILE": str(core),
            "OT24_SPID_RP_METADATA_FILE": str(metadata),
            "OT24_SPID_PROVIDERS": json.dumps([{"id": "https://idp.example.it", "name": "IdP", "profile": "spid"}])}
