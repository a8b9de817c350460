"""Issue 34 (English): the password-reset e-mail follows the person's stored language, not the language of the
page it was requested from: English for an English-preferring person asking from an Italian page, Italian for
an Italian-preferring person asking from an English page."""
import pytest
from django.urls import reverse

from notifications.models import OutgoingEmail
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def reset_from(client, page_language, email):
    client.cookies["django_language"] = page_language
    response = client.post(reverse("account_reset_password"), {"email": email})
    assert response.status_code == 302
    return OutgoingEmail.objects.latest("pk")


def test_an_english_person_gets_the_reset_email_in_english_from_an_italian_page(client):
    UserFactory(email="english@example.com", language="en")
    message = reset_from(client, "it", "english@example.com")
    assert "Password Reset" in message.subject
    assert "requested a password reset" in message.body and "please do not reply" in message.body
    for italian in ("Reimposta", "reimpostazione", "Portale OT24", "non rispondere", "Hai ricevuto"):
        assert italian not in message.subject + message.body, italian


def test_an_italian_person_gets_the_reset_email_in_italian_from_an_english_page(client):
    UserFactory(email="italiano@example.com", language="it")
    message = reset_from(client, "en", "ITALIANO@example.com")
    assert "Password Reset" not in message.subject
    assert "Portale OT24" in message.body and "non rispondere" in message.body
    assert "requested a password reset" not in message.body
