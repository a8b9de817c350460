"""The work-related stress scoring engine: pure Python, no ORM.

From the check-list (stress.checklist) and the answers (one value per item, or one value per compiler),
compute each family's and area's score, the total, the level and its reading note. Area A's answers can
be derived from the period's figures and the previous period's (`area_a_answers`).

The rules (reasons in docs/domain.md, section "Stress assessment"):
- an item's value is the mean of its answers' scores: for a sì/no item, the share of compilers who gave
  the risk answer (0.17, 0.33, 0.83 with six compilers); a single value is a joint answer;
- a family's score is the sum of its items' values rounded up to the next half point (the seed's
  printed family totals are exactly that);
- the home-work interface family enters its area as -1 when its score is 0, as 0 otherwise;
- area A's score (0-40) enters the total as 0, 2 or 5 points by its band; areas B and C enter with their
  score, the sum of their families' points;
- a value above a band's upper bound belongs to the next band up (the printed tables leave gaps, such as
  11 and 27 in area A, and scores move by halves): in doubt, the higher risk.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, fields
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from fractions import Fraction
from typing import Mapping, Sequence

from django.utils.translation import gettext as _

from .checklist import Band, Checklist, Family, Item, Level, as_number


class StressInputError(ValueError):
    """Answers or figures that cannot be scored (unknown item, missing or invalid answer, bad figure)."""


def ceil_half(value: Fraction | int) -> Fraction:
    """Round up to the next half point: 5/3 -> 2, 7/3 -> 5/2, 1/6 -> 1/2."""
    return Fraction(math.ceil(Fraction(value) * 2), 2)


def band_for(bands: Sequence[Band], value) -> Band:
    """The band of `value`: the first whose upper bound is not below it (so a value in a gap between two
    printed bands goes to the higher one); below the first band, the first; above the last, the last."""
    for band in bands:
        if value <= band.end:
            return band
    return bands[-1]


def level_for(checklist: Checklist, total) -> Level:
    """The risk level of a total, by the same reading as `band_for`."""
    for level in checklist.levels:
        if total <= level.end:
            return level
    return checklist.levels[-1]


def item_value(item: Item, answer) -> Fraction:
    """The mean of the answers' scores. `answer` is one value (a joint answer) or a list, one per compiler."""
    answers = list(answer) if isinstance(answer, (list, tuple)) else [answer]
    if not answers:
        raise StressInputError(_("Nessuna risposta per %(id)s.") % {"id": item.id})
    scores = []
    for value in answers:
        choice = item.choice(value) if isinstance(value, str) else None
        if choice is None:
            raise StressInputError(
                _("Risposta non valida per %(id)s: %(value)r (valori ammessi: %(values)s).")
                % {"id": item.id, "value": value, "values": ", ".join(item.values)}
            )
        scores.append(choice.score)
    return Fraction(sum(scores), len(scores))


@dataclass(frozen=True)
class FamilyResult:
    key: str
    title: str
    value: Fraction  # the plain sum of the items' values
    score: Fraction  # rounded up to the next half point
    points: Fraction  # what enters the area: the score, or the interface rule's -1 / 0
    level: str | None  # basso / medio / alto by the family's band table (None without one)


@dataclass(frozen=True)
class AreaResult:
    key: str
    title: str
    score: Fraction  # A: the sum of the indicators (0-40); B, C: the sum of the families' points
    points: Fraction  # what enters the total: A by its band (0, 2, 5); B and C their score
    level: str


@dataclass(frozen=True)
class StressResult:
    items: Mapping[str, Fraction]
    families: Mapping[str, FamilyResult]
    areas: Mapping[str, AreaResult]
    total: Fraction
    level: Level
    compilers: int  # the most answers given to one item (1 for a joint check-list)

    @property
    def note(self) -> str:
        return self.level.note

    def as_dict(self) -> dict:
        """The result as `manage.py stress score` prints it (keys agreed with the scripts)."""
        return {
            "areas": {
                key: {"score": as_number(area.score), "points": as_number(area.points)}
                for key, area in self.areas.items()
            },
            "total": as_number(self.total),
            "level": self.level.level,
        }


