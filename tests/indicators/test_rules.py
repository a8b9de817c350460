"""The injury register rules (issue 19, seed 004 "Obiettivo Zero"): which injuries count, IF, IG, IG UNI 7249,
Obiettivo Zero, reduction, fatal flag, mean duration. Pure: no database."""
import os
import subprocess
import sys
from datetime import date as d
from decimal import Decimal
from pathlib import Path

import pytest

from indicators import rules
from indicators.rules import Injury, IndicatorInputError, compute

AS_OF = d(2025, 6, 30)


def one_year(injuries, year=2024, hours=100_000, as_of=AS_OF):
    (result,) = compute(injuries, {year: Decimal(hours)}, as_of=as_of)
    return result


# --- Which injuries count -------------------------------------------------------------------------

@pytest.mark.parametrize(
    "injury,counted,reason",
    [
        # 4 days of absence: counts.
        (Injury(d(2024, 3, 1), d(2024, 3, 1), d(2024, 3, 4)), True, None),
        # exactly 3 days (first and last inclusive): excluded.
        (Injury(d(2024, 3, 1), d(2024, 3, 2), d(2024, 3, 4)), False, rules.REASON_SHORT),
        # one day: excluded.
        (Injury(d(2024, 3, 1), d(2024, 3, 1), d(2024, 3, 1)), False, rules.REASON_SHORT),
        # no absence at all: excluded.
        (Injury(d(2024, 3, 1), None, None), False, rules.REASON_SHORT),
        # in itinere, long absence: excluded.
        (Injury(d(2024, 3, 1), d(2024, 3, 1), d(2024, 5, 1), commuting=True), False, rules.REASON_COMMUTING),
        # in itinere and short: the in-itinere reason comes first.
        (Injury(d(2024, 3, 1), d(2024, 3, 1), d(2024, 3, 2), commuting=True), False, rules.REASON_COMMUTING),
        # fatal with no absence: always counts.
        (Injury(d(2024, 3, 1), None, None, fatal=True), True, None),
        # fatal after 2 days: always counts.
        (Injury(d(2024, 3, 1), d(2024, 3, 1), d(2024, 3, 2), fatal=True), True, None),
        # fatal in itinere: seed 004 excludes every injury in itinere; only a death at work always counts.
        (Injury(d(2024, 3, 1), None, None, commuting=True, fatal=True), False, rules.REASON_COMMUTING),
        # fatal in itinere after a long absence: still excluded.
        (Injury(d(2024, 3, 1), d(2024, 3, 1), d(2024, 4, 30), commuting=True, fatal=True), False,
         rules.REASON_COMMUTING),
        # 2 days in 2023 + 2 days in 2024 = 4 days across years: counts.
        (Injury(d(2023, 12, 30), d(2023, 12, 30), d(2024, 1, 2)), True, None),
        # still open: absence so far up to the as-of date (30/06/2025): counts.
        (Injury(d(2025, 6, 20), d(2025, 6, 20), None), True, None),
        # still open, 3 days so far (28, 29, 30 June): excluded for now.
        (Injury(d(2025, 6, 28), d(2025, 6, 28), None), False, rules.REASON_SHORT),
    ],
)
def test_which_injuries_count(injury, counted, reason):
    assessment = rules.assess(injury, as_of=AS_OF)
    assert assessment.counted is counted
    assert assessment.reason == reason


def test_reason_labels_are_italian():
    assert rules.reason_label(rules.REASON_COMMUTING) == "Infortunio in itinere"
    assert rules.reason_label(rules.REASON_SHORT) == "Assenza di 3 giorni o meno"


def test_total_days_across_years_and_open():
    assert Injury(d(2023, 12, 30), d(2023, 12, 30), d(2024, 1, 2)).total_days(AS_OF) == 4
    assert Injury(d(2025, 6, 20), d(2025, 6, 20), None).total_days(AS_OF) == 11
    assert Injury(d(2024, 2, 1), None, None).total_days(AS_OF) == 0


# --- IF, IG, IG UNI --------------------------------------------------------------------------------

