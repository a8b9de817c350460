"""Issue 21, goal 3: the evidence page's script sends each file as the raw request body (no multipart
parsing). The view streams it in 1 MB pieces into a temporary file beside the store, hashing as it goes,
and records it through the same service as the form: same permissions, limits, checks and storage."""
import hashlib
import html
import io
import re
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse

from operations.demo import minimal_pdf
from applications.models import Application
from evidence import services as evidence_services
from ot24portal.filestore import storage, uploads
from evidence.models import EvidenceFile
from tests.evidence.test_hostile_uploads import js_pdf
from tests.factories import DEFAULT_PASSWORD, UserFactory, evidence_draft, legal_rep, SiteFactory

pytestmark = pytest.mark.django_db

MB = 1024 * 1024


def temp_files() -> list[Path]:
    folders = [Path(django_settings.FILE_UPLOAD_TEMP_DIR), Path(django_settings.PRIVATE_MEDIA_ROOT) / "tmp"]
    return sorted(p for folder in folders if folder.exists() for p in folder.rglob("*") if p.is_file())


def stored() -> list[Path]:
    return sorted(p for p in storage.root().rglob("*") if p.is_file())


_before: set = set()


@pytest.fixture(autouse=True)
def _stored_before():
    _before.clear()
    _before.update(stored())


def stored_new() -> list[Path]:
    """Files the store gained during the test (the media folder is shared by the session's tests)."""
    return [p for p in stored() if p not in _before]


def pdf_of(size: int, label: str = "grande") -> bytes:
    content = minimal_pdf(label)
    return content + b"%" + b"0" * (size - len(content) - 1)  # a comment after %%EOF: still a PDF


def raw_url(app, item, name) -> str:
    return reverse("evidence_raw_upload", args=[app.pk]) + "?" + urlencode({"item": item.pk, "name": name})


def post_raw(client, app, item, content: bytes, name="scansione.pdf", **extra):
    return client.generic("POST", raw_url(app, item, name), data=content, content_type="application/octet-stream",
                          **extra)


class CountingStream(io.RawIOBase):
    """A request body that only says how much of it was read."""

    def __init__(self, size: int):
        self.size, self.read_bytes = size, 0

    def read(self, n=-1):
        n = self.size - self.read_bytes if n is None or n < 0 else min(n, self.size - self.read_bytes)
        self.read_bytes += n
        return b"%" * n

    def readable(self):
        return True


@pytest.fixture
def logged_in(client):
    app, rep, item = evidence_draft()
    client.login(email=rep.email, password=DEFAULT_PASSWORD)
    app.rep = rep
    return client, app, item


def test_stored_bytes_and_hash_are_the_sent_file(logged_in):
    client, app, item = logged_in
    content = pdf_of(3 * MB + 12345)  # several pieces of 1 MB, each hashed in its thread
    response = post_raw(client, app, item, content)
    assert response.status_code == 201, response.content
    answer = response.json()
    assert answer["ok"] is True
    assert answer["redirect"] == reverse("application_step", args=[app.pk, "evidence"]) + f"#item-{item.pk}"
    evidence = EvidenceFile.objects.get(application=app)
    assert evidence.sha256 == hashlib.sha256(content).hexdigest() == answer["file"]["sha256"]
    assert evidence.size == len(content) and evidence.original_name == "scansione.pdf"
    assert evidence.evidence_item_id == item.pk and evidence.content_type == "application/pdf"
    assert storage.path_of(evidence.storage_name).read_bytes() == content
    assert temp_files() == []  # moved into place, not copied


def test_the_same_bytes_twice_are_stored_once_and_refused_on_the_same_item(logged_in):
    client, app, item = logged_in
    content = minimal_pdf("due volte")
    assert post_raw(client, app, item, content, "uno.pdf").status_code == 201
    again = post_raw(client, app, item, content, "due.pdf")
    assert again.status_code == 400 and "già stato caricato" in again.json()["error"]
    assert again.json()["ok"] is False
    assert app.evidence_files.count() == 1 and len(stored_new()) == 1


def test_the_version_moves_as_with_the_form(logged_in):
    client, app, item = logged_in
    before = Application.objects.get(pk=app.pk).version
    assert post_raw(client, app, item, minimal_pdf("versione")).status_code == 201
    assert Application.objects.get(pk=app.pk).version > before


