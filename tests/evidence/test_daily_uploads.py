"""Issue 18, uploads: formats and limit stated first, several files at once (plain form and JSON endpoint),
the same file twice on the same item refused by the service, section pages listing the documents."""
import html

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from applications import services
from operations.demo import minimal_pdf
from evidence import services as evidence_services
from interventions.models import EvidenceItem
from tests.applications.test_wizard_flow import login, step
from tests.factories import PATFactory, SiteFactory, legal_rep, open_campaign

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft():
    campaign = open_campaign()
    site = SiteFactory(workers=12, sector="costruzioni")
    PATFactory(site=site)
    rep = legal_rep(site.company)
    app = services.application_start(user=rep, site=site, campaign=campaign)
    services.application_save_section(user=rep, application=app, section="C", version=app.version,
                                      chosen={"C4": (frozenset(), False)})
    item = EvidenceItem.objects.filter(intervention__code="C4").order_by("order").first()
    return app, rep, item


def test_the_same_file_twice_on_the_same_item_is_refused_by_the_service(draft):
    app, rep, item = draft
    content = minimal_pdf("uno")
    evidence_services.evidence_add(user=rep, application=app, evidence_item=item,
                                   uploaded_file=SimpleUploadedFile("a.pdf", content))
    with pytest.raises(ValidationError) as refused:
        evidence_services.evidence_add(user=rep, application=app, evidence_item=item,
                                       uploaded_file=SimpleUploadedFile("copia.pdf", content))
    assert "è già stato caricato per questo documento" in refused.value.messages[0]
    assert app.evidence_files.count() == 1


def test_evidence_page_states_formats_and_limit_and_takes_several_files(client, draft):
    app, rep, item = draft
    login(client, rep)
    page = html.unescape(client.get(step(app, "evidence")).content.decode())
    assert "PDF, JPEG, PNG" in page and "20 MB" in page
    assert "multiple" in page and reverse("evidence_upload_json", args=[app.pk]) in page
    response = client.post(step(app, "evidence"), {"evidence_item": item.pk, "file": [
        SimpleUploadedFile("uno.pdf", minimal_pdf("uno")), SimpleUploadedFile("due.pdf", minimal_pdf("due")),
        SimpleUploadedFile("tre.pdf", minimal_pdf("uno"))]})
    assert response.status_code == 302
    assert sorted(app.evidence_files.values_list("original_name", flat=True)) == ["due.pdf", "uno.pdf"]
    followed = html.unescape(client.get(response["Location"]).content.decode())
    assert "2 file caricati" in followed and "tre.pdf" in followed and "già stato caricato" in followed


def test_json_upload_endpoint(client, draft):
    app, rep, item = draft
    login(client, rep)
    url = reverse("evidence_upload_json", args=[app.pk])
    ok = client.post(url, {"evidence_item": item.pk, "file": SimpleUploadedFile("uno.pdf", minimal_pdf("uno"))})
    assert ok.status_code == 201
    data = ok.json()
    assert data["file"]["name"] == "uno.pdf" and data["file"]["download_url"].startswith(f"/domande/{app.pk}/documenti/")
    again = client.post(url, {"evidence_item": item.pk, "file": SimpleUploadedFile("uno-bis.pdf", minimal_pdf("uno"))})
    assert again.status_code == 400 and "già stato caricato" in again.json()["error"]
    bad = client.post(url, {"evidence_item": item.pk, "file": SimpleUploadedFile("x.exe", b"MZ\x90\x00")})
    assert bad.status_code == 400 and bad.json()["error"]


def test_section_lists_the_documents_each_intervention_needs(client, draft):
    app, rep, item = draft
    login(client, rep)
    page = html.unescape(client.get(step(app, "D")).content.decode())
    d4 = EvidenceItem.objects.filter(intervention__code="D4").order_by("order").first()
    assert "Documenti da caricare" in page and d4.label[:40] in page
