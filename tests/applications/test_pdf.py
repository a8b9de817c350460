"""The printed application, rendered by the real WeasyPrint and read back with pypdf."""
import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from applications import services
from tests.factories import DEFAULT_PASSWORD, PATFactory, SiteFactory, legal_rep, open_campaign

pytestmark = pytest.mark.django_db


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_draft_preview_pdf(client):
    site = SiteFactory(sector="costruzioni")
    PATFactory(site=site)
    rep = legal_rep(site.company)
    app = services.application_start(user=rep, site=site, campaign=open_campaign())
    services.application_save_section(user=rep, application=app, section="D", version=app.version,
                                      chosen={"D4": (frozenset(), False)})
    assert client.login(email=rep.email, password=DEFAULT_PASSWORD)
    response = client.get(reverse("application_pdf", args=[app.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    content = response.content
    assert content.startswith(b"%PDF-")
    text = pdf_text(content)
    assert "BOZZA" in text
    assert "SCHEDA INFORMATIVA GENERALE" in text and "D4" in text
    assert "Totale dei punteggi conteggiati: 50" in text
    assert "Pagina 1 di" in text
    assert "unità produttiva" in text.lower() or "Unità produttiva" in text  # accented letters survive


def test_pdf_is_private(client):
    site = SiteFactory()
    rep = legal_rep(site.company)
    app = services.application_start(user=rep, site=site, campaign=open_campaign())
    outsider = legal_rep(SiteFactory().company)
    assert client.login(email=outsider.email, password=DEFAULT_PASSWORD)
    assert client.get(reverse("application_pdf", args=[app.pk])).status_code == 404
