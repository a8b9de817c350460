"""Issue 28, finding 16: a NUL byte in a CSV field, or hours of 1e29, passed the preview and then answered
500 (PostgreSQL), or broke every indices page until the row was deleted by hand (SQLite).

The preview validates ranges and characters, cell by cell (row and column), before anything is kept; the
manual forms apply the same bounds (model and form validators): hours within a site's reach, years and
dates within 1900-2100, absences within ten years, no control character in any text. Run on PostgreSQL
(scripts/with-postgres.sh): the NUL byte only fails there."""
import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from indicators import services
from indicators.models import Injury, SiteYearHours


from .test_pages import HOURS, import_file

pytestmark = pytest.mark.django_db

HEADER = "data_evento;primo_giorno_assenza;ultimo_giorno_assenza;in_itinere;mortale;invalidita_permanente;descrizione\n"


def preview_then_confirm(client, site, kind, text):
    preview = import_file(client, site, kind, text)
    confirm = client.post(reverse("indicators_import_confirm", args=[site.pk]))
    return preview, confirm


def pages_answer(client, site):
    for name in ("indicators_site", "indicators_hours", "indicators_pdf", "indicators_export"):
        assert client.get(reverse(name, args=[site.pk])).status_code == 200, name
    assert client.get(reverse("indicators_company", args=[site.company.pk])).status_code == 200
    assert client.get(reverse("indicators_portfolio")).status_code == 200


@pytest.mark.parametrize("cell,column", [
    ("Caduta\x00dalla scala", "descrizione"),  # PostgreSQL refuses NUL in text: the confirmation answered 500
    ("Caduta\x1b[31m", "descrizione"),  # a terminal escape
    ("Caduta\x07", "descrizione"),
])
def test_control_characters_in_a_cell_are_refused_in_the_preview(client, site, rep, cell, column):
    client.force_login(rep)
    text = HEADER + f"10/03/2023;11/03/2023;20/03/2023;no;no;0;{cell}\n"
    preview, confirm = preview_then_confirm(client, site, "injuries", text)
    body = preview.content.decode()
    assert preview.status_code == 200
    assert f"Riga 2, colonna {column}" in body and "carattere di controllo" in body
    assert "Conferma importazione" not in body
    assert confirm.status_code == 302 and not Injury.objects.exists()
    pages_answer(client, site)


def test_a_nul_byte_in_any_cell_is_refused(client, site, rep):
    client.force_login(rep)
    text = HEADER.rstrip("\n") + ";pat;riferimento\n" + "10/03/2023\x00;11/03/2023;20/03/2023;no;no;0;x;12345678\x00;R\x00\n"
    body = import_file(client, site, "injuries", text).content.decode()
    for column in ("data_evento", "pat", "riferimento"):
        assert f"Riga 2, colonna {column}" in body
    assert "\x00" not in body  # the value is not echoed back
    with pytest.raises(Exception):
        services.import_rows(user=rep, site=site, kind="injuries", text=text)
    assert not Injury.objects.exists()


@pytest.mark.parametrize("hours", ["100000000000000000000000000000", "1000000001", "99999999999999,99"])
def test_hours_beyond_any_site_are_refused_in_the_preview(client, site, rep, hours):
    client.force_login(rep)
    preview, confirm = preview_then_confirm(client, site, "hours", f"anno;ore_lavorate\n2024;{hours}\n")
    body = preview.content.decode()
    assert "Riga 2, colonna ore_lavorate" in body and "Conferma importazione" not in body
    assert confirm.status_code == 302 and not SiteYearHours.objects.exists()
    pages_answer(client, site)


@pytest.mark.parametrize("year", ["0000", "0001", "1899", "2101", "9999"])
def test_years_outside_1900_2100_are_refused_in_the_preview(client, site, rep, year):
    client.force_login(rep)
    preview, confirm = preview_then_confirm(client, site, "hours", f"anno;ore_lavorate\n{year};1000\n")
    body = preview.content.decode()
    assert "Riga 2, colonna anno" in body and "Conferma importazione" not in body
    assert not SiteYearHours.objects.exists()
    pages_answer(client, site)


def test_a_site_of_a_billion_hours_is_accepted(client, site, rep):
    client.force_login(rep)
    preview_then_confirm(client, site, "hours", "anno;ore_lavorate\n2024;1000000000\n")
    assert SiteYearHours.objects.get().hours == Decimal(1_000_000_000)