def test_frequency_counts_events_of_the_year_only():
    injuries = [
        Injury(d(2024, 1, 10), d(2024, 1, 10), d(2024, 1, 19)),  # 10 days, counts
        Injury(d(2024, 5, 10), d(2024, 5, 10), d(2024, 5, 11)),  # 2 days, excluded
        Injury(d(2024, 6, 10), d(2024, 6, 10), d(2024, 7, 9), commuting=True),  # excluded
        Injury(d(2023, 12, 1), d(2023, 12, 1), d(2024, 1, 5)),  # event in 2023: not in 2024's IF
    ]
    r = one_year(injuries, hours=200_000)
    assert r.injuries == 1
    assert [e.reason for e in r.excluded] == [rules.REASON_SHORT, rules.REASON_COMMUTING]
    assert r.frequency == Decimal(5)  # 1 * 1,000,000 / 200,000
    # IG: 10 days (January) + 5 days (1-5 January of the 2023 injury) = 15 -> 15 * 1,000 / 200,000
    assert r.days == 15
    assert r.severity == Decimal("0.075")


def test_injury_spanning_31_december_splits_its_days():
    # 20/12/2023 -> 10/01/2024: 12 days in 2023 (20..31 December), 10 days in 2024.
    injury = Injury(d(2023, 12, 20), d(2023, 12, 20), d(2024, 1, 10))
    y2023, y2024 = compute([injury], {2023: Decimal(100_000), 2024: Decimal(100_000)}, as_of=AS_OF)
    assert (y2023.days, y2024.days) == (12, 10)
    assert (y2023.injuries, y2024.injuries) == (1, 0)
    assert y2024.frequency == 0 and y2024.severity == Decimal("0.1")
    assert y2024.obiettivo_zero is False  # IF = 0 but days of absence in the year


def test_open_injury_counts_up_to_as_of_and_up_to_31_december():
    injury = Injury(d(2024, 12, 1), d(2024, 12, 2), None)  # still absent on 30/06/2025
    y2024, y2025 = compute([injury], {2024: Decimal(100_000), 2025: Decimal(50_000)}, as_of=AS_OF)
    assert y2024.days == 30  # 2..31 December
    assert y2025.days == 181  # 1 January .. 30 June 2025
    assert y2025.severity == Decimal(181) * 1000 / 50_000


def test_severity_uses_1000_not_1000000():
    r = one_year([Injury(d(2024, 3, 1), d(2024, 3, 1), d(2024, 3, 10))], hours=10_000)
    assert r.severity == Decimal(1)  # 10 days * 1,000 / 10,000
    assert rules.SEVERITY_FACTOR == 1000 and rules.FREQUENCY_FACTOR == 1_000_000


def test_severity_uni_adds_conventional_days_to_the_year_of_the_event():
    disabled = Injury(d(2023, 12, 21), d(2023, 12, 21), d(2024, 1, 9), disability=10)  # 11 + 9 days
    dead = Injury(d(2024, 4, 2), None, None, fatal=True)
    y2023, y2024 = compute([disabled, dead], {2023: Decimal(100_000), 2024: Decimal(100_000)}, as_of=AS_OF)
    # 2023: 11 days + 75 * 10 = 761 -> 7.61
    assert y2023.severity_uni == Decimal("7.61")
    # 2024: 9 days + 7,500 for the death = 7,509 -> 75.09 (the disability stays with 2023)
    assert y2024.severity_uni == Decimal("75.09")
    assert y2024.severity == Decimal("0.09")


def test_fatal_injury_with_disability_counts_the_death_only():
    r = one_year([Injury(d(2024, 4, 2), d(2024, 4, 2), d(2024, 4, 5), fatal=True, disability=100)])
    assert r.conventional_days == 7_500
    assert r.severity_uni == Decimal(7_504) * 1000 / 100_000


