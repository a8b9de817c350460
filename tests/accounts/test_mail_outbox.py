"""allauth's e-mails go through the portal's outbox (issue 28, finding 13): sign-up and password reset
answer after the same work for a known and an unknown address. Each request renders one e-mail and
writes it as one outbox row; the mail server is talked to later, outside the request
(notifications.services). Sign-up of a known address also hashes the password, as creating the account
does. Timings are not measured here: the work is counted."""
import pytest
from django.contrib.auth.hashers import MD5PasswordHasher
from django.core import mail
from django.urls import reverse

from notifications.models import OutgoingEmail
from tests.accounts.conftest import link_in
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "Cantiere-Sicuro-2027"


class CountingHasher(MD5PasswordHasher):
    """The test settings' hasher, counting how many passwords it hashes."""

    algorithm = "counting_md5"
    calls = 0

    def encode(self, password, salt):
        CountingHasher.calls += 1
        return super().encode(password, salt)


@pytest.fixture
def counting_hasher(settings):
    settings.PASSWORD_HASHERS = ["tests.accounts.test_mail_outbox.CountingHasher"]
    CountingHasher.calls = 0
    return CountingHasher


def signup(client, email):
    return client.post(reverse("account_signup"), {"email": email, "password1": PASSWORD, "password2": PASSWORD,
                                                   "role": "company"})


def work(client, post) -> tuple[int, list[list[str]], int]:
    """(status, recipients of the outbox rows the request wrote, passwords hashed) for one request."""
    before = set(OutgoingEmail.objects.values_list("pk", flat=True))
    CountingHasher.calls = 0
    response = post()
    rows = OutgoingEmail.objects.exclude(pk__in=before).order_by("pk")
    return response.status_code, [row.recipients for row in rows], CountingHasher.calls


def test_signup_does_the_same_work_for_a_known_and_an_unknown_address(client, counting_hasher):
    UserFactory(email="esistente@example.com")
    known = work(client, lambda: signup(client, "esistente@example.com"))
    client.cookies.clear()
    unknown = work(client, lambda: signup(client, "sconosciuta@example.com"))
    assert known == (302, [["esistente@example.com"]], 1)
    assert unknown == (302, [["sconosciuta@example.com"]], 1)
    assert not mail.outbox  # nothing was handed to the mail server inside the request


def test_password_reset_does_the_same_work_for_a_known_and_an_unknown_address(client, counting_hasher):
    UserFactory(email="smemorato@example.com")
    url = reverse("account_reset_password")
    known = work(client, lambda: client.post(url, {"email": "smemorato@example.com"}))
    unknown = work(client, lambda: client.post(url, {"email": "nessuno@example.com"}))
    assert known == (302, [["smemorato@example.com"]], 0)
    assert unknown == (302, [["nessuno@example.com"]], 0)
    assert not mail.outbox
    known_row, unknown_row = OutgoingEmail.objects.order_by("pk")
    assert "/account/password/reset/key/" in link_in(known_row)
    assert "/account/password/reset/key/" not in unknown_row.body  # no account, no reset link
    assert reverse("account_signup") in unknown_row.body


def test_allauth_mail_is_in_the_recipients_language_with_text_and_html(client):
    UserFactory(email="english@example.com", language="en")
    UserFactory(email="italiano@example.com", language="it")
    url = reverse("account_reset_password")
    for email in ("english@example.com", "italiano@example.com"):
        client.post(url, {"email": email})
    english, italian = OutgoingEmail.objects.order_by("pk")
    assert english.subject.startswith("[OT24] ") and "Password Reset" in english.subject
    assert "Reimposta" in italian.subject or "reimpost" in italian.subject.lower()
    assert english.body != italian.body


def test_a_queued_allauth_mail_is_sent_by_the_outbox(client):
    from notifications.services import email_send_pending

    UserFactory(email="smemorato@example.com")
    client.post(reverse("account_reset_password"), {"email": "smemorato@example.com"})
    assert email_send_pending() == (1, 0)
    [message] = mail.outbox
    assert message.to == ["smemorato@example.com"] and "/account/password/reset/key/" in message.body
