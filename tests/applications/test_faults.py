"""Failures half-way, injected: the application is left exactly as before, the user is told what to do,
and no orphan file or row remains."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError
from django.urls import reverse

from applications import pdf, services
from operations.demo import minimal_pdf
from applications.models import Application
from evidence import services as evidence_services
from ot24portal.filestore import storage
from evidence.models import EvidenceFile
from interventions.models import EvidenceItem
from tests.factories import DEFAULT_PASSWORD, ready_to_submit

pytestmark = pytest.mark.django_db


def files_on_disk():
    return sorted(p for p in storage.root().rglob("*") if p.is_file())


@pytest.fixture
def ready(client):
    app, rep = ready_to_submit()
    client.login(email=rep.email, password=DEFAULT_PASSWORD)
    return client, app, rep


def submit(client, app):
    return client.post(reverse("application_step", args=[app.pk, "submit"]), {
        "version": Application.objects.get(pk=app.pk).version, "declares_obligations": "on",
        "declares_compliance": "on", "declares_art76": "on", "declares_privacy": "on",
        "place": "Roma", "password": DEFAULT_PASSWORD})


def test_pdf_engine_failure_leaves_a_draft(ready, monkeypatch):
    client, app, rep = ready
    before = files_on_disk()

    def broken(application):
        raise RuntimeError("weasyprint exploded")

    monkeypatch.setattr(pdf, "render_application_pdf", broken)
    response = submit(client, app)
    assert response.status_code == 200
    assert "la domanda NON è stata inviata" in response.content.decode()
    app.refresh_from_db()
    assert app.is_draft and app.receipt_number is None and app.snapshot is None and not app.pdf_sha256
    assert files_on_disk() == before
    monkeypatch.undo()
    assert submit(client, app).status_code == 302  # and it works once the engine is back


def test_database_failure_after_the_pdf_is_written_removes_the_file(ready, monkeypatch):
    client, app, rep = ready
    before = files_on_disk()
    real_update = type(Application.objects.all()).update

    def failing_update(qs, **kwargs):
        if "pdf_storage_name" in kwargs:
            raise OperationalError("server closed the connection unexpectedly")
        return real_update(qs, **kwargs)

    monkeypatch.setattr(type(Application.objects.all()), "update", failing_update)
    response = submit(client, app)
    assert "NON è stata inviata" in response.content.decode()
    assert Application.objects.get(pk=app.pk).is_draft
    assert files_on_disk() == before


def test_storage_failure_during_upload(ready, monkeypatch):
    client, app, rep = ready
    services.application_save_section(user=rep, application=app, section="C", version=Application.objects.get(pk=app.pk).version,
                                      chosen={"C4": (frozenset(), False)})
    item = EvidenceItem.objects.filter(intervention__code="C4").order_by("order").first()
    before = files_on_disk()

    def disk_full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(storage.backend(), "_save", disk_full)
    response = client.post(reverse("application_step", args=[app.pk, "evidence"]),
                           {"evidence_item": item.pk, "file": SimpleUploadedFile("a.pdf", minimal_pdf("x"))})
    assert response.status_code == 200
    assert "errore del sistema di archiviazione" in response.content.decode()
    assert not EvidenceFile.objects.filter(application=app).exists()
    assert files_on_disk() == before  # the temporary file is gone too


def test_database_failure_after_upload_removes_the_file(ready, monkeypatch):
    client, app, rep = ready
    services.application_save_section(user=rep, application=app, section="C", version=Application.objects.get(pk=app.pk).version,
                                      chosen={"C4": (frozenset(), False)})
    item = EvidenceItem.objects.filter(intervention__code="C4").order_by("order").first()
    before = files_on_disk()

    def db_down(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(EvidenceFile.objects, "create", db_down)
    with pytest.raises(OperationalError):
        evidence_services.evidence_add(user=rep, application=app, evidence_item=item,
                              uploaded_file=SimpleUploadedFile("a.pdf", minimal_pdf("y")))
    assert files_on_disk() == before