@pytest.mark.parametrize(
    "injuries,counted,days,uni,zero,fatal",
    [
        # a death at work: one injury, 7,500 UNI 7249 days, no Obiettivo Zero, the unit leaves the rankings.
        ([Injury(d(2024, 4, 2), None, None, fatal=True)], 1, 0, 7_500, False, True),
        # a death while commuting: not counted, no UNI days, Obiettivo Zero kept, not "fatal in the unit".
        ([Injury(d(2024, 4, 2), None, None, commuting=True, fatal=True)], 0, 0, 0, True, False),
        # a commuting death after 20 days of absence: none of the days count either.
        ([Injury(d(2024, 4, 2), d(2024, 4, 2), d(2024, 4, 21), commuting=True, fatal=True)], 0, 0, 0, True, False),
        # a commuting death next to a death at work: only the latter.
        ([Injury(d(2024, 4, 2), None, None, commuting=True, fatal=True),
          Injury(d(2024, 5, 2), None, None, fatal=True)], 1, 0, 7_500, False, True),
    ],
)
def test_only_a_death_at_work_counts(injuries, counted, days, uni, zero, fatal):
    r = one_year(injuries)
    assert (r.injuries, r.days, r.conventional_days, r.obiettivo_zero, r.fatal) == (counted, days, uni, zero, fatal)
    assert r.severity_uni == Decimal(days + uni) * 1000 / 100_000


def test_excluded_injuries_add_no_conventional_days():
    r = one_year([Injury(d(2024, 4, 2), d(2024, 4, 2), d(2024, 4, 9), commuting=True, disability=20)])
    assert r.severity_uni == 0 and r.conventional_days == 0


# --- Obiettivo Zero, reduction, fatal flag, mean duration -----------------------------------------

def test_obiettivo_zero():
    assert one_year([]).obiettivo_zero is True
    # only excluded injuries: still Obiettivo Zero (they do not enter either index)
    short = Injury(d(2024, 3, 1), d(2024, 3, 1), d(2024, 3, 3))
    commuting = Injury(d(2024, 3, 1), d(2024, 3, 1), d(2024, 4, 3), commuting=True)
    assert one_year([short, commuting]).obiettivo_zero is True
    assert one_year([Injury(d(2024, 3, 1), d(2024, 3, 1), d(2024, 3, 4))]).obiettivo_zero is False


def test_reduction_against_the_previous_calendar_year():
    injuries = [Injury(d(2023, m, 1), d(2023, m, 1), d(2023, m, 10)) for m in (1, 2, 3, 4)]
    injuries += [Injury(d(2024, 5, 1), d(2024, 5, 1), d(2024, 5, 10))]
    hours = {2022: Decimal(100_000), 2023: Decimal(100_000), 2024: Decimal(100_000), 2026: Decimal(1)}
    y2022, y2023, y2024, y2026 = compute(injuries, hours, as_of=d(2026, 12, 31))
    assert y2022.reduction_pct is None  # no 2021 given
    assert y2023.reduction_pct is None  # 2022's IF is 0
    assert y2024.reduction_pct == Decimal(75)  # IF 40 -> 10
    assert y2026.reduction_pct is None  # 2025 not given


def test_reduction_is_negative_when_frequency_grows():
    injuries = [Injury(d(2023, 1, 1), d(2023, 1, 1), d(2023, 1, 10))]
    injuries += [Injury(d(2024, m, 1), d(2024, m, 1), d(2024, m, 10)) for m in (1, 2, 3)]
    _, y2024 = compute(injuries, {2023: Decimal(100_000), 2024: Decimal(100_000)}, as_of=AS_OF)
    assert y2024.reduction_pct == Decimal(-200)


def test_fatal_flag():
    fatal = Injury(d(2024, 4, 2), None, None, fatal=True)
    assert one_year([fatal]).fatal is True
    assert one_year([fatal], year=2025).fatal is False  # another year
    commuting = Injury(d(2024, 4, 2), None, None, fatal=True, commuting=True)
    flagged = one_year([commuting])
    assert flagged.fatal is False  # not in the unit
    assert flagged.injuries == 0  # nor in the indices (in itinere)


def test_mean_duration():
    injuries = [
        Injury(d(2024, 3, 1), d(2024, 3, 1), d(2024, 3, 10)),  # 10 days
        Injury(d(2024, 12, 27), d(2024, 12, 27), d(2025, 1, 20)),  # 5 days in 2024
        Injury(d(2023, 12, 1), d(2023, 12, 1), d(2024, 1, 6)),  # 6 days in 2024, event 2023
    ]
    r = one_year(injuries)
    assert r.mean_duration == Decimal("10.5")  # 21 days inside 2024 / 2 injuries of 2024
    assert one_year([], year=2024).mean_duration is None


