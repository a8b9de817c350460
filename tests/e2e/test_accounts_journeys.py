"""Accounts in a real browser, reading the links from the e-mails the portal sent (locmem backend in the
live server): a locked-out user resets the password from the locked-out page, then changes it; a reviewer
is kept out until the second factor is set, then reaches the review queue."""
import re

import pytest
from django.core import mail
from django.core.cache import cache
from playwright.sync_api import expect

from accounts.models import User
from ot24portal.settings.base import AUTHENTICATION_BACKENDS as ALL_BACKENDS
from tests.accounts.conftest import totp_code
from tests.e2e.login import answered, log_in, log_out
from tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

RESET_PASSWORD = "Ponteggio-Sicuro-2027"
CHANGED_PASSWORD = "Cantiere-Protetto-2028"


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()  # allauth's rate limits and used TOTP codes
    yield
    cache.clear()


def link_in(message) -> str:
    return re.search(r"https?://[^/\s]+(/\S+)", message.body).group(1)


def test_lockout_leads_to_reset_then_password_change(page, live_server, shot, settings):
    settings.AUTHENTICATION_BACKENDS = ALL_BACKENDS  # django-axes, as in production
    user = UserFactory(email="smemorato@example.com", first_name="Sara", last_name="Smemorata")

    log_in(page, live_server, user.email, "sbagliata")
    shot("01-login-error")
    for _ in range(4):
        log_in(page, live_server, user.email, "sbagliata")
    expect(page.get_by_role("heading", name="Accesso temporaneamente bloccato")).to_be_visible()
    shot("02-locked-out")

    page.get_by_role("link", name="reimposta la password").click()
    expect(page.get_by_role("heading", name="Reimposta la password")).to_be_visible()
    page.get_by_label("E-mail").fill("Smemorato@Example.com")
    shot("03-reset-form")
    page.locator("main").get_by_role("button", name="Invia il link").click()
    expect(page.get_by_text("Se l'indirizzo è registrato riceverai un'e-mail")).to_be_visible()
    shot("04-reset-sent")

    [message] = mail.outbox
    assert message.to == ["smemorato@example.com"]
    page.goto(live_server.url + link_in(message))
    page.locator("input[name=password1]").fill(RESET_PASSWORD)
    page.locator("input[name=password2]").fill(RESET_PASSWORD)
    shot("05-new-password")
    page.locator("main").get_by_role("button", name="Cambia la tua password").click()
    expect(page.locator("main")).to_contain_text("Password cambiata")
    shot("06-reset-done")

    # The reset lifted the lock: the owner logs in at once with the new password.
    log_in(page, live_server, user.email, RESET_PASSWORD)
    expect(page.get_by_role("link", name="Sara Smemorata")).to_be_visible()

    page.get_by_role("link", name="Sara Smemorata").click()
    expect(page.get_by_role("heading", name="Il tuo profilo")).to_be_visible()
    shot("07-profile")
    page.locator("main nav").get_by_role("link", name="Password").click()
    page.locator("input[name=oldpassword]").fill(RESET_PASSWORD)
    page.locator("input[name=password1]").fill(CHANGED_PASSWORD)
    page.locator("input[name=password2]").fill(CHANGED_PASSWORD)
    shot("08-change-password")
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".alert-success")).to_be_visible()
    shot("09-changed")

    log_out(page)
    expect(page.get_by_text("Sei uscito dal portale.")).to_be_visible()
    shot("10-logged-out")
    log_in(page, live_server, user.email, CHANGED_PASSWORD)
    expect(page.get_by_role("link", name="Sara Smemorata")).to_be_visible()


def test_reviewer_refused_until_second_factor(page, live_server, shot, settings):
    settings.OT24_REQUIRE_STAFF_MFA = True
    reviewer = UserFactory(role=User.Role.REVIEWER, first_name="Rita", last_name="Revisori")

    log_in(page, live_server, reviewer.email, DEFAULT_PASSWORD)
    expect(page.locator(".alert-warning")).to_contain_text("verifica in due passaggi")
    assert page.url.endswith("/account/2fa/totp/activate/")
    shot("01-setup-required")
    page.goto(f"{live_server.url}/istruttoria/")
    assert page.url.endswith("/account/2fa/totp/activate/")  # refused: back to the set-up page

    secret = page.locator("#authenticator_secret").input_value()
    assert re.fullmatch(r"[A-Z2-7]{32}", secret)
    page.locator("input[name=code]").fill("000000")
    with answered(page):  # a goto while the POST is in flight cancels it: CI once lost the right code that way
        page.locator("main form button[type=submit]").click()
    expect(page.locator("main")).to_contain_text("Codice errato.")
    shot("02-wrong-code")
    page.locator("input[name=code]").fill(totp_code(secret))
    with answered(page):
        page.locator("main form button[type=submit]").click()
    expect(page.locator("main")).to_contain_text("Applicazione di autenticazione attivata.")
    page.goto(f"{live_server.url}/istruttoria/")
    expect(page.get_by_role("heading", name="Domande da istruire")).to_be_visible()
    shot("03-queue")

    # Next time, the password alone does not let them in.
    log_out(page)
    log_in(page, live_server, reviewer.email, DEFAULT_PASSWORD)
    expect(page.locator("input[name=code]")).to_be_visible()
    shot("04-code-asked")
    page.goto(f"{live_server.url}/istruttoria/")
    assert "/istruttoria/" not in page.url