@pytest.mark.parametrize("row,column", [
    ("01/01/0001;;;no;no;0;x", "data_evento"),
    ("10/03/1850;;;no;no;0;x", "data_evento"),
    ("10/03/2023;11/03/2023;31/12/9999;no;no;0;x", "ultimo_giorno_assenza"),  # 2.9 million days of absence
    ("10/03/2010;11/03/2010;20/03/2021;no;no;0;x", "ultimo_giorno_assenza"),  # eleven years
    ("10/03/2023;10/03/2023;;no;no;" + "9" * 5000 + ";x", "invalidita_permanente"),  # beyond int()'s digits
])
def test_dates_absences_and_points_out_of_range_are_refused_in_the_preview(client, site, rep, row, column):
    client.force_login(rep)
    SiteYearHours.objects.create(site=site, year=2023, hours=1000)
    preview, confirm = preview_then_confirm(client, site, "injuries", HEADER + row + "\n")
    body = preview.content.decode()
    assert preview.status_code == 200
    assert f"Riga 2, colonna {column}" in body and "Conferma importazione" not in body
    assert not Injury.objects.exists()
    pages_answer(client, site)


def test_the_same_bounds_on_the_manual_forms(client, site, rep):
    client.force_login(rep)
    create = reverse("indicators_injury_create", args=[site.pk])
    base = {"event_date": "2023-03-10", "first_absence": "2023-03-11", "last_absence": "2023-03-20",
            "disability": "0", "description": "Urto"}
    for field, value in (("description", "Urto\x1b[2J"), ("description", "Urto\x00"), ("reference", "R\x07"),
                         ("event_date", "0001-01-01"), ("last_absence", "9999-12-31"),
                         ("disability", "9" * 5000)):
        response = client.post(create, {**base, field: value})
        assert response.status_code == 200, (field, value)
        assert response.context["form"].errors.get(field), (field, value)
    assert not Injury.objects.exists()
    hours = reverse("indicators_hours", args=[site.pk])
    for value in ("100000000000000000000000000000", "1000000001", "1e29"):
        response = client.post(hours, {"year": "2024", "hours": value})
        assert response.status_code == 200 and response.context["form"].errors.get("hours"), value
    assert not SiteYearHours.objects.exists()
    assert client.post(create, base).status_code == 302  # and a sound row still goes in
    assert client.post(hours, {"year": "2024", "hours": "125000"}).status_code == 302
    pages_answer(client, site)


def test_the_model_validators_hold_the_same_bounds(site):
    from django.core.exceptions import ValidationError

    for bad in (Injury(site=site, event_date=dt.date(2023, 3, 10), description="a\x00b"),
                Injury(site=site, event_date=dt.date(1, 1, 1)),
                Injury(site=site, event_date=dt.date(2023, 3, 10), first_absence=dt.date(2023, 3, 10),
                       last_absence=dt.date(9999, 12, 31)),
                SiteYearHours(site=site, year=2024, hours=Decimal("1e11"))):
        with pytest.raises(ValidationError):
            bad.full_clean()


def test_stress_figures_have_bounds_too(client, site, rep):
    """The area A figures of a stress assessment: workers, hours, days and counts within reason."""
    from stress.models import Assessment
    from tests.stress.pages import figures, post_figures

    assessment = Assessment.objects.create(company=site.company, date=dt.date(2025, 1, 15), year=2024,
                                           created_by=rep)
    client.force_login(rep)
    for field, value in (("workers", "3000000000"), ("workers", "1000001"), ("leavers", "99999999999"),
                         ("contractual_hours", "1e29"), ("contractual_hours", "1000000001"),
                         ("injury_frequency", "1e29"), ("leave_days_due", "1e29")):
        response = post_figures(client, assessment, figures(**{field: value}), figures())
        assert response.status_code == 200, (field, value)
        assert response.context["forms"][0].errors.get(field), (field, value)
    assert not assessment.figures.exists()
    assert post_figures(client, assessment, figures(), figures()).status_code == 302


def test_a_control_character_in_the_header_or_in_an_hours_cell(client, site, rep):
    client.force_login(rep)
    body = import_file(client, site, "injuries", HEADER.replace("descrizione", "descri\x00zione")
                       + "10/03/2023;11/03/2023;20/03/2023;no;no;0;x\n").content.decode()
    assert "Riga 1:" in body and "carattere di controllo" in body and "\x00" not in body
    body = import_file(client, site, "hours", HOURS.replace("125000", "125\x00000")).content.decode()
    assert "Riga 3, colonna ore_lavorate" in body and "\x00" not in body
    assert "Conferma importazione" not in body