def test_rounding_is_half_up_in_as_dict():
    # IF = 1 * 1,000,000 / 8,000,000 = 0.125 -> 0.13 (round-half-even would give 0.12)
    r = one_year([Injury(d(2024, 3, 1), d(2024, 3, 1), d(2024, 3, 4))], hours=8_000_000)
    assert r.frequency == Decimal("0.125")
    assert r.as_dict()["frequency"] == 0.13
    # IG = 5 days * 1,000 / 40,000 = 0.125 -> 0.13
    r = one_year([Injury(d(2024, 3, 1), d(2024, 3, 1), d(2024, 3, 5))], hours=40_000)
    assert r.as_dict()["severity"] == 0.13
    assert rules.round2(Decimal("2.675")) == Decimal("2.68")
    assert rules.round2(Decimal("-2.675")) == Decimal("-2.68")


def test_as_dict_keys_are_the_cli_contract():
    r = one_year([])
    assert list(r.as_dict()) == ["year", "hours", "injuries", "excluded", "days", "frequency", "severity",
                                 "severity_uni", "obiettivo_zero", "reduction_pct", "fatal"]


# --- Two cases worked by hand from seed 004 --------------------------------------------------------

def test_seed_004_case_paper_mill_2008_2009():
    """A paper mill (cartiera) over 50 workers sends its 2008 and 2009 data (seed 004, rules b, c, d).

    2008: 110,000 hours. Injuries:
      A 12/03/2008, absent 12/03 -> 31/03/2008            = 20 days, counts
      B 15/12/2008, absent 15/12/2008 -> 10/01/2009       = 17 days in 2008 + 10 in 2009, counts
      C 02/06/2008, in itinere, absent 30 days            -> excluded (in itinere)
    2009: 120,000 hours. Injuries:
      D 05/05/2009, absent 06/05 -> 08/05/2009            = 3 days -> excluded (3 days or less)
      E 20/07/2009, absent 20/07 -> 08/08/2009            = 12 (July 20..31) + 8 = 20 days, counts
      F 20/12/2009, absent 21/12/2009 -> 15/01/2010       = 11 days in 2009 + 15 in 2010, counts

    IF 2008 = 2 * 1,000,000 / 110,000 = 18.1818... -> 18.18
    IG 2008 = (20 + 17) * 1,000 / 110,000 = 37,000 / 110,000 = 0.33636... -> 0.34
    IF 2009 = 2 * 1,000,000 / 120,000 = 16.666... -> 16.67
    IG 2009 = (10 of B + 20 of E + 11 of F) = 41 days * 1,000 / 120,000 = 0.341666... -> 0.34
    reduction 2009 = (18.1818 - 16.6667) / 18.1818 * 100 = (1 - 110,000 / 120,000) * 100 = 8.333... -> 8.33
    mean duration 2009 = 41 days / 2 injuries = 20.5
    """
    injuries = [
        Injury(d(2008, 3, 12), d(2008, 3, 12), d(2008, 3, 31)),
        Injury(d(2008, 12, 15), d(2008, 12, 15), d(2009, 1, 10)),
        Injury(d(2008, 6, 2), d(2008, 6, 2), d(2008, 7, 1), commuting=True),
        Injury(d(2009, 5, 5), d(2009, 5, 6), d(2009, 5, 8)),
        Injury(d(2009, 7, 20), d(2009, 7, 20), d(2009, 8, 8)),
        Injury(d(2009, 12, 20), d(2009, 12, 21), d(2010, 1, 15)),
    ]
    y2008, y2009 = compute(injuries, {2008: Decimal(110_000), 2009: Decimal(120_000)}, as_of=d(2010, 2, 28))
    assert y2008.as_dict() == {
        "year": 2008, "hours": 110000, "injuries": 2, "excluded": 1, "days": 37, "frequency": 18.18,
        "severity": 0.34, "severity_uni": 0.34, "obiettivo_zero": False, "reduction_pct": None, "fatal": False,
    }
    assert y2009.as_dict() == {
        "year": 2009, "hours": 120000, "injuries": 2, "excluded": 1, "days": 41, "frequency": 16.67,
        "severity": 0.34, "severity_uni": 0.34, "obiettivo_zero": False, "reduction_pct": 8.33, "fatal": False,
    }
    assert y2009.mean_duration == Decimal("20.5")
    assert [e.reason for e in y2008.excluded] == [rules.REASON_COMMUTING]
    assert [e.reason for e in y2009.excluded] == [rules.REASON_SHORT]


