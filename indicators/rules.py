"""The injury register and the safety indices (issue 19; seed 004 "Progetto sicurezza Obiettivo Zero").

Pure Python, no ORM: from a unit's injuries (plain data) and its hours worked per year, compute for each
year the indices the seed ranks units by. The command, and later the pages, all call `compute()`.

The rules:
- an injury counts unless it happened in itinere (a death while commuting included), or its whole absence
  (across years; up to the as-of date while the worker is still absent) lasts 3 days or less. A death at
  work always counts;
- IF (indice di frequenza) = counted injuries whose event falls in the year * 1,000,000 / hours of the year;
- IG (indice di gravità) = days of absence inside the calendar year, from every counted injury whatever
  its year, * 1,000 / hours of the year (seed 004 and UNI 7249 use 1,000; seed 003 prints 1,000,000);
- IG UNI 7249 adds, in the year of the event, 75 conventional days per point of permanent disability
  or 7,500 for a death (both figures from the UNI 7249 standard, not from seed 004);
- Obiettivo Zero: IF = 0 and no day of absence in the year;
- reduction: IF compared with the previous calendar year, none when that IF is 0 or unknown;
- a fatal injury in the unit (not in itinere) during the year excludes the unit from the rankings.
README.md (section "Injury indices") explains every choice.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Iterable, Mapping, Sequence

from .text import _, gettext_noop

FREQUENCY_FACTOR = Decimal(1_000_000)
SEVERITY_FACTOR = Decimal(1_000)  # seed 004 and UNI 7249; seed 003's 1,000,000 is not used
SHORT_ABSENCE_MAX_DAYS = 3  # "assenza pari o inferiore a 3 giorni" does not count
UNI_DAYS_PER_POINT = 75  # UNI 7249: conventional days per point of permanent disability
UNI_DAYS_DEATH = 7_500  # UNI 7249: conventional days for a death

REASON_COMMUTING = "in_itinere"
REASON_SHORT = "assenza_breve"
REASON_LABELS: dict[str, str] = {
    REASON_COMMUTING: gettext_noop("Infortunio in itinere"),
    REASON_SHORT: gettext_noop("Assenza di 3 giorni o meno"),
}

CENT = Decimal("0.01")


class IndicatorInputError(ValueError):
    """Input the indices cannot be computed from. The message is one Italian line."""


def reason_label(code: str) -> str:
    return _(REASON_LABELS[code])


def round2(value: Decimal) -> Decimal:
    """Two decimals, half away from zero (0.125 -> 0.13), as the indices are printed."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def it_date(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def overlap_days(first: date, last: date, year: int) -> int:
    """Days of [first, last] (both inclusive) that fall inside the calendar year."""
    start = max(first, date(year, 1, 1))
    end = min(last, date(year, 12, 31))
    return max(0, (end - start).days + 1)


def disability_problem(points: int) -> str | None:
    if 0 <= points <= 100:
        return None
    return _("L'invalidità permanente va da 0 a 100 punti (indicati: %(points)s).") % {"points": points}


@dataclass(frozen=True)
class Injury:
    """One row of the register. `first_absence` None: no absence at all. `last_absence` None with a first
    day: the worker is still absent (days are counted up to the as-of date). `disability`: points of
    permanent disability (0-100). `ref` identifies the row for the caller (e.g. its spreadsheet row)."""

    event_date: date
    first_absence: date | None
    last_absence: date | None = None
    commuting: bool = False  # in itinere
    fatal: bool = False
    disability: int = 0
    ref: object = field(default=None, compare=False)

    def problems(self, as_of: date | None = None) -> list[tuple[str, str]]:
        """(field name, Italian one-line message) for every inconsistency; empty when valid."""
        found = []
        if as_of is not None and self.event_date > as_of:
            found.append(("event_date", _(
                "La data dell'evento (%(event)s) è successiva alla data di riferimento (%(as_of)s)."
            ) % {"event": it_date(self.event_date), "as_of": it_date(as_of)}))
        if self.first_absence is not None and self.first_absence < self.event_date:
            found.append(("first_absence", _(
                "Il primo giorno di assenza (%(first)s) è precedente alla data dell'evento (%(event)s)."
            ) % {"first": it_date(self.first_absence), "event": it_date(self.event_date)}))
        if self.first_absence is None and self.last_absence is not None:
            found.append(("last_absence", _("Indicato l'ultimo giorno di assenza senza il primo.")))
        elif self.first_absence is not None and self.last_absence is not None:
            if self.last_absence < self.first_absence:
                found.append(("last_absence", _(
                    "L'ultimo giorno di assenza (%(last)s) è precedente al primo (%(first)s)."
                ) % {"last": it_date(self.last_absence), "first": it_date(self.first_absence)}))
        elif self.first_absence is not None and self.fatal:
            found.append(("last_absence", _(
                "Per un infortunio mortale con assenza indicare l'ultimo giorno di assenza."
            )))
        disability = disability_problem(self.disability)
        if disability:
            found.append(("disability", disability))
        return found

    def check(self, as_of: date | None = None) -> None:
        problems = self.problems(as_of)
        if problems:
            raise IndicatorInputError(problems[0][1])

    def absence_end(self, as_of: date) -> date | None:
        """The last day of absence, or the as-of date while still absent; None without absence."""
        if self.first_absence is None:
            return None
        return self.last_absence if self.last_absence is not None else as_of

    def total_days(self, as_of: date) -> int:
        end = self.absence_end(as_of)
        if end is None:
            return 0
        return max(0, (end - self.first_absence).days + 1)

    def days_in_year(self, year: int, as_of: date) -> int:
        end = self.absence_end(as_of)
        if end is None:
            return 0
        return overlap_days(self.first_absence, end, year)

    @property
    def conventional_days(self) -> int:
        """UNI 7249: 7,500 for a death (the disability is then not added), else 75 per point."""
        return UNI_DAYS_DEATH if self.fatal else UNI_DAYS_PER_POINT * self.disability


