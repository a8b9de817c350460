"""Issue 34 (English): the indices and the hours on the register's pages and in its chart are written in the
page's language through Django's localisation: a decimal point and comma-grouped thousands in English, a
decimal comma and dot-grouped thousands in Italian."""
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from indicators.chart import ChartPoint

from .test_chart import chart_svg
from indicators.text import number

from .test_pages import fill_register

pytestmark = pytest.mark.django_db


def test_the_site_page_writes_the_indices_with_a_decimal_point_in_english(client, site, rep):
    fill_register(site, rep)
    client.force_login(rep)
    client.cookies["django_language"] = "en"
    body = client.get(reverse("indicators_site", args=[site.pk])).content.decode()
    assert "10.00" in body and "10,00" not in body  # IF 2023, in the table and in the chart
    assert "100,000" in body and "100.000" not in body  # the hours worked in 2023


def test_the_portfolio_writes_the_indices_in_the_pages_language(client, site, rep):
    fill_register(site, rep)
    client.force_login(rep)
    client.cookies["django_language"] = "en"
    english = client.get(reverse("indicators_portfolio")).content.decode()
    assert re.search(r'class="text-end">\d+\.\d\d<', english) and not re.search(r'class="text-end">\d+,\d\d<', english)
    client.cookies["django_language"] = "it"
    italian = client.get(reverse("indicators_portfolio")).content.decode()
    assert re.search(r'class="text-end">\d+,\d\d<', italian) and not re.search(r'class="text-end">\d+\.\d\d<', italian)


def test_the_chart_and_the_numbers_follow_the_active_language():
    with translation.override("en"):
        svg = chart_svg([ChartPoint(2024, Decimal("1234.5"), Decimal("166.666"))])
        assert "1,234.50" in svg and "166.67" in svg and "1.234,50" not in svg
        assert number(1_000_000_000, 0) == "1,000,000,000"
    with translation.override("it"):
        assert "1.234,50" in chart_svg([ChartPoint(2024, Decimal("1234.5"), Decimal("166.666"))])
        assert number(1_000_000_000, 0) == "1.000.000.000"
