"""Issue 34, minor: a password change sends an e-mail to the person, an e-mail change one to the OLD
address; both through the outbox (the one mail path), from the portal's templates, in the recipient's
language."""
import pytest
from django.urls import reverse

from accounts.models import User
from tests.factories import DEFAULT_PASSWORD, UserFactory

from .conftest import link_in, outbox

pytestmark = pytest.mark.django_db

NEW = "Una-nuova-password-lunga-2027"


def _change_password(client, user):
    client.force_login(user)
    response = client.post(reverse("account_change_password"),
                           {"oldpassword": DEFAULT_PASSWORD, "password1": NEW, "password2": NEW})
    assert response.status_code == 302


def test_a_password_change_is_told_to_the_person_in_italian(client):
    user = UserFactory(email="mario@example.com")
    _change_password(client, user)
    (mail,) = outbox()
    assert mail.recipients == ["mario@example.com"]
    assert "Password cambiata" in mail.subject
    assert "La password del tuo account è stata cambiata" in mail.body
    assert "Portale OT24" in mail.body and "Your password" not in mail.body


def test_a_password_change_is_told_in_the_persons_language(client):
    user = UserFactory(email="anne@example.com", language="en")
    _change_password(client, user)  # the page in Italian: the e-mail in the person's English
    (mail,) = outbox()
    assert "Password changed" in mail.subject and "The password of your account has been changed" in mail.body


def test_an_email_change_is_told_to_the_old_address(client):
    user = UserFactory(email="vecchia@example.com")
    client.force_login(user)
    assert client.post(reverse("account_email"), {"email": "nuova@example.com", "action_add": ""}).status_code == 302
    assert client.post(link_in(outbox()[0])).status_code == 302
    assert User.objects.get(pk=user.pk).email == "nuova@example.com"
    mails = [m for m in outbox() if m.recipients == ["vecchia@example.com"]]
    assert len(mails) == 1, [(m.recipients, m.subject) for m in outbox()]
    assert "Indirizzo e-mail cambiato" in mails[0].subject
    body = " ".join(mails[0].body.split())
    assert "da vecchia@example.com a nuova@example.com" in body


def test_the_old_address_is_told_in_the_persons_language(client):
    user = UserFactory(email="old@example.com", language="en")
    client.force_login(user)
    client.post(reverse("account_email"), {"email": "new@example.com", "action_add": ""})
    client.cookies["django_language"] = "it"
    client.post(link_in(outbox()[0]))
    (mail,) = [m for m in outbox() if m.recipients == ["old@example.com"]]
    assert "E-mail address changed" in mail.subject
    assert "from old@example.com to new@example.com" in " ".join(mail.body.split())
