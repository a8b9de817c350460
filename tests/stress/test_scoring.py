"""The scoring engine, table-driven: the seed's worked example, every band's edges, the
home-work interface rule, the levels and the input errors."""
from fractions import Fraction

import pytest

from stress.checklist import load_checklist
from stress.scoring import StressInputError, band_for, ceil_half, level_for, score

from . import seed_example

F = Fraction


@pytest.fixture(scope="module")
def checklist():
    return load_checklist()


def joint(checklist, risky=(), *, area_a=None, interface_risk=True):
    """A joint single answer per item: the risk answer for the ids in `risky`, the safe one otherwise.
    Area A: a list of ten trends, or all "diminuito". With `interface_risk`, B6.1 is at risk so that the
    home-work interface adds 0 and totals are plain counts."""
    risky = set(risky) | ({"B6.1"} if interface_risk else set())
    area_a = area_a or ["diminuito"] * 10
    answers = {item.id: trend for item, trend in zip(checklist.area("A").items(), area_a)}
    for area in checklist.areas[1:]:
        for item in area.items():
            answers[item.id] = seed_example.risk_value(item) if item.id in risky else seed_example.safe_value(item)
    return answers


def countable_ids(checklist):
    """Every B and C item except the home-work interface, in checklist order."""
    return [i.id for a in checklist.areas[1:] for i in a.items() if not i.id.startswith("B6.")]


def area_a_trends(total):
    """Ten trends summing to `total` on the 0/1/4 scale."""
    for up in range(10, -1, -1):
        same = total - 4 * up
        if 0 <= same <= 10 - up:
            return ["aumentato"] * up + ["inalterato"] * same + ["diminuito"] * (10 - up - same)
    raise AssertionError(total)


# --- The seed's worked example -------------------------------------------------------------------

def test_seed_worked_example(checklist):
    result = score(checklist, seed_example.answers(checklist))
    families = {key: (f.score, f.points) for key, f in result.families.items()}
    assert families == {
        "A1": (0, 0),
        "B1": (0, 0), "B2": (0, 0), "B3": (3, 3), "B4": (1, 1), "B5": (0, 0), "B6": (1, 0),
        "C1": (1, 1), "C2": (2, 2), "C3": (F(1, 2), F(1, 2)), "C4": (F(5, 2), F(5, 2)),
    }
    assert {k: (a.score, a.points) for k, a in result.areas.items()} == {"A": (0, 0), "B": (4, 4), "C": (6, 6)}
    assert result.total == 10
    assert result.level.level == "basso" and result.level.title == "Rischio basso"
    assert result.note == checklist.level("basso").note
    assert result.as_dict() == {
        "areas": {"A": {"score": 0, "points": 0}, "B": {"score": 4, "points": 4}, "C": {"score": 6, "points": 6}},
        "total": 10,
        "level": "basso",
    }


def test_seed_item_values_are_the_printed_shares(checklist):
    result = score(checklist, seed_example.answers(checklist))
    printed = {"B3.1": "0.83", "B3.5": "1.00", "B4.2": "0.17", "C2.4": "0.33", "C3.8": "0.17", "B1.1": "0.00"}
    assert {k: f"{float(result.items[k]):.2f}" for k in printed} == printed


def test_seed_example_with_unchanged_indicators(checklist):
    """A stable company scores 10 in area A: still the lowest band, still 0 in the total."""
    result = score(checklist, seed_example.answers(checklist, area_a="inalterato"))
    assert (result.areas["A"].score, result.areas["A"].points) == (10, 0)
    assert result.total == 10 and result.level.level == "basso"


# --- Rounding of a family's sum ------------------------------------------------------------------

@pytest.mark.parametrize(
    "value,expected",
    [(F(0), 0), (F(1, 6), F(1, 2)), (F(1, 2), F(1, 2)), (F(2, 3), 1), (F(1), 1), (F(5, 3), 2),
     (F(7, 3), F(5, 2)), (F(8, 3), 3), (F(3), 3), (F(-1), -1)],
)
def test_ceil_half(value, expected):
    assert ceil_half(value) == expected


# --- Area A: raw score -> points ----------------------------------------------------------------

@pytest.mark.parametrize(
    "raw,points,level",
    [(0, 0, "basso"), (10, 0, "basso"), (11, 2, "medio"), (12, 2, "medio"), (26, 2, "medio"),
     (27, 5, "alto"), (28, 5, "alto"), (40, 5, "alto")],
)
def test_area_a_bands(checklist, raw, points, level):
    result = score(checklist, joint(checklist, area_a=area_a_trends(raw)))
    area = result.areas["A"]
    assert (area.score, area.points, area.level) == (raw, points, level)
    assert result.total == points  # B and C are zero (the interface at risk adds 0)


# --- Family bands, through real answers ---------------------------------------------------------

