"""Area A figures in the user's language, both ways (issue 34, major 3): "42,02" saved in Italian is shown
as "42,02" when the form is reopened and saving the page as shown keeps every figure; English shows and
takes "42.02"; the injury indices the register can compute are prefilled, editable and say where they
come from."""
import datetime as dt
from decimal import Decimal

import lxml.html
import pytest
from django.urls import reverse

from stress.models import PeriodFigures
from tests.factories import PATFactory, SiteFactory, legal_rep

from .pages import create, figures, post_figures

pytestmark = pytest.mark.django_db


@pytest.fixture
def company_user(client):
    site = SiteFactory()
    PATFactory(site=site)
    rep = legal_rep(site.company)
    client.force_login(rep)
    return site, rep


def _page(client, assessment):
    response = client.get(reverse("stress_figures", args=[assessment.pk]))
    assert response.status_code == 200
    return lxml.html.fromstring(response.content.decode())


def _form_data(doc):
    """What the browser posts back when the user saves the page as shown."""
    return {i.get("name"): i.get("value") or "" for i in doc.xpath("//form[@method='post']//input")
            if i.get("name") and i.get("disabled") is None}


def _input(doc, name):
    (element,) = doc.xpath(f"//input[@name='{name}']")
    return element


def test_italian_decimals_are_shown_and_kept_when_the_form_is_saved_again(client, company_user):
    site, _rep = company_user
    assessment = create(client, site.company)
    y, p = assessment.year, assessment.year - 1
    assert post_figures(client, assessment, figures(injury_frequency="42,02", sick_leave_hours="320,50",
                                                    contractual_hours="1.234,5"), figures()).status_code == 302
    row = PeriodFigures.objects.get(assessment=assessment, year=y)
    assert (row.injury_frequency, row.sick_leave_hours, row.contractual_hours) == (
        Decimal("42.02"), Decimal("320.50"), Decimal("1234.50"))
    doc = _page(client, assessment)
    field = _input(doc, f"y{y}-injury_frequency")
    assert field.get("value") == "42,02" and field.get("type") == "text" and field.get("inputmode") == "decimal"
    assert _input(doc, f"y{y}-sick_leave_hours").get("value") == "320,50"
    assert _input(doc, f"y{y}-contractual_hours").get("value") == "1.234,50"
    assert _input(doc, f"y{p}-injury_frequency").get("value") == "20,00"
    # Saving the page as shown asks for nothing again and changes nothing.
    response = client.post(reverse("stress_figures", args=[assessment.pk]), _form_data(doc))
    assert response.status_code == 302, response.content.decode()[:2000]
    row.refresh_from_db()
    assert (row.injury_frequency, row.sick_leave_hours, row.contractual_hours) == (
        Decimal("42.02"), Decimal("320.50"), Decimal("1234.50"))


def test_english_shows_and_takes_its_own_separators(client, company_user):
    site, _rep = company_user
    assessment = create(client, site.company)
    client.cookies["django_language"] = "en"
    y = assessment.year
    assert post_figures(client, assessment, figures(injury_frequency="42.02", contractual_hours="1,234.5"),
                        figures()).status_code == 302
    row = PeriodFigures.objects.get(assessment=assessment, year=y)
    assert (row.injury_frequency, row.contractual_hours) == (Decimal("42.02"), Decimal("1234.50"))
    doc = _page(client, assessment)
    assert _input(doc, f"y{y}-injury_frequency").get("value") == "42.02"
    assert _input(doc, f"y{y}-contractual_hours").get("value") == "1,234.50"
    assert client.post(reverse("stress_figures", args=[assessment.pk]), _form_data(doc)).status_code == 302


def test_a_number_that_is_not_one_is_refused_next_to_its_field(client, company_user):
    site, _rep = company_user
    assessment = create(client, site.company)
    response = post_figures(client, assessment, figures(sick_leave_hours="tre"), figures())
    assert response.status_code == 200
    doc = lxml.html.fromstring(response.content.decode())
    assert _input(doc, f"y{assessment.year}-sick_leave_hours").get("value") == "tre"  # nothing lost
    assert doc.xpath(f"//*[@id='err-y{assessment.year}-sick_leave_hours']")


def test_register_indices_are_prefilled_editable_and_say_so(client, company_user):
    from indicators.models import Injury, SiteYearHours

    site, _rep = company_user
    SiteYearHours.objects.create(site=site, year=2023, hours=Decimal(100000))
    Injury.objects.create(site=site, event_date=dt.date(2023, 3, 1), first_absence=dt.date(2023, 3, 1),
                          last_absence=dt.date(2023, 3, 20))  # IF 10.00, IG 0.20 in 2023
    assessment = create(client, site.company)  # year 2024, compared with 2023
    doc = _page(client, assessment)
    field = _input(doc, "y2023-injury_frequency")
    assert field.get("value") == "10,00" and field.get("disabled") is None
    assert _input(doc, "y2023-injury_severity").get("value") == "0,20"
    assert _input(doc, "y2024-injury_frequency").get("value") in (None, "")  # no hours for 2024: typed
    text = " ".join(doc.text_content().split())
    assert "Dal registro infortuni: 10,00" in text
    data = _form_data(doc)
    data.update({f"y2024-{k}": v for k, v in figures().items()})
    data.update({f"y2023-{k}": v for k, v in figures().items() if not k.startswith("injury_")})
    assert client.post(reverse("stress_figures", args=[assessment.pk]), data).status_code == 302
    row = PeriodFigures.objects.get(assessment=assessment, year=2023)
    assert (row.injury_frequency, row.injury_severity, row.indices_from_register) == (
        Decimal("10.00"), Decimal("0.20"), True)
    # Editable: a corrected figure is kept, and no longer counts as the register's.
    data["y2023-injury_frequency"] = "12,5"
    assert client.post(reverse("stress_figures", args=[assessment.pk]), data).status_code == 302
    row.refresh_from_db()
    assert (row.injury_frequency, row.indices_from_register) == (Decimal("12.50"), False)
    text = " ".join(_page(client, assessment).text_content().split())
    assert "Dal registro infortuni: 10,00" in text
