"""Issue 34 (English): on an English page the stress assessment's risk level, its reading note and follow-up,
the areas' and families' titles, the level of each family and the portal's default method are in English, and
its scores are written with a decimal point (Italian pages keep the decimal comma): Django's localisation, not
hand formatting. The check-list's items and proposed measures stay as published."""
import io
import re

import pytest
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from stress.models import DEFAULT_METHOD, Assessment
from tests.factories import PATFactory, SiteFactory, legal_rep

from .pages import LOWER, figures, post_figures
from .test_pages import six_compilers

pytestmark = pytest.mark.django_db


@pytest.fixture
def assessed(client):
    site = SiteFactory()
    PATFactory(site=site)
    client.force_login(legal_rep(site.company))
    assessment = six_compilers(client, site.company)
    assert post_figures(client, assessment, LOWER, figures()).status_code == 302
    return assessment


def test_the_result_reads_in_english_with_a_decimal_point(client, assessed):
    client.cookies["django_language"] = "en"
    page = client.get(reverse("stress_detail", args=[assessed.pk])).content.decode()
    assert "Low risk" in page and "Rischio basso" not in page
    assert "monitoring the organisation every two years" in page and "L’analisi degli indicatori" not in page
    assert "Repeat the assessment within two years" in page
    assert "Work context" in page and "Contesto del lavoro" not in page
    assert "Career development" in page and "Evoluzione della carriera" not in page
    assert "Total score: 10.00 (compilers: 6)" in page and "10,00" not in page
    assert "3.00" in page and "3,00" not in page
    assert ">low<" in page and ">basso<" not in page  # the family's level
    listing = client.get(reverse("stress_list")).content.decode()
    assert "Low risk" in listing and "10.00" in listing


def test_the_italian_page_keeps_the_italian_words_and_the_decimal_comma(client, assessed):
    page = client.get(reverse("stress_detail", args=[assessed.pk])).content.decode()
    assert "Rischio basso" in page and "Punteggio totale: 10,00 (compilatori: 6)" in page and ">basso<" in page


def test_the_default_method_reads_in_the_readers_language(client, assessed):
    with translation.override("it"):
        italian = str(DEFAULT_METHOD)
    with translation.override("en"):
        english = str(DEFAULT_METHOD)
    Assessment.objects.filter(pk=assessed.pk).update(method=italian)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("stress_detail", args=[assessed.pk])).content.decode()
    assert "Preliminary assessment using the objective indicators checklist" in page
    assert "Valutazione preliminare con la check-list di indicatori oggettivi dello" not in page
    Assessment.objects.filter(pk=assessed.pk).update(method=english)  # written by someone reading in English
    client.cookies["django_language"] = "it"
    page = client.get(reverse("stress_detail", args=[assessed.pk])).content.decode()
    assert "Valutazione preliminare con la check-list di indicatori oggettivi dello" in page
    Assessment.objects.filter(pk=assessed.pk).update(method="Check-list Spisal Verona, riunione del 10/01")
    assert "Check-list Spisal Verona, riunione del 10/01" in client.get(
        reverse("stress_detail", args=[assessed.pk])).content.decode()  # the company's own words, as written


def test_the_history_chart_writes_scores_in_the_readers_notation(client, assessed):
    client.cookies["django_language"] = "en"
    page = client.get(reverse("stress_detail", args=[assessed.pk])).content.decode()
    assert "6.00" in page and "6,00" not in page  # area C's score in the chart and its table


def test_the_checklists_answers_read_in_english(client, assessed):
    compilation = assessed.compilations.order_by("pk").first()
    client.cookies["django_language"] = "en"
    page = client.get(reverse("stress_checklist", args=[assessed.pk, compilation.pk, "B"])).content.decode()
    answers = re.findall(r'value="sì"[^<]*<label[^>]*>\s*([^<]+?)\s*</label>', page)
    assert answers and set(answers) == {"Yes"}, answers
    assert "Sì" not in page
    assert "Work context" in page  # the area's title; its items are the check-list's own (Italian) words


def test_the_report_pdf_downloaded_in_english_is_english_throughout(client, assessed):
    client.cookies["django_language"] = "en"
    response = client.get(reverse("stress_pdf", args=[assessed.pk]))
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Low risk" in text and "Page 1 of" in text and "Work-related stress assessment —" in text
    assert "Pagina" not in text and "Rischio basso" not in text and "10.00" in text


def test_the_report_attached_to_the_application_is_italian_whatever_the_users_language(client, assessed):
    from evidence.models import EvidenceFile
    from ot24portal.filestore import storage

    from .pages import draft_with_b2d
    from .test_pages import in_reference_year

    in_reference_year(assessed)
    site = assessed.company.sites.get()
    app = draft_with_b2d(site, assessed.company.legal_representative)
    client.cookies["django_language"] = "en"
    client.post(reverse("stress_attach", args=[assessed.pk]), {"application": app.pk})
    evidence = EvidenceFile.objects.get(application=app)
    pdf = PdfReader(io.BytesIO(storage.path_of(evidence.storage_name).read_bytes()))
    text = " ".join(page.extract_text() for page in pdf.pages)
    assert "Rischio basso" in text and "Pagina 1 di" in text and "Low risk" not in text
