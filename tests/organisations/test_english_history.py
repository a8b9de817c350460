"""Issue 34 (English): a company's and a firm's history is stored as codes and parameters and read in the
reader's language (the people's names and e-mails as written); events stored as Italian text before the codes
existed are recognised by a data migration, and a text that is not recognised is shown as stored."""
import datetime as dt
import importlib

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import translation

from organisations import services
from organisations.models import OrganisationEvent, Role
from tests.factories import CompanyFactory, UserFactory, consultant, firm_with, legal_rep

pytestmark = pytest.mark.django_db

migration = importlib.import_module("organisations.migrations.0006_event_codes_from_text")


def absolute(path):
    return "http://testserver" + path


def english_page(client, user, url):
    client.force_login(user)
    client.cookies["django_language"] = "en"
    return client.get(url).content.decode()


def test_the_company_history_reads_in_english_for_an_english_reader(client):
    company = CompanyFactory()
    rep = legal_rep(company)
    holder = consultant()
    services.mandate_grant(user=rep, company=company, consultant=holder, start_date=dt.date(2026, 1, 1),
                           end_date=None, can_submit=True, absolute=absolute)
    services.invitation_create(user=rep, company=company, email="nuovo@example.com", role=Role.MEMBER,
                               absolute=absolute)
    page = english_page(client, rep, reverse("company_detail", args=[company.pk]))
    assert "granted the mandate" in page and "from 01/01/2026 until revoked" in page
    assert "invited nuovo@example.com as" in page
    assert "ha concesso la delega" not in page and "ha invitato" not in page and "fino a revoca" not in page
    client.cookies["django_language"] = "it"
    assert "ha concesso la delega" in client.get(reverse("company_detail", args=[company.pk])).content.decode()
    event = OrganisationEvent.objects.filter(company=company, code="mandate_granted").get()
    assert "ha concesso la delega" in event.message  # stored in the portal's language
    with translation.override("it"):
        assert event.text == event.message


def test_the_firm_history_reads_in_english(client):
    owner = UserFactory(first_name="Carla", last_name="Conti")
    firm = firm_with(owner=owner)
    services.record(firm=firm, actor=owner, action="firm_created", code="firm_created", who="Carla Conti <c@x.it>")
    page = english_page(client, owner, reverse("firm_detail", args=[firm.pk]))
    assert "Carla Conti &lt;c@x.it&gt; created the consultancy firm." in page
    assert "ha creato lo studio" not in page


@pytest.mark.parametrize("message, english_text", [
    ("Mario Rossi <m@x.it> ha registrato l'azienda dichiarandosi legale rappresentante.",
     "Mario Rossi <m@x.it> registered the company, declaring themselves legal representative."),
    ("Carla Conti <c@x.it> ha concesso la delega a Studio Sicuro dal 01/02/2026 al 31/12/2026, per Cantiere A, "
     "Sede, con facoltà di invio.", None),
    ("m@x.it ha lasciato lo studio.", None),
    ("Mario Rossi <m@x.it> ha invitato b@x.it come consulente dello studio.", None),
])
def test_the_data_migration_recognises_the_stored_texts(message, english_text):
    company = CompanyFactory()
    event = OrganisationEvent.objects.create(company=company, action="x", message=message)
    migration.forwards(apps, None)
    event = OrganisationEvent.objects.get(pk=event.pk)
    assert event.code and event.message == message
    with translation.override("it"):
        assert event.text == message  # rendered back in Italian, it is the stored text
    with translation.override("en"):
        assert event.text != message
        if english_text:
            assert event.text == english_text


def test_a_text_the_migration_does_not_recognise_is_shown_as_stored():
    event = OrganisationEvent.objects.create(company=CompanyFactory(), action="x", message="Evento importato.")
    migration.forwards(apps, None)
    event = OrganisationEvent.objects.get(pk=event.pk)
    assert event.code == ""
    with translation.override("en"):
        assert event.text == "Evento importato."
