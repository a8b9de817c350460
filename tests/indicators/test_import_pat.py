"""The register import takes the PAT as INAIL prints it (issue 34, major 4): "12345678/90", "12345678-90",
the 8 digits alone, as the site form does (organisations.inail_codes.normalise_pat); and shows PATs in the
printed notation."""
import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from indicators import services
from indicators.models import Injury
from tests.factories import PATFactory, SiteFactory, legal_rep

pytestmark = pytest.mark.django_db

HEADER = "data_evento;primo_giorno_assenza;ultimo_giorno_assenza;in_itinere;mortale;invalidita_permanente;pat\n"


@pytest.fixture
def site():
    site = SiteFactory()
    PATFactory(site=site, number="1234567890")  # stored with its check digits
    PATFactory(site=site, number="87654321")  # stored as the 8 digits alone
    return site


def _file(*pats):
    rows = "".join(f"10/03/2023;11/03/2023;{12 + n}/03/2023;no;no;0;{pat}\n" for n, pat in enumerate(pats))
    return HEADER + rows


@pytest.mark.parametrize("typed,stored", [
    ("12345678/90", "1234567890"), ("1234567890", "1234567890"), ("12345678-90", "1234567890"),
    (" 12345678 90 ", "1234567890"), ("12345678", "1234567890"),  # the 8 digits of a PAT kept with its check digits
    ("87654321", "87654321"), ("87654321/05", "87654321"),  # the check digits of a PAT kept as 8 digits
])
def test_the_import_takes_the_pat_as_inail_prints_it(site, typed, stored):
    rep = legal_rep(site.company)
    result = services.import_rows(user=rep, site=site, kind="injuries", text=_file(typed), as_of=dt.date(2024, 1, 1))
    assert result.saved == 1
    assert Injury.objects.get(site=site).pat.number == stored


@pytest.mark.parametrize("typed", ["12345678/91", "1234567", "99999999", "PAT 12345678"])
def test_a_pat_that_is_not_the_sites_is_refused_with_its_row(site, typed):
    rep = legal_rep(site.company)
    with pytest.raises(ValidationError) as caught:
        services.import_rows(user=rep, site=site, kind="injuries", text=_file(typed), as_of=dt.date(2024, 1, 1))
    assert "riga 2" in str(caught.value).lower() and "pat" in str(caught.value).lower()
    assert not Injury.objects.exists()


def test_pats_are_shown_in_the_printed_notation(client, site):
    from organisations.templatetags.inail import pat
    from organisations.models import PAT

    assert pat("1234567890") == "12345678/90" and pat("87654321") == "87654321" and pat("") == ""
    assert str(PAT.objects.get(number="1234567890")) == "PAT 12345678/90"
    rep = legal_rep(site.company)
    client.force_login(rep)
    preview = client.post(reverse("indicators_import", args=[site.pk]),
                          {"kind": "injuries", "file": _upload(_file("1234567890"))})
    assert preview.status_code == 200 and "12345678/90" in preview.content.decode()
    client.post(reverse("indicators_import_confirm", args=[site.pk]))
    page = client.get(reverse("indicators_site", args=[site.pk])).content.decode()
    assert "12345678/90" in page and "1234567890" not in page


def _upload(text):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("registro.csv", text.encode(), content_type="text/csv")


def test_the_printed_application_shows_the_pat_as_inail_prints_it():
    from applications import services as app_services
    from applications.pdf import render_application_pdf
    from tests.applications.test_pdf import pdf_text
    from tests.factories import open_campaign

    site = SiteFactory(sector="costruzioni")
    PATFactory(site=site, number="1234567890")
    rep = legal_rep(site.company)
    app = app_services.application_start(user=rep, site=site, campaign=open_campaign())
    assert "N° P.A.T.: 12345678/90" in pdf_text(render_application_pdf(app))
