"""What was submitted, sealed or decided never changes and never disappears through another path
(security issue: shared bytes, frozen PATs), and the smaller findings of the same attack: notifications
with header injection, permissions, the queue's pagination."""
import io
import logging
from decimal import Decimal

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfReader

from accounts.models import User
from applications import services
from applications.models import Application
from evidence import services as evidence_services
from ot24portal.filestore import storage
from organisations.models import PAT
from review import services as review
from review.selectors import validated_score
from tests.factories import PATFactory, SiteFactory, UserFactory, evidence_draft, legal_rep
from tests.review.test_review_flow import code, post, reviewer, submitted  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


def _decide(client, app, reviewer_user, captured):
    client.force_login(reviewer_user)
    client.post(reverse("review_take", args=[app.pk]))
    for c in ("A6", "C4", "D4"):
        post(client, app, action="verdict", intervention=code(c).pk, outcome="idoneo")
    with captured(execute=True):
        post(client, app, action="decide")
    app.refresh_from_db()
    assert app.decision_pdf_storage_name
    return app


def _upload_then_remove(data: bytes, django_capture_on_commit_callbacks):
    """Another company's draft uploads `data` as evidence and removes it again (a PDF with the snapshot
    attached is refused at upload as an embedded file: then there is nothing to remove)."""
    from django.core.exceptions import ValidationError

    draft, rep, item = evidence_draft()
    try:
        with django_capture_on_commit_callbacks(execute=True):
            evidence = evidence_services.evidence_add(user=rep, application=draft, evidence_item=item,
                                             uploaded_file=SimpleUploadedFile("copia.pdf", data))
    except ValidationError:
        return
    with django_capture_on_commit_callbacks(execute=True):
        evidence_services.evidence_remove(user=rep, evidence=evidence)


# --- 1. bytes the portal issued never go through evidence removal -----------------------------------

def test_a_decision_letter_uploaded_as_evidence_and_removed_stays(client, submitted, reviewer,
                                                                  django_capture_on_commit_callbacks):
    app, rep = submitted
    app = _decide(client, app, reviewer, django_capture_on_commit_callbacks)
    letter = storage.read_bytes(app.decision_pdf_storage_name)
    _upload_then_remove(letter, django_capture_on_commit_callbacks)
    assert storage.matches_hash(app.decision_pdf_storage_name, app.decision_pdf_sha256)
    client.force_login(rep)
    assert client.get(reverse("decision_pdf", args=[app.pk])).status_code == 200


def test_a_sealed_application_uploaded_as_evidence_and_removed_stays(client, submitted,
                                                                     django_capture_on_commit_callbacks):
    app, rep = submitted
    _upload_then_remove(storage.read_bytes(app.pdf_storage_name), django_capture_on_commit_callbacks)
    assert storage.matches_hash(app.pdf_storage_name, app.pdf_sha256)
    client.force_login(rep)
    assert client.get(reverse("application_pdf", args=[app.pk])).status_code == 200


def test_issued_documents_live_apart_from_uploads(submitted):
    app, _ = submitted
    assert app.pdf_storage_name.startswith(storage.ISSUED_PREFIX)
    assert not app.evidence_files.filter(storage_name__startswith=storage.ISSUED_PREFIX).exists()


def test_an_old_issued_document_in_the_shared_folder_is_still_protected(submitted, django_capture_on_commit_callbacks):
    """Documents issued before the split were stored beside the uploads: removal counts every reference."""
    app, _ = submitted
    data = storage.read_bytes(app.pdf_storage_name)
    from applications import pdf, signing
    letter = signing.seal_pdf(pdf.render_decision_pdf(app, validated_score(app), {}), reason="prova")
    legacy = storage.save_stream([letter], "decisione.pdf", max_bytes=len(letter), untrusted=False, issued=False)
    assert not storage.is_issued(legacy.storage_name)
    Application.objects.filter(pk=app.pk).update(decision_pdf_storage_name=legacy.storage_name,
                                                 decision_pdf_sha256=legacy.sha256)
    _upload_then_remove(letter, django_capture_on_commit_callbacks)
    assert storage.matches_hash(legacy.storage_name, legacy.sha256)
    assert data


def test_evidence_of_a_submitted_application_survives_a_drafts_removal_of_the_same_bytes(
        submitted, django_capture_on_commit_callbacks):
    app, _ = submitted
    f = app.evidence_files.first()
    _upload_then_remove(storage.read_bytes(f.storage_name), django_capture_on_commit_callbacks)
    assert storage.matches_hash(f.storage_name, f.sha256)


