"""Log-in throttling (django-axes) as a user meets it: a lock per client address, one per account only after
failures from many addresses, the address read behind a trusted reverse proxy, the submit step's password
counted, and a locked-out page that says what to do (password reset, support contact)."""
import re

import pytest
from django.urls import reverse

from applications.models import Application
from ot24portal.settings.base import AUTHENTICATION_BACKENDS as ALL_BACKENDS
from tests.accounts.conftest import outbox
from tests.factories import DEFAULT_PASSWORD, ready_to_submit

pytestmark = pytest.mark.django_db

LOCKED = "Accesso temporaneamente bloccato"
RIGHT = "giusta-Pass-123"


@pytest.fixture(autouse=True)
def _axes_backend(settings):
    """The real backend list: the lock is checked by axes' backend (test settings leave it out)."""
    settings.AUTHENTICATION_BACKENDS = ALL_BACKENDS


def attempt(client, username, password, ip="192.0.2.1", **extra):
    return client.post("/accesso/", {"login": username, "password": password}, REMOTE_ADDR=ip, **extra)


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_changing_the_case_of_the_email_does_not_buy_more_tries(client, settings, django_user_model):
    """Each guess comes from another address, so only the per-account lock (after many sources) can stop
    them: every spelling counts as the same account."""
    django_user_model.objects.create_user(email="bersaglio@example.com", password=RIGHT)
    spellings = ["Bersaglio@example.com", "BERSAGLIO@EXAMPLE.COM", " bersaglio@Example.com ",
                 "bersaglio@EXAMPLE.com", "bErSaGlIo@example.com"]
    for i in range(settings.OT24_LOCKOUT_ACCOUNT_SOURCES):
        attempt(client, spellings[i % len(spellings)], "sbagliata", ip=f"198.51.100.{i + 1}")
    response = attempt(client, "bersaglio@example.com", RIGHT, ip="203.0.113.9")
    assert LOCKED in response.content.decode() and response.status_code == 429
    assert not logged_in(client)


def test_a_stranger_cannot_lock_the_owner_out(client, settings, django_user_model):
    """Issue 28, finding 11: five wrong passwords from one address locked the account for everybody for
    an hour. They lock that address; the owner elsewhere logs in."""
    django_user_model.objects.create_user(email="vittima@example.com", password=RIGHT)
    for _ in range(settings.AXES_FAILURE_LIMIT * 3):
        attempt(client, "vittima@example.com", "sbagliata", ip="198.51.100.66")
    response = attempt(client, "vittima@example.com", RIGHT, ip="198.51.100.66")
    assert LOCKED in response.content.decode() and not logged_in(client)  # the guesser stays locked
    response = attempt(client, "vittima@example.com", RIGHT, ip="203.0.113.10")
    assert response.status_code == 302 and logged_in(client)


def test_the_account_locks_only_after_many_sources(client, settings, django_user_model):
    django_user_model.objects.create_user(email="assediata@example.com", password=RIGHT)
    sources = settings.OT24_LOCKOUT_ACCOUNT_SOURCES
    assert sources >= 10
    for i in range(sources - 1):
        for _ in range(settings.AXES_FAILURE_LIMIT):
            attempt(client, "assediata@example.com", "sbagliata", ip=f"198.51.100.{i + 1}")
    response = attempt(client, "assediata@example.com", RIGHT, ip="203.0.113.11")
    assert response.status_code == 302 and logged_in(client)
    client.logout()
    for i in range(sources):
        attempt(client, "assediata@example.com", "sbagliata", ip=f"192.0.2.{i + 1}")
    response = attempt(client, "assediata@example.com", RIGHT, ip="203.0.113.12")
    assert LOCKED in response.content.decode() and not logged_in(client)


def test_addresses_of_one_ipv6_network_are_one_source(client, settings, django_user_model):
    """A /64 is one subscriber: rotating addresses inside it buys no more guesses."""
    django_user_model.objects.create_user(email="vittima6@example.com", password=RIGHT)
    for i in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "vittima6@example.com", "sbagliata", ip=f"2001:db8:1:2::{i + 1:x}")
    response = attempt(client, "vittima6@example.com", RIGHT, ip="2001:db8:1:2:ffff::1")
    assert LOCKED in response.content.decode() and not logged_in(client)
    response = attempt(client, "vittima6@example.com", RIGHT, ip="2001:db8:1:3::1")
    assert response.status_code == 302 and logged_in(client)


