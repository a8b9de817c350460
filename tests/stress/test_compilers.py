"""Several compilers: each item's value is the share of compilers who gave the risk answer (the mean
of their answers' scores); a single value is a joint answer."""
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stress.checklist import load_checklist
from stress.scoring import item_value, score

from . import seed_example

F = Fraction
CHECKLIST = load_checklist()


def item(item_id):
    return CHECKLIST.item(item_id)


@pytest.mark.parametrize(
    "item_id,answers,expected",
    [
        ("B1.1", "no", 1),  # joint answer: no organigramma is the risk
        ("B1.1", "sì", 0),
        ("B1.1", ["no"], 1),
        ("B1.1", ["no", "sì"], F(1, 2)),
        ("C4.7", ["sì", "no", "no", "no", "no", "no"], F(1, 6)),
        ("C4.7", ["sì", "sì", "no", "no", "no", "no"], F(1, 3)),
        ("C4.7", ["sì"] * 5 + ["no"], F(5, 6)),
        ("C4.7", ["sì"] * 6, 1),
        ("A1.1", ["aumentato", "diminuito"], 2),
        ("A1.1", ["inalterato", "inalterato", "aumentato"], 2),
    ],
)
def test_item_value_is_the_share_of_risk_answers(item_id, answers, expected):
    assert item_value(item(item_id), answers) == expected


def test_seed_shares_come_from_six_compilers():
    result = score(CHECKLIST, seed_example.answers(CHECKLIST))
    assert result.items["B3.1"] == F(5, 6) and result.items["B4.2"] == F(1, 6) and result.items["C2.4"] == F(1, 3)
    assert result.compilers == 6


def test_joint_and_per_compiler_answers_mix():
    answers = {i.id: seed_example.safe_value(i) if not i.id.startswith("A") else "diminuito" for i in CHECKLIST.items()}
    answers["C4.1"] = ["sì", "no", "no"]
    answers["C4.2"] = "sì"
    result = score(CHECKLIST, answers)
    assert result.families["C4"].value == F(4, 3) and result.families["C4"].score == F(3, 2)
    assert result.compilers == 3


def test_unanimous_compilers_equal_the_joint_answer():
    joint = {i.id: seed_example.risk_value(i) if i.id.startswith("C2") else seed_example.safe_value(i)
             for i in CHECKLIST.items() if not i.id.startswith("A")}
    joint.update({i.id: "inalterato" for i in CHECKLIST.area("A").items()})
    many = {k: [v] * 4 for k, v in joint.items()}
    assert score(CHECKLIST, joint).as_dict() == score(CHECKLIST, many).as_dict()


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(["sì", "no"]), min_size=1, max_size=12), st.randoms())
def test_order_of_compilers_does_not_matter(answers, rnd):
    shuffled = list(answers)
    rnd.shuffle(shuffled)
    value = item_value(item("C4.7"), answers)
    assert value == item_value(item("C4.7"), shuffled) == F(answers.count("sì"), len(answers))
    assert 0 <= value <= 1
