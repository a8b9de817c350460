"""Campaign dates: pure functions, no ORM.

A campaign is a filing year. Applications are filed by the last day of February of the filing year,
moved to the next working day when it falls on a Saturday or Sunday; the interventions they declare
belong to the reference year, the filing year minus one."""
from __future__ import annotations

import calendar
import datetime as dt


def last_day_of_february(year: int) -> dt.date:
    return dt.date(year, 2, 29 if calendar.isleap(year) else 28)


def next_working_day(day: dt.date) -> dt.date:
    while day.weekday() >= 5:  # 5 = Saturday, 6 = Sunday
        day += dt.timedelta(days=1)
    return day


def filing_deadline(filing_year: int) -> dt.date:
    """2026 -> 2 March 2026 (28 Feb is a Saturday); 2027 -> 1 March; 2028 -> 29 February."""
    return next_working_day(last_day_of_february(filing_year))


def reference_year(filing_year: int) -> int:
    return filing_year - 1


def days_left(filing_year: int, today: dt.date) -> int:
    """Days from today to the deadline, the deadline day included as day 0; negative once it has passed."""
    return (filing_deadline(filing_year) - today).days