def test_seed_004_case_small_converter_zero_then_death():
    """A small cartotecnica (up to 30 workers): 2009 Obiettivo Zero, 2010 one injury with permanent
    disability, 2011 a death in the unit (seed 004: "L'infortunio mortale avvenuto in stabilimento ...
    esclude dalla graduatoria").

    2009: 40,000 hours, only a 2-day injury (excluded): IF = 0, no day of absence -> Obiettivo Zero.
    2010: 50,000 hours. G 10/02/2010, absent 10/02 -> 21/03/2010 = 19 (Feb 10..28) + 21 = 40 days,
          permanent disability 15 points.
          IF = 1 * 1,000,000 / 50,000 = 20.00
          IG = 40 * 1,000 / 50,000 = 0.80
          IG UNI = (40 + 75 * 15) * 1,000 / 50,000 = 1,165 * 1,000 / 50,000 = 23.30
          reduction: 2009's IF is 0 -> none.
    2011: 45,000 hours. H 03/10/2011, fatal, died on the day (no absence).
          IF = 1 * 1,000,000 / 45,000 = 22.222... -> 22.22
          IG = 0; IG UNI = 7,500 * 1,000 / 45,000 = 166.666... -> 166.67
          reduction = (20 - 22.222) / 20 * 100 = -11.111... -> -11.11; flagged fatal.
    """
    injuries = [
        Injury(d(2009, 9, 1), d(2009, 9, 1), d(2009, 9, 2)),
        Injury(d(2010, 2, 10), d(2010, 2, 10), d(2010, 3, 21), disability=15),
        Injury(d(2011, 10, 3), None, None, fatal=True),
    ]
    hours = {2009: Decimal(40_000), 2010: Decimal(50_000), 2011: Decimal(45_000)}
    y2009, y2010, y2011 = (r.as_dict() for r in compute(injuries, hours, as_of=d(2012, 1, 31)))
    assert y2009 == {"year": 2009, "hours": 40000, "injuries": 0, "excluded": 1, "days": 0, "frequency": 0.0,
                     "severity": 0.0, "severity_uni": 0.0, "obiettivo_zero": True, "reduction_pct": None,
                     "fatal": False}
    assert y2010 == {"year": 2010, "hours": 50000, "injuries": 1, "excluded": 0, "days": 40, "frequency": 20.0,
                     "severity": 0.8, "severity_uni": 23.3, "obiettivo_zero": False, "reduction_pct": None,
                     "fatal": False}
    assert y2011 == {"year": 2011, "hours": 45000, "injuries": 1, "excluded": 0, "days": 0, "frequency": 22.22,
                     "severity": 0.0, "severity_uni": 166.67, "obiettivo_zero": False, "reduction_pct": -11.11,
                     "fatal": True}


# --- Validation ------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "injury,field,message",
    [
        (Injury(d(2024, 3, 5), d(2024, 3, 10), d(2024, 3, 9)), "last_absence",
         "L'ultimo giorno di assenza (09/03/2024) è precedente al primo (10/03/2024)."),
        (Injury(d(2024, 3, 5), d(2024, 3, 4), d(2024, 3, 9)), "first_absence",
         "Il primo giorno di assenza (04/03/2024) è precedente alla data dell'evento (05/03/2024)."),
        (Injury(d(2024, 3, 5), None, d(2024, 3, 9)), "last_absence",
         "Indicato l'ultimo giorno di assenza senza il primo."),
        (Injury(d(2024, 3, 5), d(2024, 3, 5), None, fatal=True), "last_absence",
         "Per un infortunio mortale con assenza indicare l'ultimo giorno di assenza."),
        (Injury(d(2024, 3, 5), None, None, disability=101), "disability",
         "L'invalidità permanente va da 0 a 100 punti (indicati: 101)."),
        (Injury(d(2025, 7, 1), None, None), "event_date",
         "La data dell'evento (01/07/2025) è successiva alla data di riferimento (30/06/2025)."),
    ],
)
def test_invalid_injuries(injury, field, message):
    assert injury.problems(as_of=AS_OF) == [(field, message)]
    with pytest.raises(IndicatorInputError) as excinfo:
        compute([injury], {2024: Decimal(1000)}, as_of=AS_OF)
    assert str(excinfo.value) == message
    assert "\n" not in str(excinfo.value)


