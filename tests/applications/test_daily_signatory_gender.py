"""Issue 34, minor: the signatory's wording follows the gender the codice fiscale states ("La sottoscritta
... nata a"), on the review summary and in the printed application."""
import html

import pytest
from django.urls import reverse

from operations.demo import codice_fiscale
from tests.applications.test_pdf import pdf_text
from tests.applications.test_wizard_flow import step
from tests.factories import ready_to_submit

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("code, words, not_words", [
    ("BNCGLI80A41H501", ("La sottoscritta", "nata a Roma"), ("Il sottoscritto", "nato a Roma")),
    ("RSSMRA70E17H501", ("Il sottoscritto", "nato a Roma"), ("La sottoscritta", "nata a Roma")),
])
def test_the_signatory_wording_follows_the_codice_fiscale(client, code, words, not_words):
    app, rep = ready_to_submit(signatory_codice_fiscale=codice_fiscale(code))
    client.force_login(rep)
    page = html.unescape(client.get(step(app, "review")).content.decode())
    text = pdf_text(client.get(reverse("application_pdf", args=[app.pk])).content)
    for word in words:
        assert word in page and word in text, word
    for word in not_words:
        assert word not in page and word not in text, word
