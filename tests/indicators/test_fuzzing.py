"""The register's forms fuzzed with hypothesis (as tests/test_form_fuzzing.py does for the others): whatever
is typed or uploaded, never a 500, always a page or a redirect."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from tests.test_form_fuzzing import FUZZ, form_data, junk, logged  # noqa: F401 (logged is a fixture)

pytestmark = pytest.mark.django_db

INJURY = ["event_date", "first_absence", "last_absence", "commuting", "fatal", "disability", "pat", "description"]
csv_cells = st.one_of(junk, st.sampled_from(["si", "sì", "no", "10/03/2023", "2023-03-11", "5", "101", "12.500"]))


@FUZZ
@given(data=form_data(INJURY))
def test_injury_form(logged, data):
    client, app, site, pat = logged
    assert client.post(reverse("indicators_injury_create", args=[site.pk]), data).status_code in (200, 302)


@FUZZ
@given(data=form_data(["year", "hours", "delete"]))
def test_hours_form(logged, data):
    client, app, site, pat = logged
    assert client.post(reverse("indicators_hours", args=[site.pk]), data).status_code in (200, 302)


@FUZZ
@given(kind=st.sampled_from(["injuries", "hours", "x", ""]),
       header=st.sampled_from(["data_evento;primo_giorno_assenza;ultimo_giorno_assenza;in_itinere;mortale;"
                               "invalidita_permanente;pat;descrizione", "anno;ore_lavorate", "", "a,b"]),
       rows=st.lists(st.lists(csv_cells, max_size=9), max_size=5), raw=st.binary(max_size=40))
def test_import(logged, kind, header, rows, raw):
    client, app, site, pat = logged
    text = "\n".join([header, *(";".join(cells) for cells in rows)]).encode("utf-8") + raw
    response = client.post(reverse("indicators_import", args=[site.pk]),
                           {"kind": kind, "file": SimpleUploadedFile("f.csv", text)})
    assert response.status_code == 200
    assert client.post(reverse("indicators_import_confirm", args=[site.pk])).status_code == 302


@FUZZ
@given(data=form_data(["ordine", "page"]), dates=form_data(["dal", "al"]))
def test_portfolio_sort_and_pdf_range(logged, data, dates):
    client, app, site, pat = logged
    assert client.get(reverse("indicators_portfolio"), data).status_code == 200
    assert client.get(reverse("indicators_pdf", args=[site.pk]), dates).status_code == 200