@dataclass(frozen=True)
class Assessment:
    counted: bool
    reason: str | None  # REASON_* when not counted


def assess(injury: Injury, as_of: date) -> Assessment:
    """Does the injury enter the indices? In itinere is checked first: seed 004 excludes every injury in
    itinere, deaths included; only a death at work always counts, whatever its absence."""
    if injury.commuting:
        return Assessment(False, REASON_COMMUTING)
    if injury.fatal:
        return Assessment(True, None)
    if injury.total_days(as_of) <= SHORT_ABSENCE_MAX_DAYS:
        return Assessment(False, REASON_SHORT)
    return Assessment(True, None)


@dataclass(frozen=True)
class Exclusion:
    injury: Injury
    reason: str

    @property
    def label(self) -> str:
        return reason_label(self.reason)


@dataclass(frozen=True)
class YearIndicators:
    year: int
    hours: Decimal
    injuries: int  # counted injuries whose event falls in the year
    excluded: tuple[Exclusion, ...]  # excluded injuries whose event falls in the year, in input order
    days: int  # days of absence inside the year, from every counted injury
    conventional_days: int  # UNI 7249 days of the counted injuries whose event falls in the year
    fatal: bool  # a fatal injury in the unit (not in itinere) whose event falls in the year
    previous_frequency: Decimal | None = None  # IF of the previous calendar year, when given

    @property
    def frequency(self) -> Decimal:
        return Decimal(self.injuries) * FREQUENCY_FACTOR / self.hours

    @property
    def severity(self) -> Decimal:
        return Decimal(self.days) * SEVERITY_FACTOR / self.hours

    @property
    def severity_uni(self) -> Decimal:
        return Decimal(self.days + self.conventional_days) * SEVERITY_FACTOR / self.hours

    @property
    def obiettivo_zero(self) -> bool:
        return self.injuries == 0 and self.days == 0

    @property
    def reduction_pct(self) -> Decimal | None:
        """Percent reduction of IF from the previous year (negative when it grew)."""
        if not self.previous_frequency:
            return None
        return (self.previous_frequency - self.frequency) * 100 / self.previous_frequency

    @property
    def mean_duration(self) -> Decimal | None:
        """Days of absence inside the year / counted injuries of the year; None without injuries."""
        if not self.injuries:
            return None
        return Decimal(self.days) / Decimal(self.injuries)

    def as_dict(self) -> dict:
        """The command's JSON entry: indices rounded half-up to 2 decimals, as numbers."""
        reduction = self.reduction_pct
        return {
            "year": self.year,
            "hours": int(self.hours) if self.hours == self.hours.to_integral_value() else float(self.hours),
            "injuries": self.injuries,
            "excluded": len(self.excluded),
            "days": self.days,
            "frequency": float(round2(self.frequency)),
            "severity": float(round2(self.severity)),
            "severity_uni": float(round2(self.severity_uni)),
            "obiettivo_zero": self.obiettivo_zero,
            "reduction_pct": None if reduction is None else float(round2(reduction)),
            "fatal": self.fatal,
        }


# --- events: the register of issue 33 ------------------------------------------------------------------
# The register records events, not only injuries (seed 002, section C, interventions 5 and 6, footnote 17:
# an incident includes events with no injury). Only the injuries of the company's own staff enter the indices.