@pytest.mark.parametrize("who", ["other_company", "reviewer"])
def test_who_cannot_see_the_application_gets_404_and_nothing_is_stored(client, who):
    app, rep, item = evidence_draft()
    user = legal_rep(SiteFactory().company) if who == "other_company" else UserFactory(role="reviewer")
    client.force_login(user)
    response = post_raw(client, app, item, minimal_pdf("altrui"))
    assert response.status_code == 404
    assert not app.evidence_files.exists() and stored_new() == [] and temp_files() == []


def test_anonymous_is_sent_to_log_in_and_nothing_is_stored(client):
    app, rep, item = evidence_draft()
    response = post_raw(client, app, item, minimal_pdf("anonimo"))
    assert response.status_code == 302
    assert not app.evidence_files.exists() and stored_new() == []


def test_a_submitted_application_refuses_with_403(logged_in):
    client, app, item = logged_in
    Application.objects.filter(pk=app.pk).update(status=Application.Status.SUBMITTED, receipt_number="OT24-X-9")
    response = post_raw(client, app, item, minimal_pdf("tardi"))
    assert response.status_code == 403
    assert response.json()["ok"] is False and response.json()["error"]
    assert not app.evidence_files.exists() and stored_new() == [] and temp_files() == []


def test_only_post(logged_in):
    client, app, item = logged_in
    assert client.get(raw_url(app, item, "a.pdf")).status_code == 405


def csrf_token_of_page(client, app) -> str:
    page = client.get(reverse("application_step", args=[app.pk, "evidence"])).content.decode()
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)


def test_csrf_header_is_required_and_checked():
    app, rep, item = evidence_draft()
    client = Client(enforce_csrf_checks=True)
    client.login(email=rep.email, password=DEFAULT_PASSWORD)
    token = csrf_token_of_page(client, app)
    assert post_raw(client, app, item, minimal_pdf("senza")).status_code == 403
    assert post_raw(client, app, item, minimal_pdf("errato"), HTTP_X_CSRFTOKEN="x" * 32).status_code == 403
    assert not app.evidence_files.exists() and stored_new() == [] and temp_files() == []
    ok = post_raw(client, app, item, minimal_pdf("con"), HTTP_X_CSRFTOKEN=token)
    assert ok.status_code == 201, ok.content


def test_oversize_content_length_is_refused_before_reading(logged_in, settings):
    client, app, item = logged_in
    settings.OT24_MAX_FILE_BYTES = 3 * MB
    body = CountingStream(3 * MB + 1)
    response = client.generic("POST", raw_url(app, item, "enorme.pdf"), content_type="application/octet-stream",
                              **{"CONTENT_TYPE": "application/octet-stream", "CONTENT_LENGTH": str(body.size), "wsgi.input": body})
    assert response.status_code == 413
    assert "supera il limite di 3 MB" in response.json()["error"]
    assert body.read_bytes == 0
    assert not app.evidence_files.exists() and temp_files() == []


def test_file_at_the_limit_is_accepted(logged_in, settings):
    client, app, item = logged_in
    settings.OT24_MAX_FILE_BYTES = 3 * MB
    assert post_raw(client, app, item, pdf_of(3 * MB)).status_code == 201


def test_oversize_stream_is_refused_while_reading_and_leaves_no_temporary_file(settings):
    """A body that turns out longer than the limit (whatever its announced length) stops at the piece
    that passes it: nothing past the limit is written and the temporary file is gone."""
    settings.OT24_MAX_FILE_BYTES = 3 * MB
    body = CountingStream(10 * MB)
    with pytest.raises(uploads.BodyTooLarge, match="supera il limite di 3 MB"):
        uploads.receive_body(body, name="lungo.pdf", size=None, max_bytes=3 * MB)
    assert body.read_bytes <= 4 * MB
    assert temp_files() == []


def test_a_body_shorter_than_announced_is_refused(logged_in):
    client, app, item = logged_in
    content = minimal_pdf("interrotto")
    response = client.generic("POST", raw_url(app, item, "interrotto.pdf"), content_type="application/octet-stream",
                              **{"CONTENT_TYPE": "application/octet-stream", "CONTENT_LENGTH": str(len(content) + 1000), "wsgi.input": io.BytesIO(content)})
    assert response.status_code == 400 and "Caricamento interrotto" in response.json()["error"]
    assert not app.evidence_files.exists() and stored_new() == [] and temp_files() == []


