"""The company's side of a clarification request (issue 18, item 4): each file's and intervention's
outcome and reason, the requirement named in full, removing a wrong upload of the answer (only files
added in answer to the open request, before answering)."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import User
from operations.demo import minimal_pdf
from applications.models import Application
from interventions.models import Intervention
from review import services
from tests.factories import SiteFactory, UserFactory, legal_rep

pytestmark = pytest.mark.django_db


@pytest.fixture
def asked(client, submitted_four):
    app, rep = submitted_four
    reviewer = UserFactory(role=User.Role.REVIEWER)
    services.review_take(user=reviewer, application=app)
    d4 = Intervention.objects.get(code="D4", section__edition__code="ot24")
    original = app.evidence_files.get(evidence_item__intervention=d4)
    services.verdict_record(user=reviewer, application=app, intervention=d4, evidence_file=original,
                            outcome="non_idoneo", reason="Fattura illeggibile.")
    services.clarification_request(user=reviewer, application=app, request="Inviare la fattura leggibile.",
                                   interventions=[d4])
    app.refresh_from_db()
    client.force_login(rep)
    return app, rep, reviewer, d4, original


def upload(rep, app, d4, name="nuova.pdf"):
    return services.clarification_add_file(user=rep, application=app, evidence_item=d4.evidence_items.get(),
                                           uploaded_file=SimpleUploadedFile(name, minimal_pdf(name)))


def test_company_sees_outcome_reason_and_full_requirement(client, asked):
    app, rep, reviewer, d4, original = asked
    body = client.get(reverse("application_step", args=[app.pk, "review"])).content.decode()
    assert "Non idoneo" in body and "Fattura illeggibile." in body
    assert d4.evidence_items.get().label in body  # named in full, not cut


def test_company_removes_a_wrong_upload_of_its_answer_only(client, asked):
    app, rep, reviewer, d4, original = asked
    wrong = upload(rep, app, d4, "sbagliato.pdf")
    body = client.get(reverse("application_step", args=[app.pk, "review"])).content.decode()
    assert reverse("clarification_file_remove", args=[app.pk, wrong.pk]) in body
    assert reverse("clarification_file_remove", args=[app.pk, original.pk]) not in body
    client.post(reverse("clarification_file_remove", args=[app.pk, original.pk]))
    assert app.evidence_files.filter(pk=original.pk).exists()  # the submitted file stays
    client.post(reverse("clarification_file_remove", args=[app.pk, wrong.pk]))
    assert not app.evidence_files.filter(pk=wrong.pk).exists()
    kept = upload(rep, app, d4, "giusto.pdf")
    services.clarification_answer(user=rep, application=app, answer="Ecco.")
    client.post(reverse("clarification_file_remove", args=[app.pk, kept.pk]))
    assert app.evidence_files.filter(pk=kept.pk).exists()  # answered: nothing can be taken back


@pytest.mark.parametrize("who", ["stranger", "reviewer"])
def test_others_cannot_remove(client, asked, who):
    app, rep, reviewer, d4, original = asked
    wrong = upload(rep, app, d4)
    client.force_login(reviewer if who == "reviewer" else legal_rep(SiteFactory().company))
    response = client.post(reverse("clarification_file_remove", args=[app.pk, wrong.pk]))
    assert response.status_code == 404
    assert app.evidence_files.filter(pk=wrong.pk).exists()
    assert Application.objects.get(pk=app.pk).status == Application.Status.CLARIFICATION_REQUESTED
