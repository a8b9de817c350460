"""Area A from figures: the seed's formulas, each indicator compared with the previous period
(diminuito / inalterato / aumentato), the injury indices taken as inputs from the register."""
from dataclasses import replace
from decimal import Decimal

import pytest

from stress.checklist import load_checklist
from stress.scoring import (
    PeriodFigures,
    StressInputError,
    area_a_answers,
    frequency_index,
    indicator_values,
    score,
    severity_index,
)

CHECKLIST = load_checklist()

BASE = PeriodFigures(
    injury_frequency=Decimal("12.50"),
    injury_severity=Decimal("0.30"),
    sick_leave_hours=400,
    absence_hours=600,
    contractual_hours=20000,
    leave_days_due=260,
    leave_days_taken=247,
    transfer_requests=1,
    workers=10,
    leavers=1,
    joiners=2,
    disciplinary_proceedings=0,
    extraordinary_visits=1,
    stress_reports=0,
    court_cases_dismissal=0,
    court_cases_harassment=0,
)


def test_injury_indices_from_the_register_figures():
    # (injuries / hours worked) x 1,000,000 and (days lost / hours worked) x 1,000, the register's scale.
    assert frequency_index(3, 160000) == Decimal("18.75")
    assert severity_index(45, 160000) == Decimal("0.28")
    with pytest.raises(StressInputError, match="ore lavorate"):
        frequency_index(1, 0)


def test_indicator_values_follow_the_seed_formulas():
    values = indicator_values(BASE)
    assert values == {
        "injuries": (Decimal("12.50"), Decimal("0.30")),
        "sick_leave": Decimal("2.00"),  # 400 / 20000 x 100
        "absenteeism": Decimal("3.00"),  # hours lost / contractual hours x 100
        "leave_not_taken": Decimal("5.00"),  # (260 - 247) / 260 x 100
        "transfers": Decimal("10.00"),  # requests / workers x 100
        "turnover": Decimal("30.00"),  # (leavers + joiners) / workers x 100
        "disciplinary": Decimal("0"),
        "extraordinary_visits": Decimal("1"),
        "stress_reports": Decimal("0"),
        "court_cases": (Decimal("0"), Decimal("0")),
    }


def test_values_are_rounded_to_two_decimals_as_printed():
    values = indicator_values(replace(BASE, absence_hours=1, contractual_hours=3))
    assert values["absenteeism"] == Decimal("33.33")


def test_unchanged_period_is_all_inalterato():
    answers = area_a_answers(CHECKLIST, current=BASE, previous=BASE)
    assert answers == {f"A1.{n}": "inalterato" for n in range(1, 11)}


@pytest.mark.parametrize(
    "change,item_id,trend",
    [
        ({"injury_frequency": Decimal("13")}, "A1.1", "aumentato"),
        ({"injury_severity": Decimal("0.10")}, "A1.1", "diminuito"),
        # the worse of the two indices counts
        ({"injury_frequency": Decimal("10"), "injury_severity": Decimal("0.31")}, "A1.1", "aumentato"),
        ({"sick_leave_hours": 300}, "A1.2", "diminuito"),
        ({"absence_hours": 700}, "A1.3", "aumentato"),
        ({"contractual_hours": 22000, "sick_leave_hours": 440}, "A1.3", "diminuito"),  # more hours due
        ({"absence_hours": 600.4}, "A1.3", "inalterato"),  # 3.002% prints as 3.00
        ({"leave_days_taken": 200}, "A1.4", "aumentato"),
        ({"transfer_requests": 0}, "A1.5", "diminuito"),
        ({"joiners": 4}, "A1.6", "aumentato"),
        ({"leavers": 0}, "A1.6", "diminuito"),
        ({"disciplinary_proceedings": 2}, "A1.7", "aumentato"),
        ({"extraordinary_visits": 0}, "A1.8", "diminuito"),
        ({"stress_reports": 1}, "A1.9", "aumentato"),
        ({"court_cases_harassment": 1}, "A1.10", "aumentato"),
        ({"court_cases_dismissal": 1, "court_cases_harassment": 0}, "A1.10", "aumentato"),
    ],
)
def test_trend_against_the_previous_period(change, item_id, trend):
    answers = area_a_answers(CHECKLIST, current=replace(BASE, **change), previous=BASE)
    assert answers[item_id] == trend
    assert all(v == "inalterato" for k, v in answers.items() if k != item_id)


def test_court_cases_down_on_one_kind_and_up_on_the_other_is_up():
    previous = replace(BASE, court_cases_dismissal=2)
    current = replace(BASE, court_cases_dismissal=0, court_cases_harassment=1)
    assert area_a_answers(CHECKLIST, current=current, previous=previous)["A1.10"] == "aumentato"


def test_figures_feed_the_score():
    current = replace(BASE, injury_frequency=Decimal("20"), absence_hours=900, joiners=5, stress_reports=2)
    answers = area_a_answers(CHECKLIST, current=current, previous=BASE)
    answers.update({i.id: "sì" if i.risk_choice.value == "no" else "no" for a in CHECKLIST.areas[1:] for i in a.items()})
    result = score(CHECKLIST, answers)
    # four indicators up (4 x 4) and six unchanged (6 x 1): 22 -> band 12-26 -> 2 points
    assert (result.areas["A"].score, result.areas["A"].points) == (22, 2)


@pytest.mark.parametrize(
    "change,message",
    [
        ({"contractual_hours": 0}, "ore contrattuali"),
        ({"workers": 0}, "numero di lavoratori"),
        ({"leavers": -1}, "non può essere negativo"),
        ({"injury_frequency": Decimal("-1")}, "non può essere negativo"),
    ],
)
def test_figures_that_cannot_be_used(change, message):
    with pytest.raises(StressInputError, match=message):
        area_a_answers(CHECKLIST, current=replace(BASE, **change), previous=BASE)


def test_no_leave_due_means_nothing_left_over():
    assert indicator_values(replace(BASE, leave_days_due=0, leave_days_taken=0))["leave_not_taken"] == 0
