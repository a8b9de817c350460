"""The hours of a year in the user's language both ways (issue 34, major 3): "125.000" and "125.000,5" in
Italian, "125,000.5" in English; a typed value that is no number stays in the field with its message."""
from decimal import Decimal

import pytest
from django.urls import reverse

from indicators.models import SiteYearHours

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language,typed,stored", [
    ("it", "125.000", Decimal("125000")), ("it", "125.000,5", Decimal("125000.5")), ("it", "12500,5", Decimal("12500.5")),
    ("it", "12500.5", Decimal("12500.5")), ("en", "125,000.5", Decimal("125000.5")), ("en", "12500.5", Decimal("12500.5")),
])
def test_hours_are_taken_as_the_language_writes_them(client, site, rep, language, typed, stored):
    client.force_login(rep)
    client.cookies["django_language"] = language
    response = client.post(reverse("indicators_hours", args=[site.pk]), {"year": "2024", "hours": typed})
    assert response.status_code == 302, response.context["form"].errors
    assert SiteYearHours.objects.get(site=site, year=2024).hours == stored


def test_hours_that_are_no_number_stay_with_their_message(client, site, rep):
    client.force_login(rep)
    response = client.post(reverse("indicators_hours", args=[site.pk]), {"year": "2024", "hours": "tante"})
    assert response.status_code == 200 and response.context["form"].errors["hours"]
    assert 'value="tante"' in response.content.decode()
    assert not SiteYearHours.objects.exists()
