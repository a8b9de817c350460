"""Issue 34, major 1: several files chosen or dropped at once arrive together, one request each, on SQLite
(the development database, where the row insert met "database is locked") and on PostgreSQL. Threads, each
with its own connection, send the files at the same moment through the page's raw endpoint. A write that
fails after the bytes were stored removes them, inside or outside a transaction, and says why."""
import threading
from urllib.parse import urlencode

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.urls import reverse

from evidence import services as evidence_services
from evidence.models import EvidenceFile
from operations.demo import minimal_pdf
from ot24portal.filestore import storage
from tests.factories import evidence_draft

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def draft():
    from django.core.management import call_command

    call_command("loaddata", "ot24", verbosity=0)
    return evidence_draft()


@pytest.mark.parametrize("count", [4])
def test_several_files_sent_at_the_same_moment_all_arrive(draft, count):
    app, rep, item = draft
    clients = []
    for _ in range(count):
        client = Client()
        client.force_login(rep)
        clients.append(client)
    barrier = threading.Barrier(count)
    answers = {}

    def send(index):
        try:
            url = reverse("evidence_raw_upload", args=[app.pk]) + "?" + urlencode(
                {"item": item.pk, "name": f"file-{index}.pdf"})
            body = minimal_pdf(f"parallelo {index}")
            barrier.wait(timeout=30)
            response = clients[index].generic("POST", url, body, content_type="application/octet-stream",
                                              HTTP_X_REQUESTED_WITH="XMLHttpRequest")
            answers[index] = (response.status_code, response.content.decode()[:300])
        except Exception as exc:  # a 500 raised through the test client
            answers[index] = (500, repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert all(status == 201 for status, _ in answers.values()) and len(answers) == count, answers
    names = sorted(app.evidence_files.values_list("original_name", flat=True))
    assert names == [f"file-{i}.pdf" for i in range(count)]
    app.refresh_from_db()
    for evidence in app.evidence_files.all():
        assert storage.matches_hash(evidence.storage_name, evidence.sha256)


def _failing_insert(monkeypatch):
    def refuse(*args, **kwargs):
        raise DatabaseError("database is locked")

    monkeypatch.setattr(EvidenceFile.objects, "create", refuse)


@pytest.mark.parametrize("in_transaction", [True, False])
def test_a_failed_insert_removes_the_stored_bytes_and_says_why(draft, monkeypatch, in_transaction):
    """The insert fails (here forced, as SQLite's lock did): the bytes just stored go, whether the caller
    holds a transaction (evidence_add) or not (store_evidence alone), and the message asks for a retry."""
    app, rep, item = draft
    content = minimal_pdf("orfano")
    before = set(p for p in storage.root().rglob("*") if p.is_file())
    _failing_insert(monkeypatch)
    with pytest.raises(ValidationError) as refused:
        upload = SimpleUploadedFile("orfano.pdf", content)
        if in_transaction:
            evidence_services.evidence_add(user=rep, application=app, evidence_item=item, uploaded_file=upload)
        else:
            assert not transaction.get_connection().in_atomic_block
            evidence_services.store_evidence(user=rep, application=app, evidence_item=item, uploaded_file=upload)
    assert "riprovare" in refused.value.messages[0].lower()
    assert not app.evidence_files.exists()
    assert set(p for p in storage.root().rglob("*") if p.is_file()) == before


def test_the_page_is_told_why_and_that_it_may_retry(draft, monkeypatch):
    app, rep, item = draft
    client = Client()
    client.force_login(rep)
    _failing_insert(monkeypatch)
    url = reverse("evidence_raw_upload", args=[app.pk]) + "?" + urlencode({"item": item.pk, "name": "occupato.pdf"})
    answer = client.generic("POST", url, minimal_pdf("occupato"), content_type="application/octet-stream")
    assert answer.status_code == 503
    assert answer.json()["retry"] is True and "occupato.pdf" in answer.json()["error"]
    form = client.post(reverse("evidence_upload_json", args=[app.pk]),
                       {"evidence_item": item.pk, "file": SimpleUploadedFile("occupato.pdf", minimal_pdf("x"))})
    assert form.status_code == 503 and form.json()["retry"] is True
    assert not app.evidence_files.exists()