KIND_INJURY = "infortunio"
KIND_INCIDENT = "incidente"  # incident without injury
KIND_NEAR_MISS = "quasi_infortunio"
KIND_DANGEROUS = "situazione_pericolosa"
EVENT_KINDS: dict[str, str] = {
    KIND_INJURY: gettext_noop("Infortunio"),
    KIND_INCIDENT: gettext_noop("Incidente senza infortunio"),
    KIND_NEAR_MISS: gettext_noop("Quasi-infortunio"),
    KIND_DANGEROUS: gettext_noop("Situazione pericolosa"),
}
PARTY_OWN = "personale_proprio"
PARTY_CONTRACTOR = "appaltatore"
PARTY_SUBCONTRACTOR = "subappaltatore"
EVENT_PARTIES: dict[str, str] = {
    PARTY_OWN: gettext_noop("Personale dell'azienda"),
    PARTY_CONTRACTOR: gettext_noop("Impresa appaltatrice"),
    PARTY_SUBCONTRACTOR: gettext_noop("Impresa subappaltatrice"),
}


def enters_indices(kind: str, party: str) -> bool:
    """IF and IG count the injuries of the company's own staff only (seed 004); near misses, incidents
    without injury, dangerous situations and contractors' events are in the register, not in the indices."""
    return kind == KIND_INJURY and party == PARTY_OWN


def is_contractor(party: str) -> bool:
    return party in (PARTY_CONTRACTOR, PARTY_SUBCONTRACTOR)


def event_problems(kind: str, party: str, contractor: str, *, first_absence: date | None, fatal: bool,
                   disability: int, commuting: bool = False) -> list[tuple[str, str]]:
    """(field name, Italian one-line message) for what does not fit the kind of event or who was involved."""
    found = []
    if kind not in EVENT_KINDS:
        found.append(("kind", _("Tipo di evento non valido.")))
    if party not in EVENT_PARTIES:
        found.append(("party", _("Indicare chi è stato coinvolto: personale dell'azienda, impresa appaltatrice "
                                 "o subappaltatrice.")))
    elif is_contractor(party) and not (contractor or "").strip():
        found.append(("contractor", _("Indicare la ragione sociale dell'impresa appaltatrice o subappaltatrice.")))
    elif party == PARTY_OWN and (contractor or "").strip():
        found.append(("contractor", _("L'impresa si indica solo per un evento di un appaltatore o subappaltatore.")))
    if kind in EVENT_KINDS and kind != KIND_INJURY:
        if first_absence is not None:
            found.append(("first_absence", _("Un evento senza infortunio non ha giorni di assenza.")))
        if fatal:
            found.append(("fatal", _("Un evento senza infortunio non può essere mortale.")))
        if disability:
            found.append(("disability", _("Un evento senza infortunio non ha invalidità permanente.")))
        if commuting:
            found.append(("commuting", _("In itinere si indica solo per un infortunio.")))
    return found


def check_hours(year: int, hours: Decimal) -> Decimal:
    hours = Decimal(hours)
    if not hours.is_finite() or hours <= 0:
        raise IndicatorInputError(
            _("Le ore lavorate del %(year)s devono essere maggiori di zero.") % {"year": year}
        )
    return hours


def _hours_list(hours: Mapping[int, Decimal] | Sequence[tuple[int, Decimal]]) -> list[tuple[int, Decimal]]:
    pairs = list(hours.items()) if isinstance(hours, Mapping) else list(hours)
    seen: set[int] = set()
    checked = []
    for year, value in pairs:
        if year in seen:
            raise IndicatorInputError(_("Ore lavorate indicate due volte per il %(year)s.") % {"year": year})
        seen.add(year)
        checked.append((year, check_hours(year, value)))
    return checked


def compute(
    injuries: Iterable[Injury],
    hours: Mapping[int, Decimal] | Sequence[tuple[int, Decimal]],
    *,
    as_of: date,
) -> tuple[YearIndicators, ...]:
    """One YearIndicators per year with hours, in the order given. The result never depends on the
    order of the injuries (sums of integers, one division per index)."""
    injuries = list(injuries)
    for injury in injuries:
        injury.check(as_of)
    years = _hours_list(hours)
    assessed = [(injury, assess(injury, as_of)) for injury in injuries]

    partial: dict[int, YearIndicators] = {}
    for year, year_hours in years:
        of_year = [(i, a) for i, a in assessed if i.event_date.year == year]
        counted_of_year = [i for i, a in of_year if a.counted]
        partial[year] = YearIndicators(
            year=year,
            hours=year_hours,
            injuries=len(counted_of_year),
            excluded=tuple(Exclusion(i, a.reason) for i, a in of_year if not a.counted),
            days=sum(i.days_in_year(year, as_of) for i, a in assessed if a.counted),
            conventional_days=sum(i.conventional_days for i in counted_of_year),
            fatal=any(i.fatal and not i.commuting for i, _a in of_year),
        )
    results = []
    for year, _hours in years:
        previous = partial.get(year - 1)
        result = partial[year]
        if previous is not None:
            result = replace(result, previous_frequency=previous.frequency)
        results.append(result)
    return tuple(results)