def test_login_ignores_case_and_spaces_of_the_email(client, django_user_model):
    django_user_model.objects.create_user(email="utente@example.com", password=RIGHT)
    response = attempt(client, "  Utente@EXAMPLE.com ", RIGHT)
    assert response.status_code == 302 and logged_in(client)


def test_one_address_trying_many_accounts_is_locked(client, django_user_model):
    django_user_model.objects.create_user(email="vera@example.com", password=RIGHT)
    for i in range(5):
        attempt(client, f"indovinato{i}@example.com", "sbagliata", ip="192.0.2.50")
    response = attempt(client, "vera@example.com", RIGHT, ip="192.0.2.50")
    assert LOCKED in response.content.decode() and not logged_in(client)
    # The account itself is not locked: from another address its owner logs in.
    response = attempt(client, "vera@example.com", RIGHT, ip="192.0.2.51")
    assert response.status_code == 302 and logged_in(client)


def test_own_successful_logins_do_not_reset_the_guesses_against_someone_else(client, django_user_model):
    """An attacker with an account of their own logs in between guesses: the guesses against the victim
    still count (axes' reset on success would have deleted every attempt from the address)."""
    django_user_model.objects.create_user(email="vittima@example.com", password=RIGHT)
    django_user_model.objects.create_user(email="furbo@example.com", password="furbo-Pass-123")
    for i in range(4):
        attempt(client, "vittima@example.com", "sbagliata", ip="192.0.2.60")
        assert attempt(client, "furbo@example.com", "furbo-Pass-123", ip="192.0.2.60").status_code == 302
        client.logout()
    attempt(client, "vittima@example.com", "sbagliata", ip="192.0.2.60")
    response = attempt(client, "vittima@example.com", RIGHT, ip="192.0.2.60")
    assert LOCKED in response.content.decode() and not logged_in(client)
    response = attempt(client, "furbo@example.com", "furbo-Pass-123", ip="192.0.2.60")
    assert LOCKED in response.content.decode() and not logged_in(client)


def test_behind_a_trusted_proxy_the_lock_by_address_is_per_forwarded_client(client, settings, django_user_model):
    settings.OT24_TRUSTED_PROXY_COUNT = 1
    django_user_model.objects.create_user(email="vera@example.com", password=RIGHT)
    proxy = "10.0.0.2"
    # Five clients behind the proxy each get a password wrong (different accounts): nobody is locked.
    for i in range(5):
        attempt(client, f"altro{i}@example.com", "sbagliata", ip=proxy, HTTP_X_FORWARDED_FOR=f"198.51.100.{i + 1}")
    response = attempt(client, "vera@example.com", RIGHT, ip=proxy, HTTP_X_FORWARDED_FOR="198.51.100.77")
    assert response.status_code == 302 and logged_in(client)
    client.logout()
    # One client trying five accounts is locked, whatever it writes itself at the start of the header.
    for i in range(5):
        attempt(client, f"tentativo{i}@example.com", "sbagliata", ip=proxy,
                HTTP_X_FORWARDED_FOR=f"203.0.113.{i}, 198.51.100.9")
    response = attempt(client, "vera@example.com", RIGHT, ip=proxy, HTTP_X_FORWARDED_FOR="198.51.100.9")
    assert LOCKED in response.content.decode() and not logged_in(client)


def test_client_address_trusts_only_the_configured_proxies(rf, settings):
    from accounts.throttling import client_ip

    request = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.9, 10.0.0.1")
    settings.OT24_TRUSTED_PROXY_COUNT = 0
    assert client_ip(request) == "10.0.0.2"  # no proxy trusted: the header is the client's own words
    settings.OT24_TRUSTED_PROXY_COUNT = 2
    assert client_ip(request) == "198.51.100.9"
    settings.OT24_TRUSTED_PROXY_COUNT = 4  # fewer hops than proxies: the header is not trusted
    assert client_ip(request) == "10.0.0.2"
    settings.OT24_TRUSTED_PROXY_COUNT = 1
    assert client_ip(rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="not-an-address")) == "10.0.0.2"


