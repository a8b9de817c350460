"""Upload checks on real files: unreadable PDFs, quotas, files altered on disk."""
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfWriter

from operations.demo import minimal_pdf
from evidence import services as evidence_services
from ot24portal.filestore import storage
from tests.factories import DEFAULT_PASSWORD, evidence_draft

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft():
    return evidence_draft()


def encrypted_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.encrypt("segreta")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def stored_files():
    return sorted(p for p in storage.root().rglob("*") if p.is_file())


@pytest.mark.parametrize(
    "content,message",
    [
        (encrypted_pdf(), "protetto da password"),
        (b"%PDF-1.7\n" + b"\x00garbage" * 20, "danneggiato o illeggibile"),
        (minimal_pdf("x")[:60], "danneggiato o illeggibile"),
    ],
)
def test_unreadable_pdfs_are_refused_and_nothing_stored(draft, content, message):
    app, rep, item = draft
    before = stored_files()
    with pytest.raises(ValidationError, match=message):
        evidence_services.evidence_add(user=rep, application=app, evidence_item=item,
                              uploaded_file=SimpleUploadedFile("doc.pdf", content))
    assert stored_files() == before
    assert not app.evidence_files.exists()


def test_per_file_and_per_application_limits(draft, settings):
    app, rep, item = draft
    settings.OT24_MAX_FILE_BYTES = 2000
    settings.OT24_MAX_APPLICATION_BYTES = 3000
    big = minimal_pdf("x" * 3000)
    with pytest.raises(ValidationError, match="supera il limite di"):
        evidence_services.evidence_add(user=rep, application=app, evidence_item=item, uploaded_file=SimpleUploadedFile("a.pdf", big))
    first = minimal_pdf("primo " * 150)
    assert 1000 < len(first) < 2000
    evidence_services.evidence_add(user=rep, application=app, evidence_item=item, uploaded_file=SimpleUploadedFile("a.pdf", first))
    second = minimal_pdf("secondo " * 150)
    with pytest.raises(ValidationError, match="Spazio esaurito"):
        evidence_services.evidence_add(user=rep, application=app, evidence_item=item, uploaded_file=SimpleUploadedFile("b.pdf", second))
    assert app.evidence_files.count() == 1


def test_altered_file_is_not_served(client, draft):
    app, rep, item = draft
    evidence = evidence_services.evidence_add(user=rep, application=app, evidence_item=item,
                                     uploaded_file=SimpleUploadedFile("a.pdf", minimal_pdf("originale")))
    path = storage.path_of(evidence.storage_name)
    path.write_bytes(path.read_bytes().replace(b"originale", b"falsifica"))
    client.login(email=rep.email, password=DEFAULT_PASSWORD)
    response = client.get(reverse("evidence_download", args=[app.pk, evidence.pk]))
    assert response.status_code == 409
    assert "alterato" in response.content.decode()


def test_verify_evidence_reports_altered_and_missing_files(draft):
    from io import StringIO

    from django.core.management import CommandError, call_command

    app, rep, item = draft
    good = evidence_services.evidence_add(user=rep, application=app, evidence_item=item,
                                 uploaded_file=SimpleUploadedFile("a.pdf", minimal_pdf("uno")))
    out = StringIO()
    call_command("verify_evidence", stdout=out)
    assert "0 con problemi" in out.getvalue()
    altered = evidence_services.evidence_add(user=rep, application=app, evidence_item=item,
                                    uploaded_file=SimpleUploadedFile("b.pdf", minimal_pdf("due")))
    path = storage.path_of(altered.storage_name)
    path.write_bytes(path.read_bytes() + b"%")
    storage.path_of(good.storage_name).unlink()
    out = StringIO()
    with pytest.raises(CommandError, match="2 file mancanti o alterati"):
        call_command("verify_evidence", stdout=out)
    assert f"ALTERATO  file {altered.pk} (b.pdf)" in out.getvalue()
    assert f"MANCANTE  file {good.pk} (a.pdf)" in out.getvalue()


def test_s3_storage_is_chosen_by_settings(monkeypatch):
    """With OT24_EVIDENCE_S3_BUCKET the evidence storage is django-storages' S3 backend, private."""
    from ot24portal.settings import base

    monkeypatch.setenv("OT24_EVIDENCE_S3_BUCKET", "ot24-evidence")
    monkeypatch.setenv("OT24_EVIDENCE_S3_ENDPOINT_URL", "http://127.0.0.1:9000")
    config = base.evidence_storage("/unused")
    assert config["BACKEND"] == "storages.backends.s3.S3Storage"
    assert config["OPTIONS"]["bucket_name"] == "ot24-evidence" and config["OPTIONS"]["default_acl"] == "private"
    from django.utils.module_loading import import_string
    import_string(config["BACKEND"])  # the backend is installed
    monkeypatch.delenv("OT24_EVIDENCE_S3_BUCKET")
    assert base.evidence_storage("/x")["BACKEND"].endswith("FileSystemStorage")


