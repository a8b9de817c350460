"""Issue 34, major 7: when a consultant registered the client, its legal representative declares under DPR
445/2000 the company's data the page shows, and gives (or refuses) the mandate by choice: nothing pre-ticked."""
import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from operations.demo import codice_fiscale
from organisations.models import Company, Mandate
from tests.factories import UserFactory, consultant
from tests.organisations.test_people_views import COMPANY, PIVA, body, link_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_registered(client, django_capture_on_commit_callbacks):
    adviser = consultant()
    client.force_login(adviser)
    data = {**COMPANY, "legal_rep_email": "capo@officineblu.example", "start_date": timezone.localdate().isoformat(),
            "can_submit": "on"}
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("client_register"), data).status_code == 302
    person = UserFactory(email="capo@officineblu.example")
    client.force_login(person)
    return Company.objects.get(codice_fiscale=PIVA), link_in(mail.outbox[-1]), person


def test_the_declaration_page_shows_the_company_data_declared_true(client, client_registered):
    company, link, person = client_registered
    page = body(client.get(link))
    assert "Dati dell'azienda che dichiari" in page
    for value in ("Officine Blu S.r.l.", PIVA, "7654321", "Via Blu 1", "Torino"):
        assert value in page, value
    assert page.index("Dati dell'azienda che dichiari") < page.index("art. 76 del D.P.R. 445/2000")


def test_the_mandate_consent_is_not_pre_ticked_and_must_be_chosen(client, client_registered):
    company, link, person = client_registered
    page = body(client.get(link))
    form = page.split('<form method="post" novalidate>', 1)[1].split("</form>", 1)[0]
    assert "Confermo la delega" in form and "checked" not in form
    answer = {"declaration": "on", "person_codice_fiscale": codice_fiscale("BNCGLI80A41H501")}
    refused = body(client.post(link, answer))
    assert "Indicare se confermi la delega" in refused
    assert Mandate.objects.get(company=company).status == Mandate.Status.PENDING
    client.post(link, {**answer, "confirm_mandate": "yes"})
    assert Mandate.objects.get(company=company).status == Mandate.Status.ACTIVE