def test_a_crafted_pdf_is_refused_by_the_check_with_the_italian_message(logged_in):
    client, app, item = logged_in
    response = post_raw(client, app, item, js_pdf(), "attivo.pdf")
    assert response.status_code == 400
    assert "script, azioni automatiche" in response.json()["error"]
    assert not app.evidence_files.exists() and stored_new() == [] and temp_files() == []


def test_a_file_of_another_type_is_refused(logged_in):
    client, app, item = logged_in
    response = post_raw(client, app, item, b"MZ\x90\x00" * 100, "programma.exe")
    assert response.status_code == 400 and "Tipo di file non ammesso" in response.json()["error"]
    assert temp_files() == []


def test_the_quota_of_the_application_is_respected(logged_in, settings):
    client, app, item = logged_in
    settings.OT24_MAX_FILE_BYTES = 3 * MB
    settings.OT24_MAX_APPLICATION_BYTES = 4 * MB
    assert post_raw(client, app, item, pdf_of(3 * MB, "primo"), "primo.pdf").status_code == 201
    body = CountingStream(2 * MB)
    refused = client.generic("POST", raw_url(app, item, "secondo.pdf"), content_type="application/octet-stream",
                             **{"CONTENT_TYPE": "application/octet-stream", "CONTENT_LENGTH": str(body.size), "wsgi.input": body})
    assert refused.status_code == 413 and "Spazio esaurito" in refused.json()["error"]
    assert body.read_bytes == 0  # known from the announced length
    assert app.evidence_files.count() == 1 and temp_files() == []
    assert post_raw(client, app, item, pdf_of(MB - 1024, "terzo"), "terzo.pdf").status_code == 201


def test_the_quota_is_checked_again_when_the_file_is_recorded(logged_in, settings):
    """Uploads that run at the same time: the service, under the application's lock, has the last word."""
    client, app, item = logged_in
    settings.OT24_MAX_FILE_BYTES = 3 * MB
    settings.OT24_MAX_APPLICATION_BYTES = 4 * MB
    content = pdf_of(2 * MB, "concorrente")
    uploaded = uploads.receive_body(io.BytesIO(content), name="concorrente.pdf", size=len(content), max_bytes=3 * MB)
    post_raw(client, app, item, pdf_of(3 * MB, "primo"), "primo.pdf")
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="Spazio esaurito"):
        evidence_services.evidence_add(user=app.rep, application=app,
                                       evidence_item=item, uploaded_file=uploaded)
    uploaded.close()
    assert app.evidence_files.count() == 1 and temp_files() == []


@pytest.mark.parametrize("name,kept", [("../../etc/evil.pdf", "evil.pdf"), ("C:\\Windows\\x.pdf", "x.pdf"),
                                       ("nul\x00.pdf", "nul.pdf"), ("documento\r\nX-Evil: 1.pdf", "documentoX-Evil: 1.pdf"),
                                       ("документ.pdf", "документ.pdf")])
def test_a_bad_file_name_is_sanitised(logged_in, name, kept):
    client, app, item = logged_in
    response = post_raw(client, app, item, minimal_pdf(kept), name)
    assert response.status_code == 201, response.content
    evidence = app.evidence_files.get()
    assert evidence.original_name == kept
    assert storage.path_of(evidence.storage_name).resolve().is_relative_to(storage.root().resolve())


@pytest.mark.parametrize("query", [{"name": "a.pdf"}, {"item": "x", "name": "a.pdf"}, {"item": "999999", "name": "a.pdf"},
                                   {"item": "ITEM"}])
def test_missing_or_unknown_item_or_name_is_refused(logged_in, query):
    client, app, item = logged_in
    query = {k: str(item.pk) if v == "ITEM" else v for k, v in query.items()}
    url = reverse("evidence_raw_upload", args=[app.pk]) + "?" + urlencode(query)
    response = client.generic("POST", url, data=minimal_pdf("x"), content_type="application/octet-stream")
    assert response.status_code == 400 and response.json()["error"]
    assert not app.evidence_files.exists() and temp_files() == []


def test_an_empty_body_is_refused(logged_in):
    client, app, item = logged_in
    response = client.generic("POST", raw_url(app, item, "vuoto.pdf"), content_type="application/octet-stream",
                              CONTENT_TYPE="application/octet-stream", CONTENT_LENGTH="0")
    assert response.status_code == 400 and "vuoto" in response.json()["error"]


def test_the_evidence_page_offers_the_raw_url_to_its_script(logged_in):
    client, app, item = logged_in
    page = html.unescape(client.get(reverse("application_step", args=[app.pk, "evidence"])).content.decode())
    assert f'data-raw-url="{reverse("evidence_raw_upload", args=[app.pk])}"' in page


