"""The reviewer's work end to end with the test client on PostgreSQL: take, verdicts, validated score,
clarification request and answer (new hashed records, submitted PDF untouched), decision letter."""
import datetime as dt
import hashlib
import io

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from pypdf import PdfReader

from accounts.models import User
from operations.demo import minimal_pdf
from applications.models import Application
from ot24portal.filestore import storage
from interventions.models import Intervention
from review.models import Clarification
from review.selectors import validated_score
from tests.factories import ApplicationFactory, PATFactory, SiteFactory, UserFactory

pytestmark = pytest.mark.django_db


def code(c):
    return Intervention.objects.get(code=c, section__edition__code="ot24")


@pytest.fixture
def submitted(django_capture_on_commit_callbacks):
    """Costruzioni, 12 workers: A6 (50, no evidence) + C4 (40) + D4 (50) = 140 declared."""
    site = SiteFactory(sector="costruzioni", workers=12)
    PATFactory(site=site, lavoratori_anno="8.00")
    with django_capture_on_commit_callbacks(execute=True):
        app = ApplicationFactory(submitted=True, site=site, sections={"A": ["A6"], "C": ["C4"], "D": ["D4"]}, evidence=True)
    return app, app.created_by


@pytest.fixture
def reviewer():
    return UserFactory(role=User.Role.REVIEWER)


def post(client, app, **data):
    return client.post(reverse("review_detail", args=[app.pk]), data)


def test_review_to_approval_with_clarification(client, submitted, reviewer, django_capture_on_commit_callbacks):
    app, rep = submitted
    signed_pdf = storage.path_of(app.pdf_storage_name).read_bytes()
    assert app.declared_total == 140
    client.force_login(reviewer)
    client.post(reverse("review_take", args=[app.pk]))
    page = client.get(reverse("review_detail", args=[app.pk])).content.decode()
    assert "impronta verificata" in page and "Punteggio validato: 0 su 100 (dichiarato: 140)" in page

    # Preview inline, sandboxed.
    f = app.evidence_files.first()
    preview = client.get(reverse("evidence_preview", args=[app.pk, f.pk]))
    assert preview.status_code == 200 and preview["Content-Disposition"].startswith("inline")
    assert "sandbox" in preview["Content-Security-Policy"]

    # A refusal needs a reason; verdicts move the validated score.
    post(client, app, action="verdict", intervention=code("A6").pk, outcome="non_idoneo", reason="")
    assert not app.verdicts.exists()
    post(client, app, action="verdict", intervention=code("A6").pk, outcome="idoneo")
    post(client, app, action="verdict", intervention=code("C4").pk, evidence_file=f.pk, outcome="chiarimento",
         reason="Verbale non firmato")
    assert validated_score(app).total == 50

    # Clarification: the applicant is told, uploads only what is asked, answers; the signed PDF stays.
    with django_capture_on_commit_callbacks(execute=True):
        post(client, app, action="clarify", request="Inviare il verbale firmato", interventions=[code("C4").pk],
             deadline=(dt.date.today() + dt.timedelta(days=10)).isoformat())
    app.refresh_from_db()
    assert app.status == Application.Status.CLARIFICATION_REQUESTED
    assert any("Chiarimenti richiesti" in m.subject for m in mail.outbox)
    post(client, app, action="note", message="NOTA INTERNA: controllare il fornitore")

    client.force_login(rep)
    summary = client.get(reverse("application_step", args=[app.pk, "review"])).content.decode()
    assert "Inviare il verbale firmato" in summary and "NOTA INTERNA" not in summary
    d4_item = code("D4").evidence_items.first()
    client.post(reverse("clarification_upload", args=[app.pk]),
                {"evidence_item": d4_item.pk, "file": SimpleUploadedFile("extra.pdf", minimal_pdf("non richiesto"))})
    assert not app.evidence_files.filter(clarification__isnull=False).exists()  # D4 was not asked
    c4_item = code("C4").evidence_items.order_by("order").first()
    client.post(reverse("clarification_upload", args=[app.pk]),
                {"evidence_item": c4_item.pk, "file": SimpleUploadedFile("verbale-firmato.pdf", minimal_pdf("firmato"))})
    new_file = app.evidence_files.get(clarification__isnull=False)
    assert new_file.sha256 == hashlib.sha256(storage.path_of(new_file.storage_name).read_bytes()).hexdigest()
    client.post(reverse("clarification_answer", args=[app.pk]), {"answer": "Ecco il verbale firmato."})
    app.refresh_from_db()
    assert app.status == Application.Status.CLARIFICATION_ANSWERED
    assert storage.path_of(app.pdf_storage_name).read_bytes() == signed_pdf
    assert app.snapshot["evidence"] and all(e["file"] != "verbale-firmato.pdf" for e in app.snapshot["evidence"])

    # Decision: every intervention judged; C4 and D4 accepted -> 140 -> approved, sealed letter.
    client.force_login(reviewer)
    post(client, app, action="decide")
    assert Application.objects.get(pk=app.pk).status == Application.Status.CLARIFICATION_ANSWERED  # C4, D4 not judged
    post(client, app, action="verdict", intervention=code("C4").pk, outcome="idoneo")
    post(client, app, action="verdict", intervention=code("D4").pk, outcome="idoneo")
    with django_capture_on_commit_callbacks(execute=True):
        post(client, app, action="decide")
    app.refresh_from_db()
    assert app.status == Application.Status.APPROVED and app.validated_total == 140
    assert any("accolta" in m.subject.lower() for m in mail.outbox)

    client.force_login(rep)
    letter = client.get(reverse("decision_pdf", args=[app.pk]))
    content = b"".join(letter.streaming_content)
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)
    assert "DOMANDA ACCOLTA" in text and "140 su 100" in text and "28%" in text  # 8 lavoratori-anno
    from applications.signing import verify_pdf
    assert verify_pdf(content)["signatures"][0]["intact"]
    # The timeline shows the applicant the steps, never the internal note: not in pages, PDFs, CSV or e-mails.
    summary = client.get(reverse("application_step", args=[app.pk, "review"])).content.decode()
    assert "Accolta" in summary and "NOTA INTERNA" not in summary
    assert "controllare il fornitore" not in text
    signed = client.get(reverse("application_pdf", args=[app.pk])).content
    assert "controllare il fornitore" not in "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(signed)).pages)
    assert "controllare il fornitore" not in client.get(reverse("dashboard_csv")).getvalue().decode("utf-8-sig")
    assert all("controllare il fornitore" not in m.body and "NOTA INTERNA" not in m.body for m in mail.outbox)


