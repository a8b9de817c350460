"""The per-file size limit is enforced while the request body is read: a file over it is dropped as it
arrives (never written to the temporary upload folder past the limit) and the page says why; a request
body over OT24_MAX_REQUEST_BYTES is not read at all."""
import os
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from operations.demo import minimal_pdf
from ot24portal.filestore.uploads import CHUNK_BYTES, TemporaryUploadHandler
from tests.factories import DEFAULT_PASSWORD, evidence_draft

pytestmark = pytest.mark.django_db

MB = 1024 * 1024


class RecordingTemporaryUploadHandler(TemporaryUploadHandler):
    """The portal's own temporary-file handler, noting the largest its file on disk ever was."""

    largest = 0
    chunks = 0
    sizes: list[int] = []

    def receive_data_chunk(self, raw_data, start):
        result = super().receive_data_chunk(raw_data, start)
        self.file.flush()
        cls = RecordingTemporaryUploadHandler
        cls.chunks += 1
        cls.sizes.append(len(raw_data))
        cls.largest = max(cls.largest, os.path.getsize(self.file.temporary_file_path()))
        return result


@pytest.fixture
def recording(settings):
    handlers = [h for h in django_settings.FILE_UPLOAD_HANDLERS if not h.endswith(".TemporaryUploadHandler")]
    settings.FILE_UPLOAD_HANDLERS = handlers + [f"{__name__}.RecordingTemporaryUploadHandler"]
    RecordingTemporaryUploadHandler.largest = RecordingTemporaryUploadHandler.chunks = 0
    RecordingTemporaryUploadHandler.sizes = []
    return RecordingTemporaryUploadHandler


def temp_files() -> list[Path]:
    folder = Path(django_settings.FILE_UPLOAD_TEMP_DIR)
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


def pdf_of(size: int) -> bytes:
    content = minimal_pdf("grande")
    return content + b"%" + b"0" * (size - len(content) - 1)  # a comment after %%EOF: still a PDF


@pytest.fixture
def logged_in(client):
    app, rep, item = evidence_draft()
    client.login(email=rep.email, password=DEFAULT_PASSWORD)
    return client, app, item


def post_evidence(client, app, item, content: bytes):
    url = reverse("application_step", args=[app.pk, "evidence"])
    return client.post(url, {"evidence_item": str(item.pk), "file": SimpleUploadedFile("scansione.pdf", content)})


def test_file_over_the_limit_is_dropped_as_it_arrives(logged_in, recording, settings):
    client, app, item = logged_in
    settings.OT24_MAX_FILE_BYTES = 3 * MB
    before = temp_files()
    response = post_evidence(client, app, item, pdf_of(4 * MB))
    assert response.status_code == 200
    assert "Il file supera il limite di 3 MB." in response.content.decode()
    assert 0 < recording.largest <= 3 * MB  # written up to the limit at most, then dropped
    assert temp_files() == before
    assert not app.evidence_files.exists()


def test_file_at_the_limit_is_accepted(logged_in, recording, settings):
    client, app, item = logged_in
    settings.OT24_MAX_FILE_BYTES = 3 * MB
    response = post_evidence(client, app, item, pdf_of(3 * MB))
    assert response.status_code == 302
    assert app.evidence_files.get().size == 3 * MB


def test_the_body_is_parsed_in_pieces_of_a_megabyte(logged_in, recording):
    """Every handler of FILE_UPLOAD_HANDLERS asks for CHUNK_BYTES: Django's parser reads the smallest chunk
    size any handler names, and pieces of 64 KB made gunicorn copy its read-ahead buffer again on each."""
    client, app, item = logged_in
    response = post_evidence(client, app, item, pdf_of(4 * MB))
    assert response.status_code == 302
    assert max(recording.sizes) == CHUNK_BYTES
    assert len(recording.sizes) <= 5  # 4 MB in 1 MB pieces (the boundary's look-back may split one)


def test_request_over_the_cap_is_not_read(logged_in, recording, settings):
    client, app, item = logged_in
    settings.OT24_MAX_FILE_BYTES = 3 * MB
    settings.OT24_MAX_REQUEST_BYTES = 5 * MB
    response = post_evidence(client, app, item, pdf_of(6 * MB))
    assert "Il file supera il limite di 3 MB." in response.content.decode()
    assert recording.chunks == 0  # not a byte of the file reached the disk
    assert not app.evidence_files.exists()



def test_several_large_files_in_one_request_each_get_their_own_hash(logged_in, settings):
    """Files written to disk are hashed while they arrive (in a thread beside the write): each stored
    hash is hashlib's of exactly its bytes; a file dropped for its size leaves nothing behind either
    (temporary files, hashing threads)."""
    import hashlib
    import threading

    client, app, item = logged_in
    settings.OT24_MAX_FILE_BYTES = 3 * MB
    first = pdf_of(3 * MB - 1000)
    second = pdf_of(2 * MB + 12345)
    threads, before = threading.active_count(), temp_files()
    url = reverse("application_step", args=[app.pk, "evidence"])
    response = client.post(url, {"evidence_item": str(item.pk),
                                 "file": [SimpleUploadedFile("primo.pdf", first), SimpleUploadedFile("secondo.pdf", second)]})
    assert response.status_code == 302
    stored = {f.original_name: f for f in app.evidence_files.all()}
    assert stored["primo.pdf"].sha256 == hashlib.sha256(first).hexdigest()
    assert stored["secondo.pdf"].sha256 == hashlib.sha256(second).hexdigest()
    assert temp_files() == before and threading.active_count() == threads

    response = client.post(url, {"evidence_item": str(item.pk), "file": SimpleUploadedFile("troppo.pdf", pdf_of(4 * MB))})
    assert "Il file supera il limite di 3 MB." in response.content.decode()
    assert app.evidence_files.count() == 2
    assert temp_files() == before and threading.active_count() == threads