def _family_result(family: Family, values: Mapping[str, Fraction]) -> FamilyResult:
    value = sum((values[item.id] for item in family.items), Fraction(0))
    rounded = ceil_half(value)
    if family.has_rule:
        points = Fraction(family.zero_points if rounded == 0 else family.above_zero_points)
    else:
        points = rounded
    level = band_for(family.bands, rounded).level if family.bands else None
    return FamilyResult(family.key, family.title, value, rounded, points, level)


def score(checklist: Checklist, answers: Mapping[str, object]) -> StressResult:
    """Score a complete set of answers: {item id: value or [value, ...]}. Every item must be answered."""
    if not isinstance(answers, Mapping):
        raise StressInputError(_("Le risposte devono essere un oggetto: codice della voce -> risposta."))
    unknown = sorted(str(k) for k in answers if checklist.item(k) is None)
    if unknown:
        raise StressInputError(_("Voce sconosciuta: %(ids)s.") % {"ids": ", ".join(unknown)})
    missing = [item.id for item in checklist.items() if item.id not in answers]
    if missing:
        raise StressInputError(_("Risposte mancanti: %(ids)s.") % {"ids": ", ".join(missing)})

    values = {item.id: item_value(item, answers[item.id]) for item in checklist.items()}
    compilers = max(len(a) if isinstance(a, (list, tuple)) else 1 for a in answers.values())
    families: dict[str, FamilyResult] = {}
    areas: dict[str, AreaResult] = {}
    for area in checklist.areas:
        results = [_family_result(family, values) for family in area.families]
        families.update((r.key, r) for r in results)
        area_score = sum((r.points for r in results), Fraction(0))
        band = band_for(area.bands, area_score)
        points = Fraction(band.points) if band.points is not None else area_score
        areas[area.key] = AreaResult(area.key, area.title, area_score, points, band.level)
    total = sum((a.points for a in areas.values()), Fraction(0))
    return StressResult(values, families, areas, total, level_for(checklist, total), compilers)


# --- Area A from figures -----------------------------------------------------------------------------

CENT = Decimal("0.01")
TRENDS = ("diminuito", "inalterato", "aumentato")


@dataclass(frozen=True)
class PeriodFigures:
    """The figures of one period (usually a calendar year) for area A. The injury indices come from the
    injury register (see `frequency_index` and `severity_index`)."""

    injury_frequency: Decimal | int | float
    injury_severity: Decimal | int | float
    sick_leave_hours: Decimal | int | float  # hours lost to sickness
    absence_hours: Decimal | int | float  # hours lost to every kind of absence
    contractual_hours: Decimal | int | float  # hours workable by contract
    leave_days_due: Decimal | int | float  # days of leave due and accrued
    leave_days_taken: Decimal | int | float
    transfer_requests: int  # requests of internal transfer
    workers: int
    leavers: int
    joiners: int
    disciplinary_proceedings: int
    extraordinary_visits: int  # requests of extraordinary visits to the medico competente
    stress_reports: int  # written reports of work stress by the medico competente
    court_cases_dismissal: int  # court cases for dismissal / demotion
    court_cases_harassment: int  # court cases for sexual harassment


FIGURE_NAMES = {
    "injury_frequency": "indice di frequenza degli infortuni",
    "injury_severity": "indice di gravità degli infortuni",
    "sick_leave_hours": "ore perse per malattia",
    "absence_hours": "ore perse per assenza",
    "contractual_hours": "ore lavorabili da contratto",
    "leave_days_due": "giorni di ferie maturati",
    "leave_days_taken": "giorni di ferie usufruiti",
    "transfer_requests": "richieste di trasferimento",
    "workers": "numero di lavoratori",
    "leavers": "lavoratori usciti",
    "joiners": "lavoratori entrati",
    "disciplinary_proceedings": "procedimenti disciplinari",
    "extraordinary_visits": "richieste di visite straordinarie",
    "stress_reports": "segnalazioni del medico competente",
    "court_cases_dismissal": "istanze giudiziarie per licenziamento / demansionamento",
    "court_cases_harassment": "istanze giudiziarie per molestie sessuali",
}