def family_edges(checklist):
    for family in checklist.families():
        for band in family.bands:
            for count in sorted({band.start, band.end}):
                if count <= len(family.items):
                    yield family.key, count, band.level


@pytest.mark.parametrize("family_key,count,level", list(family_edges(load_checklist())))
def test_family_band_edges(checklist, family_key, count, level):
    family = checklist.family(family_key)
    result = score(checklist, joint(checklist, [i.id for i in family.items[:count]]))
    assert result.families[family_key].score == count
    assert result.families[family_key].level == level


@pytest.mark.parametrize(
    "family_key,value,level",
    [("C3", F(5, 2), "medio"), ("C3", F(11, 2), "alto"), ("B1", F(5, 2), "medio"), ("B5", F(3, 2), "medio"),
     ("B2", F(7, 2), "alto"), ("C1", F(15, 2), "alto"), ("B3", 0, "basso"), ("B3", 6, "alto")],
)
def test_values_between_two_bands_go_up(checklist, family_key, value, level):
    assert band_for(checklist.family(family_key).bands, value).level == level


@pytest.mark.parametrize(
    "area_key,value,level",
    [("B", -1, "basso"), ("B", 7, "basso"), ("B", F(15, 2), "medio"), ("B", 8, "medio"), ("B", 14, "medio"),
     ("B", F(29, 2), "alto"), ("B", 15, "alto"), ("B", 27, "alto"),
     ("C", 8, "basso"), ("C", F(17, 2), "medio"), ("C", 17, "medio"), ("C", 18, "alto"), ("C", 33, "alto")],
)
def test_area_levels(checklist, area_key, value, level):
    assert band_for(checklist.area(area_key).bands, value).level == level


# --- The home-work interface --------------------------------------------------------------------

def test_interface_without_risk_takes_one_point_off(checklist):
    result = score(checklist, joint(checklist, interface_risk=False))
    assert (result.families["B6"].score, result.families["B6"].points) == (0, -1)
    assert (result.areas["B"].score, result.areas["B"].points) == (-1, -1)
    assert result.total == -1 and result.level.level == "basso"


def test_interface_with_any_risk_adds_nothing(checklist):
    answers = joint(checklist, ["B1.1", "B1.2"], interface_risk=False)
    answers["B6.3"] = ["sì"] * 5 + ["no"]  # one compiler of six: 0.17
    result = score(checklist, answers)
    assert result.families["B6"].score == F(1, 2) and result.families["B6"].points == 0
    assert result.areas["B"].points == 2


# --- Levels of the total ------------------------------------------------------------------------

@pytest.mark.parametrize(
    "total,level",
    [(-1, "basso"), (0, "basso"), (14, "basso"), (F(29, 2), "medio"), (15, "medio"), (30, "medio"),
     (F(61, 2), "alto"), (31, "alto"), (60, "alto"), (65, "alto")],
)
def test_level_for_total(checklist, total, level):
    assert level_for(checklist, total).level == level


@pytest.mark.parametrize("risks,level", [(14, "basso"), (15, "medio"), (30, "medio"), (31, "alto")])
def test_total_edges_through_answers(checklist, risks, level):
    result = score(checklist, joint(checklist, countable_ids(checklist)[:risks]))
    assert result.total == risks and result.level.level == level


def test_everything_at_risk(checklist):
    result = score(checklist, joint(checklist, countable_ids(checklist), area_a=["aumentato"] * 10))
    assert {k: a.points for k, a in result.areas.items()} == {"A": 5, "B": 27, "C": 32}
    assert result.total == 64 and result.level.level == "alto"
    assert result.note == checklist.level("alto").note


# --- Input errors -------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "change,message",
    [
        (lambda a: a.update({"Z9.9": "sì"}), "Voce sconosciuta: Z9.9"),
        (lambda a: a.pop("B1.1"), "Risposte mancanti: B1.1"),
        (lambda a: (a.pop("C4.8"), a.pop("A1.3")), "Risposte mancanti: A1.3, C4.8"),
        (lambda a: a.update({"B1.1": "forse"}), "Risposta non valida per B1.1: 'forse' (valori ammessi: sì, no)"),
        (lambda a: a.update({"A1.1": "sì"}), "valori ammessi: diminuito, inalterato, aumentato"),
        (lambda a: a.update({"B1.1": ["sì", "boh"]}), "Risposta non valida per B1.1: 'boh'"),
        (lambda a: a.update({"B1.1": []}), "Nessuna risposta per B1.1"),
        (lambda a: a.update({"B1.1": 1}), "Risposta non valida per B1.1: 1"),
    ],
)
def test_input_errors(checklist, change, message):
    answers = joint(checklist)
    change(answers)
    with pytest.raises(StressInputError, match=message.replace("(", r"\(").replace(")", r"\)")):
        score(checklist, answers)
