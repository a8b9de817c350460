"""Self-service accounts (django-allauth inside the portal): sign-up with the role and a verified e-mail,
no enumeration, password reset and change, e-mail change with verification, profile, log-out, rate
limits, e-mails in the user's language."""
import re

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from accounts.models import User
from notifications.models import OutgoingEmail
from tests.accounts.conftest import link_in, outbox
from tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Cantiere-Sicuro-2027"
SAME_ANSWER = "Se l'indirizzo è registrato riceverai un'e-mail"


def signup(client, email="nuova@example.com", role="company", password=NEW_PASSWORD, **extra):
    return client.post(reverse("account_signup"), {"email": email, "password1": password, "password2": password,
                                                   "role": role}, **extra)


def log_in(client, email, password=NEW_PASSWORD):
    return client.post(reverse("login"), {"login": email, "password": password})


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def without_csrf(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="\w+"', "", html)


def test_signup_verification_link_then_login(client):
    response = signup(client, email="Nuova@Example.com", role="consultant")
    assert response.status_code == 302 and response["Location"] == reverse("account_email_verification_sent")
    assert not logged_in(client)
    user = User.objects.get(email="nuova@example.com")
    assert user.role == User.Role.CONSULTANT and user.language == "it"
    assert not EmailAddress.objects.get(user=user).verified

    # Before the link: no way in.
    assert log_in(client, "nuova@example.com").status_code == 302 and not logged_in(client)

    assert outbox() and {m.recipients[0] for m in outbox()} == {"nuova@example.com"}
    confirm_url = link_in(outbox()[-1])
    page = client.get(confirm_url)
    assert page.status_code == 200 and "nuova@example.com" in page.content.decode()
    assert client.post(confirm_url).status_code == 302
    assert EmailAddress.objects.get(user=user).verified

    response = log_in(client, "nuova@example.com")
    assert response.status_code == 302 and logged_in(client)
    assert client.get(reverse("dashboard")).status_code == 200


def test_the_page_after_signup_says_the_same_for_a_known_address(client):
    UserFactory(email="esistente@example.com")
    OutgoingEmail.objects.all().delete()
    known = signup(client, email="esistente@example.com", follow=True)
    client.cookies.clear()
    unknown = signup(client, email="sconosciuta@example.com", follow=True)
    assert known.redirect_chain == unknown.redirect_chain
    assert SAME_ANSWER in known.content.decode()
    # The same page, but for the address the visitor typed themselves.
    assert (without_csrf(known.content.decode()).replace("esistente@", "X@")
            == without_csrf(unknown.content.decode()).replace("sconosciuta@", "X@"))
    # The owner of the known address is told by e-mail, the new one gets the link: nobody else learns anything.
    assert sorted(m.recipients[0] for m in outbox()) == ["esistente@example.com", "sconosciuta@example.com"]
    assert User.objects.filter(email="esistente@example.com").count() == 1


@pytest.mark.parametrize("role", ["reviewer", "supervisor", "admin"])
def test_signup_never_makes_staff(client, role):
    response = signup(client, email="furbo@example.com", role=role)
    assert response.status_code == 200 and not User.objects.filter(email="furbo@example.com").exists()


def test_signup_password_rules(client):
    response = signup(client, password="corta-Pw-1")
    assert response.status_code == 200 and "12" in response.content.decode()
    response = signup(client, password="password1234")
    assert response.status_code == 200 and not User.objects.exists()


def test_password_reset_same_answer_and_single_use_link(client):
    user = UserFactory(email="smemorato@example.com")
    answers = []
    for email in ("nessuno@example.com", "smemorato@example.com"):
        response = client.post(reverse("account_reset_password"), {"email": email}, follow=True)
        answers.append(without_csrf(response.content.decode()))
        assert SAME_ANSWER in response.content.decode()
    assert answers[0] == answers[1]
    # The unknown address is told it has no account (the same work: one queued e-mail each).
    assert [m.recipients for m in outbox()] == [["nessuno@example.com"], ["smemorato@example.com"]]
    assert "/account/password/reset/key/" not in outbox()[0].body

    link = link_in(outbox()[1])
    form_url = client.get(link, follow=True).redirect_chain[-1][0]
    done = client.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    # The same link again: a clear page, not an error, and no second reset.
    again = client.get(link, follow=True)
    assert again.status_code == 200 and "Token non valido" in again.content.decode()
    assert 'name="password1"' not in again.content.decode()


def test_tampered_reset_link_gives_a_clear_page(client):
    user = UserFactory()
    response = client.get(reverse("account_reset_password_from_key", kwargs={"uidb36": "1z", "key": "set-abc"}),
                          follow=True)
    assert response.status_code == 200 and "Token non valido" in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(DEFAULT_PASSWORD)


def test_password_change(client):
    user = UserFactory()
    client.force_login(user)
    url = reverse("account_change_password")
    wrong = client.post(url, {"oldpassword": "sbagliata", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert wrong.status_code == 200
    response = client.post(url, {"oldpassword": DEFAULT_PASSWORD, "password1": NEW_PASSWORD,
                                 "password2": NEW_PASSWORD})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert logged_in(client)  # still logged in after changing it


def test_wrong_current_passwords_on_the_change_page_count_toward_the_lock(client, settings):
    """Issue 28, finding 12: the current-password field of /account/password/change/ was outside the
    lock-out, so a borrowed session could guess the password there without end."""
    from axes.models import AccessAttempt

    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "change_password": None}  # the lock alone
    user = UserFactory()
    client.force_login(user)
    url = reverse("account_change_password")
    data = {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        wrong = client.post(url, {**data, "oldpassword": "sbagliata"}, REMOTE_ADDR="198.51.100.80")
        assert wrong.status_code == 200
    assert AccessAttempt.objects.get(username=user.email).failures_since_start == settings.AXES_FAILURE_LIMIT - 1
    response = client.post(url, {**data, "oldpassword": "sbagliata"}, REMOTE_ADDR="198.51.100.80")
    assert response.status_code == 429 and "Accesso temporaneamente bloccato" in response.content.decode()
    response = client.post(url, {**data, "oldpassword": DEFAULT_PASSWORD}, REMOTE_ADDR="198.51.100.80")
    assert response.status_code == 429
    user.refresh_from_db()
    assert user.check_password(DEFAULT_PASSWORD)


def test_email_change_takes_effect_only_after_the_link(client):
    user = UserFactory(email="vecchia@example.com")
    client.force_login(user)
    response = client.post(reverse("account_email"), {"email": "nuova@example.com", "action_add": ""})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.email == "vecchia@example.com"  # not yet
    assert [m.recipients for m in outbox()] == [["nuova@example.com"]]
    confirm_url = link_in(outbox()[0])
    assert client.post(confirm_url).status_code == 302
    user.refresh_from_db()
    assert user.email == "nuova@example.com"
    assert list(EmailAddress.objects.filter(user=user).values_list("email", "verified", "primary")) == [
        ("nuova@example.com", True, True)]
    client.logout()
    assert log_in(client, "nuova@example.com", DEFAULT_PASSWORD).status_code == 302 and logged_in(client)


def test_expired_or_unknown_verification_link_gives_a_clear_page(client):
    response = client.get(reverse("account_confirm_email", args=["non-una-chiave"]))
    assert response.status_code == 200
    assert "scaduto o non è valido" in response.content.decode()


def test_profile_italian_error_for_a_wrong_codice_fiscale(client):
    user = UserFactory()
    client.force_login(user)
    url = reverse("account_profile")
    data = {"first_name": "Mario", "last_name": "Rossi", "codice_fiscale": "RSSMRA70E17H501X", "phone": "06 1234567",
            "language": "it"}
    body = client.post(url, data).content.decode()
    assert "il carattere di controllo (l&#x27;ultimo) non corrisponde" in body
    assert "checksum" not in body and "check digit" not in body  # python-stdnum's English never shows
    body = client.post(url, {**data, "codice_fiscale": "RSSMRA70"}).content.decode()
    assert "servono 16 caratteri" in body and "invalid length" not in body
    response = client.post(url, {**data, "codice_fiscale": "rssmra70e17h501s"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.codice_fiscale, user.phone, user.first_name) == ("RSSMRA70E17H501S", "06 1234567", "Mario")


def test_profile_language_switches_the_portal(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(reverse("account_profile"), {"first_name": "A", "last_name": "B", "codice_fiscale": "",
                                                        "phone": "", "language": "en"})
    assert response.cookies["django_language"].value == "en"
    user.refresh_from_db()
    assert user.language == "en"


def test_login_switches_to_the_users_language(client):
    UserFactory(email="english@example.com", language="en")
    response = client.post(reverse("login"), {"login": "english@example.com", "password": DEFAULT_PASSWORD})
    assert response.status_code == 302 and response.cookies["django_language"].value == "en"
    assert 'lang="en"' in client.get(reverse("account_profile")).content.decode()


def test_logout_says_so(client):
    client.force_login(UserFactory())
    response = client.post(reverse("logout"), follow=True)
    assert "Sei uscito dal portale." in response.content.decode()
    assert not logged_in(client)
    assert response.redirect_chain[-1][0] == reverse("login")


def test_emails_in_the_users_language(client):
    UserFactory(email="english@example.com", language="en")
    UserFactory(email="italiano@example.com", language="it")
    for email in ("english@example.com", "italiano@example.com"):
        client.post(reverse("account_reset_password"), {"email": email})
    english, italian = outbox()
    assert "requested a password reset" in english.body and "Password Reset" in english.subject
    assert "requested a password reset" not in italian.body and "password" in italian.body.lower()
    assert "Password Reset" not in italian.subject


def test_anonymous_signup_mail_in_the_pages_language(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    signup(client, email="newcomer@example.com")
    assert User.objects.get(email="newcomer@example.com").language == "en"
    assert "Please Confirm Your Email Address" in outbox()[-1].subject


def test_signup_rate_limit(client):
    for i in range(5):
        assert signup(client, email=f"raffica{i}@example.com", REMOTE_ADDR="192.0.2.9").status_code == 302
    response = signup(client, email="raffica9@example.com", REMOTE_ADDR="192.0.2.9")
    assert response.status_code == 429 and "Troppe richieste" in response.content.decode()
    assert not User.objects.filter(email="raffica9@example.com").exists()
    # Another address is not affected.
    assert signup(client, email="altra@example.com", REMOTE_ADDR="192.0.2.10").status_code == 302


def test_reset_rate_limit_per_address(client):
    UserFactory(email="bersaglio@example.com")
    for i in range(3):
        client.post(reverse("account_reset_password"), {"email": "bersaglio@example.com"},
                    REMOTE_ADDR=f"198.51.100.{i + 1}")
    response = client.post(reverse("account_reset_password"), {"email": "bersaglio@example.com"},
                           REMOTE_ADDR="198.51.100.9")
    assert response.status_code == 429
    assert len(outbox()) == 3  # the owner's inbox is not flooded


def test_locked_out_page_leads_to_allauths_reset(client, settings):
    from ot24portal.settings.base import AUTHENTICATION_BACKENDS

    settings.AUTHENTICATION_BACKENDS = AUTHENTICATION_BACKENDS
    UserFactory(email="bloccato@example.com")
    for _ in range(5):
        response = log_in(client, "bloccato@example.com", "sbagliata")
    assert response.status_code == 429
    assert f'href="{reverse("account_reset_password")}"' in response.content.decode()


def test_login_rate_limit_per_address(client, settings):
    from ot24portal.settings.base import ACCOUNT_RATE_LIMITS

    settings.ACCOUNT_RATE_LIMITS = ACCOUNT_RATE_LIMITS  # the production value (test settings turn it off)
    UserFactory(email="utente@example.com")
    for _ in range(30):
        client.post(reverse("login"), {"login": "utente@example.com", "password": DEFAULT_PASSWORD},
                    REMOTE_ADDR="192.0.2.33")
        client.logout()
    response = client.post(reverse("login"), {"login": "utente@example.com", "password": DEFAULT_PASSWORD},
                           REMOTE_ADDR="192.0.2.33")
    assert response.status_code == 429 and "_auth_user_id" not in client.session
