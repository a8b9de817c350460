"""Issue 34 (English): the portal's remarks on an application's timeline (deadline of a clarification request,
validated score, who was told to sign, expiry) are stored as a code and parameters and put into words in the
reader's language, on the reviewer's page, on the applicant's page and in the e-mail; remarks stored as text
before the codes existed are recognised by a data migration, and what is not recognised is shown as stored."""
import datetime as dt
import importlib

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import translation

from accounts.models import User
from applications import wizard
from applications.models import Event
from review import services
from tests.factories import ApplicationFactory, UserFactory

pytestmark = pytest.mark.django_db

migration = importlib.import_module("applications.migrations.0010_event_message_codes_from_text")


def english(client):
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def in_clarification():
    reviewer = UserFactory(role=User.Role.REVIEWER)
    app = ApplicationFactory(under_review=True, sealed=False, reviewer=reviewer)
    services.clarification_request(user=reviewer, application=app, request="Inviare il verbale firmato.",
                                   interventions=[], deadline=dt.date.today() + dt.timedelta(days=30))
    return app, reviewer


def test_the_clarification_deadline_is_shown_in_english_to_an_english_reviewer(client, in_clarification):
    app, reviewer = in_clarification
    deadline = (dt.date.today() + dt.timedelta(days=30)).strftime("%d/%m/%Y")
    client.force_login(reviewer)
    page = english(client).get(reverse("review_detail", args=[app.pk])).content.decode()
    assert f"Reply by: {deadline}" in page
    assert "Termine per la risposta:" not in page
    assert "Inviare il verbale firmato." in page  # the reviewer's own words stay as written


def test_the_same_event_reads_in_italian_on_an_italian_page(client, in_clarification):
    app, reviewer = in_clarification
    client.force_login(reviewer)
    page = client.get(reverse("review_detail", args=[app.pk])).content.decode()
    assert "Termine per la risposta: " in page and "Reply by" not in page


def test_the_applicants_timeline_and_the_email_follow_the_reader(client, in_clarification):
    app, _ = in_clarification
    client.force_login(app.created_by)
    page = english(client).get(wizard.url(app, wizard.REVIEW)).content.decode()
    assert "Reply by: " in page and "Termine per la risposta" not in page
    event = Event.objects.get(application=app, action="request_clarification")
    assert event.message_code == "answer_deadline"
    with translation.override("en"):
        assert event.text.startswith("Inviare il verbale firmato.\nReply by: ")


def test_the_validated_score_and_the_signature_remarks_are_translated():
    app = ApplicationFactory(under_review=True, sealed=False)
    from applications.messaging import messenger

    event = messenger(app, "note", internal=True, message_code="validated_score",
                      message_params={"total": 140, "threshold": 100})
    assert event.message == "Punteggio validato: 140 su 100."  # stored in the portal's language
    with translation.override("en"):
        assert event.text == "Validated score: 140 out of 100."
    with translation.override("it"):
        assert event.text == "Punteggio validato: 140 su 100."


@pytest.mark.parametrize("action, message, english_text", [
    ("approve", "Punteggio validato: 140 su 100.", "Validated score: 140 out of 100."),
    ("request_clarification", "Portare il DVR.\nTermine per la risposta: 06/01/2027",
     "Portare il DVR.\nReply by: 06/01/2027"),
    ("expire_clarification", "Nessuna risposta entro il 06/01/2027.", "No reply by 06/01/2027."),
    ("ready_to_sign", "Avvisati per la firma: legale@example.com", "Notified for signature: legale@example.com"),
    ("submit", "Firma digitale qualificata (PAdES)", "Qualified digital signature (PAdES)"),
])
def test_the_data_migration_recognises_the_stored_remarks(action, message, english_text):
    app = ApplicationFactory(under_review=True, sealed=False)
    event = Event.objects.create(application=app, action=action, message=message)
    migration.forwards(apps, None)
    event = Event.objects.get(pk=event.pk)
    assert event.message == message  # the stored text is left as written
    with translation.override("en"):
        assert event.text == english_text


def test_a_text_the_migration_does_not_recognise_is_shown_as_stored():
    app = ApplicationFactory(under_review=True, sealed=False)
    event = Event.objects.create(application=app, action="answer_clarification", message="Ecco il verbale.")
    migration.forwards(apps, None)
    event = Event.objects.get(pk=event.pk)
    assert event.message_code == ""
    with translation.override("en"):
        assert event.text == "Ecco il verbale."


def test_a_refused_transition_is_explained_in_the_readers_language():
    from django.core.exceptions import ValidationError

    from applications import workflow

    app = ApplicationFactory(under_review=True, sealed=False)
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        workflow.transition(app, "withdraw", system=True)
    assert refused.value.messages == ["“Application withdrawn by the applicant” is not possible when the application "
                                      "is “Under review”."]