def test_first_absence_on_the_day_of_the_event_is_fine():
    assert Injury(d(2024, 3, 5), d(2024, 3, 5), d(2024, 3, 9)).problems(as_of=AS_OF) == []


@pytest.mark.parametrize("hours", [Decimal(0), Decimal(-5)])
def test_hours_must_be_positive(hours):
    with pytest.raises(IndicatorInputError, match=r"^Le ore lavorate del 2024 devono essere maggiori di zero\.$"):
        compute([], {2024: hours}, as_of=AS_OF)


def test_duplicate_years_refused():
    with pytest.raises(IndicatorInputError, match="2024"):
        compute([], [(2024, Decimal(1)), (2024, Decimal(2))], as_of=AS_OF)


def test_importable_without_django_settings():
    """The pure modules import and answer in Italian with no Django settings at all."""
    code = ("import indicators.rules as r, indicators.csvio, indicators.chart;"
            "print(r.reason_label(r.REASON_COMMUTING))")
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                         cwd=Path(__file__).resolve().parents[2])
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "Infortunio in itinere"


# --- events (issue 33): kinds, who was involved, what enters the indices ---------------------------


@pytest.mark.parametrize("kind,party,counted", [
    (rules.KIND_INJURY, rules.PARTY_OWN, True),
    (rules.KIND_INJURY, rules.PARTY_CONTRACTOR, False),
    (rules.KIND_INJURY, rules.PARTY_SUBCONTRACTOR, False),
    (rules.KIND_INCIDENT, rules.PARTY_OWN, False),
    (rules.KIND_NEAR_MISS, rules.PARTY_OWN, False),
    (rules.KIND_DANGEROUS, rules.PARTY_OWN, False),
    (rules.KIND_NEAR_MISS, rules.PARTY_CONTRACTOR, False),
])
def test_only_injuries_of_own_staff_enter_the_indices(kind, party, counted):
    assert rules.enters_indices(kind, party) is counted


@pytest.mark.parametrize("kind,party,contractor,extra,fields", [
    (rules.KIND_INJURY, rules.PARTY_OWN, "", {}, []),
    (rules.KIND_INJURY, rules.PARTY_CONTRACTOR, "Edil Rossi srl", {"first_absence": d(2024, 1, 2)}, []),
    (rules.KIND_INJURY, rules.PARTY_CONTRACTOR, "  ", {}, ["contractor"]),
    (rules.KIND_NEAR_MISS, rules.PARTY_SUBCONTRACTOR, "", {}, ["contractor"]),
    (rules.KIND_NEAR_MISS, rules.PARTY_OWN, "Edil Rossi srl", {}, ["contractor"]),
    (rules.KIND_NEAR_MISS, rules.PARTY_OWN, "", {}, []),
    (rules.KIND_DANGEROUS, rules.PARTY_OWN, "", {"first_absence": d(2024, 1, 2)}, ["first_absence"]),
    (rules.KIND_INCIDENT, rules.PARTY_OWN, "", {"fatal": True, "disability": 5, "commuting": True},
     ["fatal", "disability", "commuting"]),
    ("altro", "chiunque", "", {}, ["kind", "party"]),
])
def test_event_problems(kind, party, contractor, extra, fields):
    args = {"first_absence": None, "fatal": False, "disability": 0, **extra}
    problems = rules.event_problems(kind, party, contractor, **args)
    assert [f for f, _m in problems] == fields
    assert all(m and m[0].isupper() for _f, m in problems)  # one Italian sentence each
