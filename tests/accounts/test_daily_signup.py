"""Issue 34, sign-up minors: every password error in Italian on the Italian page; no flash that contradicts
the page it lands on; one spelling, "e-mail", in the Italian texts (ours and the libraries' we show); the
privacy notice linked from the sign-up form."""
import re

import lxml.html
import pytest
from django.core.cache import cache
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ENGLISH_ONLY = re.compile(r"\b(This password|too short|must contain|Confirmation email)\b")
BARE_EMAIL = re.compile(r"(?<![-\w])[Ee][Mm][Aa][Ii][Ll](?![-\w])")


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()  # the sign-up's rate limit counts posts per address
    yield
    cache.clear()


def main_text(response) -> str:
    doc = lxml.html.fromstring(response.content.decode())
    for node in doc.xpath("//script|//style"):
        node.drop_tree()
    (main,) = doc.xpath("//main") or [doc]
    attrs = [v for el in main.iter() if isinstance(el.tag, str) for k, v in el.attrib.items()
             if k in ("placeholder", "aria-label", "title", "alt")]
    return " ".join(" ".join([main.text_content(), *attrs]).split())


def signup(client, password1, password2=None, email="mario.rossi@example.com", **kwargs):
    return client.post(reverse("account_signup"), {"email": email, "password1": password1,
                                                   "password2": password2 or password1, "role": "company"}, **kwargs)


@pytest.mark.parametrize("password,italian", [
    ("corta", "almeno 12 caratteri"), ("password1234", "troppo comune"), ("123456789012345", "interamente numerica"),
    ("mario.rossi@example.com", "troppo simile"),
])
def test_every_password_error_is_in_italian(client, password, italian):
    response = signup(client, password)
    assert response.status_code == 200
    doc = lxml.html.fromstring(response.content.decode())
    errors = " ".join(" ".join(e.text_content() for e in doc.xpath("//*[contains(@class, 'invalid-feedback')]")).split())
    assert italian in errors and not ENGLISH_ONLY.search(errors), errors


def test_the_short_password_error_in_english(client):
    client.cookies["django_language"] = "en"
    text = main_text(signup(client, "corta"))
    assert "at least 12 characters" in text and "This password is too short" in text


def test_no_flash_contradicts_the_page_after_sign_up(client):
    response = signup(client, "Abcdefghijk1!xyz", follow=True)
    flashes = [str(m) for m in response.context["messages"]]
    page = main_text(response)
    assert "Se l'indirizzo è registrato riceverai un'e-mail" in page
    assert not any("inviata a" in f for f in flashes), flashes
    # The same answer for an address that already has an account (no enumeration).
    other = type(client)()
    again = signup(other, "Abcdefghijk1!xyz", follow=True)
    assert main_text(again) == page
    assert not [str(m) for m in again.context["messages"] if "inviata a" in str(m)]


def test_the_privacy_notice_is_linked_from_the_sign_up_form(client):
    doc = lxml.html.fromstring(client.get(reverse("account_signup")).content.decode())
    (form,) = doc.xpath("//main//form[@method='post']")
    assert form.xpath(f".//a[@href='{reverse('privacy')}']")


def test_one_spelling_of_e_mail_on_the_account_pages(client):
    for name in ("account_signup", "account_login", "account_reset_password"):
        text = main_text(client.get(reverse(name)))
        assert not BARE_EMAIL.search(text), (name, BARE_EMAIL.findall(text), text[:500])
    text = main_text(signup(client, "Abcdefghijk1!xyz", email="non-un-indirizzo"))
    assert "e-mail" in text and not BARE_EMAIL.search(text), text
    client.force_login(UserFactory(email="anna@example.com"))
    text = main_text(client.get(reverse("account_email"), follow=True))
    assert "e-mail" in text.lower() and not BARE_EMAIL.search(text), text
    text = main_text(client.post(reverse("account_email"), {"action_add": "", "email": "anna@example.com"}, follow=True))
    assert not BARE_EMAIL.search(text), text