def test_a_body_that_is_not_raw_bytes_is_refused(logged_in):
    client, app, item = logged_in
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(raw_url(app, item, "modulo.pdf"), {"file": SimpleUploadedFile("modulo.pdf", minimal_pdf("m"))})
    assert response.status_code == 400 and "application/octet-stream" in response.json()["error"]
    assert not app.evidence_files.exists() and temp_files() == []


# --- Under gunicorn: the body read straight from the connection --------------------------------------

def gunicorn_request(content: bytes, *, read_ahead: int, sent: bytes | None = None):
    """A Django request as gunicorn's sync worker hands it over: wsgi.input is gunicorn's own Body over a
    LengthReader over the connection (a real socket pair), with `read_ahead` bytes of the body already
    taken from the socket by gunicorn (as when it reads the headers). Returns (request, client socket,
    reader)."""
    import socket
    import threading

    from django.core.handlers.wsgi import WSGIRequest
    from gunicorn.http.body import Body, LengthReader
    from gunicorn.http.unreader import SocketUnreader

    server_side, client_side = socket.socketpair()
    unreader = SocketUnreader(server_side)
    unreader.unread(content[:read_ahead])
    reader = LengthReader(unreader, len(content))
    rest = content[read_ahead:] if sent is None else sent

    def send():
        try:
            client_side.sendall(rest)
            client_side.shutdown(socket.SHUT_WR)
        except OSError:  # the test closed the connection before reading it all
            pass

    threading.Thread(target=send, daemon=True).start()
    environ = {"REQUEST_METHOD": "POST", "PATH_INFO": "/", "SERVER_NAME": "testserver", "SERVER_PORT": "80",
               "wsgi.url_scheme": "http", "CONTENT_TYPE": "application/octet-stream",
               "CONTENT_LENGTH": str(len(content)), "wsgi.input": Body(reader), "gunicorn.socket": server_side}
    return WSGIRequest(environ), client_side, reader


@pytest.mark.parametrize("read_ahead", [0, 5000, 3 * MB + 17])
def test_under_gunicorn_the_body_comes_straight_from_the_connection(read_ahead):
    content = pdf_of(3 * MB + 123_457, "gunicorn")
    request, client_side, reader = gunicorn_request(content, read_ahead=read_ahead)
    assert uploads._gunicorn_body(request) is not None  # the fast path (a change in gunicorn would show here)
    client_side.close()
    request, client_side, reader = gunicorn_request(content, read_ahead=read_ahead)
    uploaded = uploads.receive_body(request, name="gunicorn.pdf", size=len(content), max_bytes=10 * MB)
    try:
        with open(uploaded.temporary_file_path(), "rb") as fh:
            assert fh.read() == content
        assert uploaded.sha256 == hashlib.sha256(content).hexdigest() and uploaded.size == len(content)
        assert reader.length == 0  # gunicorn counts the body as read: it does not drain the socket again
    finally:
        uploaded.close()
        client_side.close()


def test_under_gunicorn_a_next_request_read_ahead_is_left_to_gunicorn():
    content = pdf_of(MB, "primo")
    following = b"GET /seguente/ HTTP/1.1\r\n\r\n"
    request, client_side, reader = gunicorn_request(content + following, read_ahead=len(content) + len(following))
    reader.length = len(content)  # the body ends where the next request starts
    uploaded = uploads.receive_body(request, name="primo.pdf", size=len(content), max_bytes=10 * MB)
    try:
        assert uploaded.sha256 == hashlib.sha256(content).hexdigest()
        assert reader.unreader.read() == following
    finally:
        uploaded.close()
        client_side.close()


def test_under_gunicorn_a_client_that_goes_away_leaves_nothing():
    content = pdf_of(3 * MB, "interrotto")
    request, client_side, _ = gunicorn_request(content, read_ahead=1000, sent=content[1000:2 * MB])
    with pytest.raises(storage.RejectedFile, match="Caricamento interrotto"):
        uploads.receive_body(request, name="interrotto.pdf", size=len(content), max_bytes=10 * MB)
    client_side.close()
    assert temp_files() == []


def test_a_request_already_read_is_not_read_again_from_the_connection():
    content = pdf_of(MB, "letto")
    request, client_side, _ = gunicorn_request(content, read_ahead=0)
    request.read(10)
    assert uploads._gunicorn_body(request) is None
    client_side.close()