def test_rejection_gives_reasons(client, submitted, reviewer):
    app, rep = submitted
    client.force_login(reviewer)
    client.post(reverse("review_take", args=[app.pk]))
    post(client, app, action="verdict", intervention=code("A6").pk, outcome="idoneo")
    post(client, app, action="verdict", intervention=code("C4").pk, outcome="non_idoneo", reason="Controlli sporadici, non un sistema")
    post(client, app, action="verdict", intervention=code("D4").pk, outcome="non_idoneo", reason="Fattura del 2019")
    post(client, app, action="decide")
    app.refresh_from_db()
    assert app.status == Application.Status.REJECTED and app.validated_total == 50
    text = "\n".join(p.extract_text() for p in PdfReader(storage.path_of(app.decision_pdf_storage_name)).pages)
    flat = " ".join(text.split())
    assert "DOMANDA RESPINTA" in flat and "Fattura del 2019" in flat and "Controlli sporadici" in flat, flat


def test_only_the_assigned_reviewer_judges(client, submitted, reviewer):
    app, rep = submitted
    client.force_login(reviewer)
    client.post(reverse("review_take", args=[app.pk]))
    other = UserFactory(role=User.Role.REVIEWER)
    client.force_login(other)
    page = client.get(reverse("review_detail", args=[app.pk])).content.decode()
    assert "non è assegnata a te" in page
    post(client, app, action="verdict", intervention=code("A6").pk, outcome="idoneo")
    assert not app.verdicts.exists()
    client.force_login(rep)
    assert client.get(reverse("review_detail", args=[app.pk])).status_code == 404
    assert client.get(reverse("evidence_preview", args=[app.pk, app.evidence_files.first().pk])).status_code == 404


def test_unanswered_clarification_expires_and_reminders_are_sent(client, submitted, reviewer, django_capture_on_commit_callbacks):
    app, rep = submitted
    client.force_login(reviewer)
    client.post(reverse("review_take", args=[app.pk]))
    deadline = dt.date.today() + dt.timedelta(days=7)
    post(client, app, action="clarify", request="Documenti mancanti", interventions=[code("C4").pk],
         deadline=deadline.isoformat())
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders", today=dt.date.today(), stdout=io.StringIO())
    assert any("termine" in m.subject for m in mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders", today=deadline + dt.timedelta(days=1), stdout=io.StringIO())
    app.refresh_from_db()
    assert app.status == Application.Status.CLARIFICATION_ANSWERED
    assert Clarification.objects.get(application=app).expired
    assert app.events.filter(action="expire_clarification").exists()


def test_reviewers_verification_page(client, submitted, reviewer):
    app, rep = submitted
    signed = storage.path_of(app.pdf_storage_name).read_bytes()
    client.force_login(reviewer)
    page = client.post(reverse("verify_document"), {"pdf": SimpleUploadedFile("x.pdf", signed)}).content.decode()
    assert "Documento emesso dal portale e integro." in page and app.receipt_number in page
    tampered = bytearray(signed)
    tampered[len(tampered) // 10] ^= 1  # inside the sealed document, before the signature placeholder
    page = client.post(reverse("verify_document"), {"pdf": SimpleUploadedFile("x.pdf", bytes(tampered))}).content.decode()
    assert "NON è un PDF integro" in page
    client.force_login(rep)
    assert client.get(reverse("verify_document")).status_code == 404
