"""Every notification reaches the people concerned (issue 18, item 13): the company's people and the
consultants with a current mandate; the assigned reviewer when the company answers; a link to the page
to act on, the letter's link on the decision; each recipient's language; plain text and HTML."""
import datetime as dt

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import User
from applications import services
from operations.demo import minimal_pdf
from applications.models import Application
from interventions.models import Intervention
from notifications.models import OutgoingEmail
from organisations.models import Mandate
from review import services as review_services
from tests.factories import UserFactory, consultant, member, ready_to_submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(settings, django_capture_on_commit_callbacks):
    from django.core.management import call_command

    call_command("loaddata", "ot24", verbosity=0)
    settings.OT24_PUBLIC_URL = "https://ot24.example.it"
    app, rep = ready_to_submit()
    company = app.site.company
    adviser = consultant(company)
    ended = consultant(company, start_days_ago=90, end_days_ago=1)
    english = member(company)
    User.objects.filter(pk=english.pk).update(language="en")
    reviewer = UserFactory(role=User.Role.REVIEWER, email="rita@inail.example.it")
    with django_capture_on_commit_callbacks(execute=True):
        app = services.application_submit(user=rep, application=app, place="Roma", version=app.version,
                                          declarations=dict.fromkeys(Application.DECLARATIONS, True))
    return app, rep, adviser, ended, User.objects.get(pk=english.pk), reviewer


def test_submission_reaches_company_people_and_current_consultants_by_language(people):
    app, rep, adviser, ended, english, reviewer = people
    recipients = {tuple(m.to): m for m in mail.outbox}
    everyone = {a for m in mail.outbox for a in m.to}
    assert {rep.email, adviser.email, english.email} <= everyone
    assert ended.email not in everyone and reviewer.email not in everyone
    italian = next(m for m in mail.outbox if rep.email in m.to)
    en = next(m for m in mail.outbox if english.email in m.to)
    assert english.email not in italian.to and rep.email not in en.to  # grouped by language
    assert "Stato: Inviata" in italian.body and "Status: Submitted" in en.body
    link = f"https://ot24.example.it/domande/{app.pk}/passo/review/"
    assert link in italian.body
    html = dict((ct, c) for c, ct in italian.alternatives)["text/html"]
    assert f'href="{link}"' in html
    assert len(recipients) == len(mail.outbox)


def test_the_answer_goes_to_the_assigned_reviewer_with_the_review_link(people, django_capture_on_commit_callbacks):
    app, rep, adviser, ended, english, reviewer = people
    review_services.review_take(user=reviewer, application=app)
    d4 = Intervention.objects.get(code="A6", section__edition__code="ot24")
    with django_capture_on_commit_callbacks(execute=True):
        review_services.clarification_request(user=reviewer, application=app, request="Chiarire.", interventions=[d4])
    asked = [m for m in mail.outbox if "Chiarimenti richiesti" in m.subject]
    assert asked and all(reviewer.email not in m.to for m in asked)
    assert any(f"/domande/{app.pk}/passo/review/#clar-title" in m.body for m in asked)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        review_services.clarification_answer(user=rep, application=app, answer="Ecco.")
    [answer] = mail.outbox
    assert answer.to == [reviewer.email]
    assert f"https://ot24.example.it/istruttoria/{app.pk}/" in answer.body


def test_the_decision_email_links_the_letter(people, django_capture_on_commit_callbacks):
    app, rep, adviser, ended, english, reviewer = people
    review_services.review_take(user=reviewer, application=app)
    for s in app.selections.select_related("intervention"):
        review_services.verdict_record(user=reviewer, application=app, intervention=s.intervention, outcome="idoneo")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        review_services.review_decide(user=reviewer, application=app)
    letter = f"https://ot24.example.it/domande/{app.pk}/provvedimento.pdf"
    assert mail.outbox and all(letter in m.body for m in mail.outbox)
    assert OutgoingEmail.objects.filter(html_body__contains=letter).exists()


def test_reminders_reach_consultants_too_with_a_link(people, django_capture_on_commit_callbacks):
    import io

    from django.core.management import call_command

    app, rep, adviser, ended, english, reviewer = people
    review_services.review_take(user=reviewer, application=app)
    a6 = Intervention.objects.get(code="A6", section__edition__code="ot24")
    deadline = dt.date.today() + dt.timedelta(days=7)
    review_services.clarification_request(user=reviewer, application=app, request="Chiarire.", interventions=[a6],
                                          deadline=deadline)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders", today=dt.date.today(), stdout=io.StringIO())
    reminders = [m for m in mail.outbox if "termine" in m.subject]
    everyone = {a for m in reminders for a in m.to}
    assert adviser.email in everyone and rep.email in everyone and ended.email not in everyone
    assert reminders and all(f"/domande/{app.pk}/passo/review/#clar-title" in m.body for m in reminders)