def _post_evidence(client, app, item, name, content):
    return client.post(reverse("application_step", args=[app.pk, "evidence"]),
                       {"evidence_item": item.pk, "file": SimpleUploadedFile(name, content, "application/pdf")})


def test_large_upload_is_stored_from_the_temporary_file_django_wrote(client, draft, settings):
    """Above FILE_UPLOAD_MAX_MEMORY_SIZE Django writes the upload to a temporary file, hashed as it
    arrives (ot24portal.filestore.uploads); it is checked there and moved into the store: same name, hash and
    private mode as any upload, and no temporary file left behind."""
    import hashlib
    import stat
    from pathlib import Path

    app, rep, item = draft
    content = minimal_pdf("x" * (settings.FILE_UPLOAD_MAX_MEMORY_SIZE + 100_000))
    client.force_login(rep)
    assert _post_evidence(client, app, item, "grande.pdf", content).status_code == 302
    stored = app.evidence_files.get(original_name="grande.pdf")
    assert stored.sha256 == hashlib.sha256(content).hexdigest() and stored.size == len(content)
    path = storage.path_of(stored.storage_name)
    assert path.read_bytes() == content and stat.S_IMODE(path.stat().st_mode) == 0o640
    assert not any(Path(settings.FILE_UPLOAD_TEMP_DIR).iterdir())


def test_large_hostile_upload_is_refused_and_leaves_nothing(client, draft, settings):
    from pathlib import Path

    from pypdf.generic import DictionaryObject, NameObject, TextStringObject

    from tests.evidence.test_hostile_uploads import pdf_with

    app, rep, item = draft
    script = DictionaryObject({NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject("app.alert(1);")})
    hostile = pdf_with(OpenAction=script, Padding=TextStringObject("x" * (settings.FILE_UPLOAD_MAX_MEMORY_SIZE + 100_000)))
    before = stored_files()
    client.force_login(rep)
    page = _post_evidence(client, app, item, "grande.pdf", hostile).content.decode()
    assert "script" in page and not app.evidence_files.exists()
    assert stored_files() == before
    assert not any(Path(settings.FILE_UPLOAD_TEMP_DIR).iterdir())


def test_review_screen_check_is_remembered_until_the_file_changes(draft, monkeypatch):
    """The reviewer's screen shows, for every file, whether it still has its recorded SHA-256. Reading
    every file again on every view cost the reviewer a full read of each scan: the answer is kept while
    the file's inode, size and change times are the same. A file rewritten in place, even to the same
    size with its modification time put back, is read again (its change time moved)."""
    import os
    import time

    app, rep, item = draft
    evidence = evidence_services.evidence_add(user=rep, application=app, evidence_item=item,
                                     uploaded_file=SimpleUploadedFile("a.pdf", minimal_pdf("ricordato")))
    reads = []
    real_open = storage.open_stored
    monkeypatch.setattr(storage, "open_stored", lambda name: reads.append(name) or real_open(name))
    assert storage.matches_hash_remembered(evidence.storage_name, evidence.sha256)
    assert storage.matches_hash_remembered(evidence.storage_name, evidence.sha256)
    assert len(reads) == 1
    path = storage.path_of(evidence.storage_name)
    before = os.stat(path)
    time.sleep(0.05)  # past the file system's timestamp granularity, so the change time can move
    path.write_bytes(path.read_bytes().replace(b"ricordato", b"falsifico"))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert os.stat(path).st_size == before.st_size
    assert not storage.matches_hash_remembered(evidence.storage_name, evidence.sha256)
    assert not storage.matches_hash_remembered(evidence.storage_name, evidence.sha256)  # failures are not kept
    assert len(reads) == 3
    path.unlink()
    assert not storage.matches_hash_remembered(evidence.storage_name, evidence.sha256)


def test_review_screen_reads_each_file_once_and_flags_an_altered_one(client, draft, monkeypatch):
    from applications.models import Application
    from tests.factories import UserFactory

    app, rep, item = draft
    evidence = evidence_services.evidence_add(user=rep, application=app, evidence_item=item,
                                     uploaded_file=SimpleUploadedFile("a.pdf", minimal_pdf("schermo del revisore")))
    Application.objects.filter(pk=app.pk).update(status=Application.Status.SUBMITTED, receipt_number="T-1")
    reviewer = UserFactory(role="reviewer")
    client.force_login(reviewer)
    reads = []
    real_open = storage.open_stored
    monkeypatch.setattr(storage, "open_stored", lambda name: reads.append(name) or real_open(name))
    for _ in range(3):
        page = client.get(reverse("review_detail", args=[app.pk])).content.decode()
        assert "impronta verificata" in page and "file alterato" not in page
    assert reads == [evidence.storage_name]
    path = storage.path_of(evidence.storage_name)
    path.write_bytes(path.read_bytes() + b"%")
    page = client.get(reverse("review_detail", args=[app.pk])).content.decode()
    assert "file alterato o mancante" in page