def _decimal(value, name: str) -> Decimal:
    try:
        number = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        raise StressInputError(_("Valore non numerico per %(name)s: %(value)r.") % {"name": name, "value": value}) from None
    if not number.is_finite():
        raise StressInputError(_("Valore non numerico per %(name)s: %(value)r.") % {"name": name, "value": value})
    if number < 0:
        raise StressInputError(_("Il valore di %(name)s non può essere negativo.") % {"name": name})
    return number


def _index(numerator, hours, multiplier) -> Decimal:
    hours = _decimal(hours, "ore lavorate")
    if hours == 0:
        raise StressInputError(_("Le ore lavorate devono essere maggiori di zero."))
    return (_decimal(numerator, "infortuni") / hours * multiplier).quantize(CENT, rounding=ROUND_HALF_UP)


def frequency_index(injuries, hours_worked) -> Decimal:
    """(injuries / hours worked) x 1,000,000, as the seed writes it."""
    return _index(injuries, hours_worked, 1_000_000)


def severity_index(days_lost, hours_worked) -> Decimal:
    """(days lost / hours worked) x 1,000: per thousand hours, the scale of the injury register
    (indicators.rules.SEVERITY_FACTOR, UNI 7249), so that a year typed and a year from the register compare
    (the check-list prints x 1,000,000; one scale for both years is what matters)."""
    return _index(days_lost, hours_worked, 1_000)


def _percent(part: Decimal, whole: Decimal) -> Decimal:
    return (part / whole * 100).quantize(CENT, rounding=ROUND_HALF_UP)


def indicator_values(figures: PeriodFigures) -> dict[str, Decimal | tuple[Decimal, Decimal]]:
    """Each area A indicator's value for one period, rounded to two decimals as the seed prints them."""
    f = {field.name: _decimal(getattr(figures, field.name), FIGURE_NAMES[field.name]) for field in fields(figures)}
    if f["contractual_hours"] == 0:
        raise StressInputError(_("Le ore contrattuali devono essere maggiori di zero."))
    if f["workers"] == 0:
        raise StressInputError(_("Il numero di lavoratori deve essere maggiore di zero."))
    due = f["leave_days_due"]
    return {
        "injuries": (f["injury_frequency"].quantize(CENT, rounding=ROUND_HALF_UP),
                     f["injury_severity"].quantize(CENT, rounding=ROUND_HALF_UP)),
        "sick_leave": _percent(f["sick_leave_hours"], f["contractual_hours"]),
        "absenteeism": _percent(f["absence_hours"], f["contractual_hours"]),
        "leave_not_taken": _percent(due - f["leave_days_taken"], due) if due else Decimal(0),
        "transfers": _percent(f["transfer_requests"], f["workers"]),
        "turnover": _percent(f["leavers"] + f["joiners"], f["workers"]),
        "disciplinary": f["disciplinary_proceedings"],
        "extraordinary_visits": f["extraordinary_visits"],
        "stress_reports": f["stress_reports"],
        "court_cases": (f["court_cases_dismissal"], f["court_cases_harassment"]),
    }


def _trend(current: Decimal, previous: Decimal) -> str:
    return "aumentato" if current > previous else "diminuito" if current < previous else "inalterato"


def trend(current, previous) -> str:
    """Compare one indicator with the previous period. For a pair (the two injury indices, the two kinds
    of court case) the worse counts: any increase is "aumentato"; otherwise any decrease "diminuito"."""
    if not isinstance(current, tuple):
        return _trend(current, previous)
    trends = {_trend(c, p) for c, p in zip(current, previous)}
    return "aumentato" if "aumentato" in trends else "diminuito" if "diminuito" in trends else "inalterato"


def area_a_answers(checklist: Checklist, *, current: PeriodFigures, previous: PeriodFigures) -> dict[str, str]:
    """Area A's answers ({item id: diminuito / inalterato / aumentato}) from two periods' figures."""
    now, before = indicator_values(current), indicator_values(previous)
    return {item.id: trend(now[item.indicator], before[item.indicator]) for item in checklist.area("A").items()}
