import datetime as dt

import pytest

from applications.campaigns import days_left, filing_deadline, reference_year


@pytest.mark.parametrize(
    "year,deadline",
    [
        (2024, dt.date(2024, 2, 29)),  # Thursday, leap year
        (2025, dt.date(2025, 2, 28)),  # Friday
        (2026, dt.date(2026, 3, 2)),  # 28 Feb is a Saturday
        (2027, dt.date(2027, 3, 1)),  # 28 Feb is a Sunday
        (2028, dt.date(2028, 2, 29)),  # Tuesday, leap year
        (2032, dt.date(2032, 3, 1)),  # 29 Feb 2032 is a Sunday
        (2037, dt.date(2037, 3, 2)),  # Saturday
    ],
)
def test_deadline(year, deadline):
    assert filing_deadline(year) == deadline
    assert filing_deadline(year).weekday() < 5


def test_reference_year_and_days_left():
    assert reference_year(2027) == 2026
    assert days_left(2027, dt.date(2027, 2, 27)) == 2
    assert days_left(2027, dt.date(2027, 3, 1)) == 0
    assert days_left(2027, dt.date(2027, 3, 2)) == -1