# --- 2. what a submission depends on is frozen ---------------------------------------------------------

def _site_post(site, pats, **changes):
    data = {"name": site.name, "address": site.address, "city": site.city, "cap": site.cap,
            "province": site.province, "codice_sede": site.codice_sede, "workers": site.workers, "sector": site.sector,
            "pats-TOTAL_FORMS": len(pats), "pats-INITIAL_FORMS": len(pats), "pats-MIN_NUM_FORMS": 0,
            "pats-MAX_NUM_FORMS": 1000}
    for i, pat in enumerate(pats):
        data.update({f"pats-{i}-id": pat.pk, f"pats-{i}-site": site.pk, f"pats-{i}-number": pat.number,
                     f"pats-{i}-voce_di_tariffa": pat.voce_di_tariffa,
                     f"pats-{i}-lavoratori_anno": str(pat.lavoratori_anno).replace(".", ","),
                     f"pats-{i}-premium": "" if pat.premium is None else str(pat.premium).replace(".", ",")})
    data.update(changes)
    return data


def test_a_pat_named_in_a_submitted_application_cannot_be_changed(client, submitted):
    app, rep = submitted
    pat = app.pats.get()
    client.force_login(rep)
    response = client.post(reverse("site_edit", args=[app.site_id]),
                           _site_post(app.site, [pat], **{"pats-0-number": "29999999", "pats-0-lavoratori_anno": "40,00"}))
    assert response.status_code == 200
    assert "già inviata" in response.content.decode() and "aggiungere una nuova PAT" in response.content.decode()
    pat.refresh_from_db()
    assert (pat.number, pat.lavoratori_anno) != ("29999999", Decimal("40.00"))


def test_a_frozen_pat_cannot_be_changed_through_another_path(submitted):
    app, _ = submitted
    pat = app.pats.get()
    pat.lavoratori_anno = Decimal("40")
    with pytest.raises(Exception, match="già inviata"):
        pat.save()
    with pytest.raises(Exception, match="già inviata"):
        pat.delete()


def test_a_company_adds_a_new_pat_beside_a_frozen_one(client, submitted):
    app, rep = submitted
    pat = app.pats.get()
    client.force_login(rep)
    data = _site_post(app.site, [pat])
    data.update({"pats-TOTAL_FORMS": 2, "pats-1-site": app.site_id, "pats-1-number": "20000099",
                 "pats-1-voce_di_tariffa": "3110", "pats-1-lavoratori_anno": "3,00", "pats-1-premium": ""})
    response = client.post(reverse("site_edit", args=[app.site_id]), data)
    assert response.status_code == 302
    assert app.site.pats.count() == 2


def test_the_decision_letter_and_the_screens_read_the_frozen_pats(client, submitted, reviewer,
                                                                  django_capture_on_commit_callbacks):
    """Even if a live row changes behind the portal's back (a raw update), what is printed after submission
    comes from the snapshot: PAT 5xxxxxxx at 8 lavoratori-anno -> 28%."""
    app, rep = submitted
    frozen_number = app.pats.get().number
    PAT.objects.filter(pk=app.pats.get().pk).update(number="29999999", lavoratori_anno=Decimal("400"))
    client.force_login(rep)
    summary = client.get(reverse("application_step", args=[app.pk, "review"])).content.decode()
    assert frozen_number in summary and "29999999" not in summary
    app = _decide(client, app, reviewer, django_capture_on_commit_callbacks)
    page = client.get(reverse("review_detail", args=[app.pk])).content.decode()
    assert frozen_number in page and "29999999" not in page
    text = "\n".join(p.extract_text() for p in PdfReader(storage.path_of(app.decision_pdf_storage_name)).pages)
    assert frozen_number in text and "29999999" not in text and "28%" in text


# --- 7. notifications never turn a saved change into an error ---------------------------------------

def test_a_line_break_in_the_site_name_does_not_break_submission(client, django_capture_on_commit_callbacks):
    from tests.factories import ready_to_submit

    app, rep = ready_to_submit(unita_produttiva="Sede\r\nBcc: vittima@example.com")
    client.force_login(rep)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.application_submit(user=rep, application=app, place="Roma", version=app.version,
                                    declarations=dict.fromkeys(Application.DECLARATIONS, True))
    app.refresh_from_db()
    assert app.status == Application.Status.SUBMITTED
    assert len(mail.outbox) == 1
    assert "\n" not in mail.outbox[0].subject and "\r" not in mail.outbox[0].subject
    assert "vittima@example.com" not in mail.outbox[0].recipients()