def test_wrong_password_at_the_submit_step_counts_toward_the_lock(client):
    from axes.models import AccessAttempt

    app, rep = ready_to_submit()
    client.force_login(rep, backend="django.contrib.auth.backends.ModelBackend")
    url = reverse("application_step", args=[app.pk, "submit"])
    data = {"declares_obligations": "on", "declares_compliance": "on", "declares_art76": "on",
            "declares_privacy": "on", "place": "Roma", "version": app.version}
    for _ in range(4):
        response = client.post(url, {**data, "password": "sbagliata"}, REMOTE_ADDR="192.0.2.70")
        assert "Password non corretta." in response.content.decode()
    assert AccessAttempt.objects.filter(username=rep.email).get().failures_since_start == 4
    response = client.post(url, {**data, "password": "sbagliata"}, REMOTE_ADDR="192.0.2.70")
    assert response.status_code == 429 and LOCKED in response.content.decode()
    # Locked out: from that address even the right password does not submit.
    response = client.post(url, {**data, "password": DEFAULT_PASSWORD}, REMOTE_ADDR="192.0.2.70")
    assert response.status_code == 429
    assert Application.objects.get(pk=app.pk).is_draft
    # Nor does the account log in again from there (the owner elsewhere can: finding 11 of issue 28).
    client.logout()
    response = attempt(client, rep.email, DEFAULT_PASSWORD, ip="192.0.2.70")
    assert LOCKED in response.content.decode()


def test_locked_out_page_offers_password_reset_and_support(client, settings, django_user_model):
    settings.OT24_SUPPORT_EMAIL = "assistenza@ot24.example"
    settings.OT24_SUPPORT_PHONE = "06 1234 5678"
    django_user_model.objects.create_user(email="bersaglio@example.com", password=RIGHT)
    for _ in range(5):
        response = attempt(client, "bersaglio@example.com", "sbagliata")
    body = response.content.decode()
    assert LOCKED in body
    assert f'href="{reverse("account_reset_password")}"' in body
    assert 'href="mailto:assistenza@ot24.example"' in body and "06 1234 5678" in body


def test_password_reset_never_reveals_registration_and_unlocks_the_account(client, settings, django_user_model):
    user = django_user_model.objects.create_user(email="smemorato@example.com", password=RIGHT)
    for i in range(settings.OT24_LOCKOUT_ACCOUNT_SOURCES):
        attempt(client, "smemorato@example.com", "sbagliata", ip=f"198.51.100.{i + 1}")
    assert LOCKED in attempt(client, "smemorato@example.com", RIGHT, ip="203.0.113.1").content.decode()

    page = client.get(reverse("account_reset_password"))
    assert page.status_code == 200
    answers = []
    for email in ("nessuno@example.com", "Smemorato@Example.com"):
        response = client.post(reverse("account_reset_password"), {"email": email}, follow=True)
        answers.append(re.sub(r'name="csrfmiddlewaretoken" value="\w+"', "", response.content.decode()))
        assert "Se l'indirizzo è registrato riceverai un'e-mail" in response.content.decode()
    assert answers[0] == answers[1]  # the same page whether the address is registered or not
    # One queued e-mail each: "no account here" to the unknown address, the reset link to the known one.
    assert [m.recipients for m in outbox()] == [["nessuno@example.com"], ["smemorato@example.com"]]

    link = re.search(r"https?://[^/\s]+(/\S+)", outbox()[1].body).group(1)
    form_url = client.get(link, follow=True).redirect_chain[-1][0]
    short = client.post(form_url, {"password1": "corta-Pw-1", "password2": "corta-Pw-1"})
    assert short.status_code == 200 and "12" in short.content.decode()  # refused: shorter than 12 characters
    done = client.post(form_url, {"password1": "nuova-Password-2027", "password2": "nuova-Password-2027"})
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password("nuova-Password-2027")
    # The reset lifts the account's lock: the owner logs in at once.
    response = attempt(client, "smemorato@example.com", "nuova-Password-2027", ip="203.0.113.2")
    assert response.status_code == 302 and logged_in(client)
