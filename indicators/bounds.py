"""What the portal stores of the register: the ranges and characters the import's preview, the forms and the
models all check (issue 28, finding 16), so that nothing the database refuses (a NUL byte in PostgreSQL, a
number beyond a column's digits) or nothing that breaks the indices pages reaches a save.

The pure rules (rules.py) and the CSV reader (csvio.py) stay as the `indicators compute` command uses them;
these bounds are the portal's: a productive unit works at most a billion hours a year (some 500,000 people
full time), the register's dates fall within 1900-2100 (the years of the hours), an absence lasts at most
ten years, and no text holds a control character (C0, DEL, C1: NUL, escapes, line breaks in a one-line
field)."""
from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .text import number

MIN_YEAR, MAX_YEAR = 1900, 2100
MIN_DATE, MAX_DATE = dt.date(MIN_YEAR, 1, 1), dt.date(MAX_YEAR, 12, 31)
MAX_HOURS = Decimal(1_000_000_000)
MAX_ABSENCE_DAYS = 3653  # ten years

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def _number(value: int) -> str:
    return number(value, 0)


def shown(text: str) -> str:
    """The text with each control character as "?" (to name it in a message without echoing it)."""
    return _CONTROL.sub("?", text)


def control_problem(text: str) -> str | None:
    if text and _CONTROL.search(text):
        return _("Il testo contiene un carattere di controllo (non stampabile, per esempio il carattere nullo): "
                 "toglierlo.")
    return None


def year_problem(year: int) -> str | None:
    if MIN_YEAR <= year <= MAX_YEAR:
        return None
    return _("L'anno deve essere compreso tra %(min)s e %(max)s.") % {"min": MIN_YEAR, "max": MAX_YEAR}


def hours_problem(hours: Decimal) -> str | None:
    if Decimal(hours) <= MAX_HOURS:
        return None
    return _("Le ore lavorate di un anno non possono superare %(max)s.") % {"max": _number(int(MAX_HOURS))}


def date_problem(day: dt.date) -> str | None:
    if MIN_DATE <= day <= MAX_DATE:
        return None
    return _("La data deve essere compresa tra il %(min)s e il %(max)s.") % {
        "min": MIN_DATE.strftime("%d/%m/%Y"), "max": MAX_DATE.strftime("%d/%m/%Y")}


def absence_problem(first: dt.date | None, last: dt.date | None) -> str | None:
    if first is None or last is None or (last - first).days + 1 <= MAX_ABSENCE_DAYS:
        return None
    return _("L'assenza non può durare più di 10 anni (%(days)s giorni).") % {"days": _number(MAX_ABSENCE_DAYS)}


# Validators of the models' fields (and so of the ModelForms).


def validate_no_control_characters(value: str) -> None:
    problem = control_problem(value)
    if problem:
        raise ValidationError(problem, code="control_character")


def validate_register_date(value: dt.date) -> None:
    problem = date_problem(value)
    if problem:
        raise ValidationError(problem, code="date_range")