def test_a_failing_mail_server_is_logged_and_retried(settings, django_capture_on_commit_callbacks, caplog):
    from notifications.models import OutgoingEmail
    from django.core.management import call_command
    from tests.factories import ready_to_submit

    settings.EMAIL_BACKEND = "tests.applications.test_integrity.BrokenBackend"
    app, rep = ready_to_submit()
    with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True):
        services.application_submit(user=rep, application=app, place="Roma", version=app.version,
                                    declarations=dict.fromkeys(Application.DECLARATIONS, True))
    app.refresh_from_db()
    assert app.status == Application.Status.SUBMITTED
    assert "mail" in caplog.text.lower()
    pending = OutgoingEmail.objects.get()
    assert pending.sent_at is None and pending.attempts == 1 and pending.last_error
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox.clear()
    call_command("send_pending_mail", stdout=io.StringIO())
    pending.refresh_from_db()
    assert pending.sent_at is not None and len(mail.outbox) == 1


class BrokenBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("mail server down")


# --- 8. permissions ---------------------------------------------------------------------------------

def test_an_administrator_cannot_bulk_assign(client, submitted, reviewer):
    app, _ = submitted
    admin = User.objects.create_superuser("root@example.com", "pw-Test-12345-xyz")
    client.force_login(admin)
    client.post(reverse("review_assign"), {"reviewer": reviewer.pk, "applications": [app.pk]})
    app.refresh_from_db()
    assert app.reviewer_id is None
    assert not admin.has_perm("applications.assign_reviews")


def test_only_the_assigned_reviewer_adds_notes(client, submitted, reviewer):
    app, _ = submitted
    client.force_login(reviewer)
    client.post(reverse("review_take", args=[app.pk]))
    other = UserFactory(role=User.Role.REVIEWER)
    with pytest.raises(Exception):
        review.note_add(user=other, application=app, message="nota di un estraneo")
    client.force_login(other)
    post(client, app, action="note", message="nota di un estraneo")
    assert not app.events.filter(action="note").exists()


def test_the_same_pat_number_under_two_companies_is_allowed_and_shown_to_reviewers(client, submitted, reviewer):
    app, _ = submitted
    number = app.pats.get().number
    other_site = SiteFactory()
    other_rep = legal_rep(other_site.company)
    client.force_login(other_rep)
    data = _site_post(other_site, [])
    data.update({"pats-TOTAL_FORMS": 1, "pats-0-site": other_site.pk, "pats-0-number": number,
                 "pats-0-voce_di_tariffa": "3110", "pats-0-lavoratori_anno": "3,00", "pats-0-premium": ""})
    response = client.post(reverse("site_edit", args=[other_site.pk]), data)
    assert response.status_code == 302, response.content.decode()
    assert PAT.objects.filter(number=number).count() == 2
    client.force_login(reviewer)
    page = client.get(reverse("review_detail", args=[app.pk])).content.decode()
    assert "anche da un&#x27;altra azienda" in page or "anche da un'altra azienda" in page


def test_the_same_pat_number_twice_in_one_company_is_refused(client):
    site = SiteFactory()
    rep = legal_rep(site.company)
    existing = PATFactory(site=site)
    second = SiteFactory(company=site.company)
    client.force_login(rep)
    data = _site_post(second, [])
    data.update({"pats-TOTAL_FORMS": 1, "pats-0-site": second.pk, "pats-0-number": existing.number,
                 "pats-0-voce_di_tariffa": "3110", "pats-0-lavoratori_anno": "3,00", "pats-0-premium": ""})
    response = client.post(reverse("site_edit", args=[second.pk]), data)
    assert response.status_code == 200 and "già indicata" in response.content.decode()


# --- 13. the queue keeps its filters when paging ----------------------------------------------------

def test_queue_pages_keep_every_filter_and_the_sort(client, settings, submitted):
    settings.OT24_PAGINATE_BY = 1
    app, _ = submitted
    for _i in range(2):
        other = SiteFactory(province="RM")
        PATFactory(site=other)
        Application.objects.create(campaign=app.campaign, site=other, status=Application.Status.SUBMITTED,
                                   submitted_at=app.submitted_at, declared_total=120)
    reviewer_user = UserFactory(role=User.Role.REVIEWER)
    client.force_login(reviewer_user)
    page = client.get(reverse("review_queue"), {"province": "RM", "sort": "-points", "points_min": "100"}).content.decode()
    assert "province=RM" in page and "sort=-points" in page and "points_min=100" in page and "page=2" in page
    assert "q=" not in page
