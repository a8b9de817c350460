"""The scoring rules, table-driven on the real catalogue, plus properties checked with hypothesis."""
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from interventions import scoring
from interventions.scoring import Selection, benefit, reduction_rate, score
from interventions.sectors import SECTOR_KEYS


def sel(spec: str) -> Selection:
    code, _, subs = spec.partition("=")
    return Selection(code, frozenset(int(n) for n in subs.split(",")) if subs else frozenset())


def run(catalogue, specs, *, sector="altri", workers=20, declare=()):
    return score(catalogue, sector=sector, workers=workers, declarations=declare, selections=[sel(s) for s in specs])


CASES = [
    # (specs, sector, workers, declarations, expected total, {code: counted})
    (["A2"], "costruzioni", 50, (), 100, {"A2": True}),
    (["A6", "A7"], "altri", 50, (), 80, {"A6": True, "A7": True}),
    # A1 a-d and A5 a-g describe one management system: counted once.
    (["A1a", "A1b"], "altri", 50, (), 100, {"A1a": True, "A1b": False}),
    (["A1d", "A1c"], "altri", 50, (), 100, {"A1c": True, "A1d": False}),
    (["A5a", "A5g", "A1a"], "altri", 50, (), 200, {"A1a": True, "A5a": True, "A5g": False}),
    # "almeno uno / due / tre / quattro"
    (["A4"], "altri", 5, (), 0, {"A4": False}),
    (["A4=2"], "altri", 5, (), 100, {"A4": True}),
    (["B2b"], "altri", 5, (), 0, {"B2b": False}),
    (["B2b=3"], "altri", 5, (), 50, {"B2b": True}),
    (["B2c=1"], "altri", 5, (), 0, {"B2c": False}),
    (["B2c=1,5"], "altri", 5, (), 50, {"B2c": True}),
    (["B2e=1,2"], "altri", 5, (), 0, {"B2e": False}),
    (["B2e=1,2,3"], "altri", 5, (), 40, {"B2e": True}),
    (["B2d=1,2,3"], "altri", 5, (), 0, {"B2d": False}),
    (["B2d=1,2,3,7"], "altri", 5, (), 40, {"B2d": True}),
    (["B2f=2"], "altri", 5, (), 30, {"B2f": True}),
    (["B2g"], "altri", 5, (), 0, {"B2g": False}),
    (["B2g=4"], "altri", 5, (), 40, {"B2g": True}),
    (["B2d=1,2,3,9"], "altri", 5, (), 0, {"B2d": False}),  # 9 does not exist
    # C1 up to 15 workers, C2 under 10.
    (["C1"], "altri", 15, (), 30, {"C1": True}),
    (["C1"], "altri", 16, (), 0, {"C1": False}),
    (["C2"], "altri", 9, (), 30, {"C2": True}),
    (["C2"], "altri", 10, (), 0, {"C2": False}),
    # C3 and C12 need their declaration confirmed.
    (["C3"], "altri", 50, (), 0, {"C3": False}),
    (["C3"], "altri", 50, ("C3",), 50, {"C3": True}),
    (["C12"], "altri", 50, ("C3",), 0, {"C12": False}),
    (["C12"], "altri", 50, ("C12",), 40, {"C12": True}),
    # Section D by sector.
    (["D1", "D2", "D3", "D4", "D5", "D6", "D7"], "costruzioni", 50, (), 40 + 40 + 20 + 50 + 40 + 30 + 30, {}),
    (["D1", "D2", "D3", "D4", "D5", "D6", "D7"], "metalmeccanica", 50, (), 20 + 30 + 40 + 40 + 30 + 30 + 30, {}),
    (["D1", "D2", "D3", "D4", "D5", "D6", "D7"], "chimica", 50, (), 20 + 20 + 30 + 50 + 20 + 30 + 30, {}),
    (["D1", "D2", "D3", "D4", "D5", "D6", "D7"], "altri", 50, (), 20 + 20 + 20 + 40 + 20 + 30 + 30, {}),
    (["D1", "D3"], "ceramica", 50, (), 30 + 30, {}),
    # A realistic small company: 30+30+40+40+20 = 160.
    (["C1", "C2", "C4", "C5", "C13"], "tessile", 8, (), 160, {}),
]


@pytest.mark.parametrize("specs,sector,workers,declare,total,counted", CASES)
def test_rules_table(catalogue, specs, sector, workers, declare, total, counted):
    result = run(catalogue, specs, sector=sector, workers=workers, declare=declare)
    assert result.total == total
    assert result.eligible is (total >= 100)
    for code, expected in counted.items():
        line = result.line(code)
        assert line.counted is expected
        assert bool(line.errors) is (not expected)


def test_lines_explain_refusals_in_italian(catalogue):
    result = run(catalogue, ["C1", "B2d=1", "C3", "A1a", "A1b"], workers=40)
    assert result.line("C1").errors == (
        "Intervento riservato alle aziende con non più di 15 lavoratori (lavoratori dichiarati: 40).",
    )
    assert "Selezionare almeno 4 opzioni" in result.line("B2d").errors[0]
    assert result.line("C3").errors[0].startswith("Occorre confermare la dichiarazione")
    assert result.line("A1b").errors[0].startswith("Alternativo a A1a")
    assert result.line("B2d").points == 40 and result.line("B2d").counted_points == 0


def test_an_invalid_alternative_does_not_hide_a_valid_one(catalogue):
    # A5 options carry no sub-options, but a worker limit or declaration never applies to A1;
    # a refused first option must leave the group free for the next valid one.
    result = run(catalogue, ["A4", "A4=1"], workers=5)  # same code twice: sub-options merge
    assert result.line("A4").counted


def test_unknown_code_and_sector_raise(catalogue):
    with pytest.raises(scoring.ScoringInputError, match="Intervento sconosciuto"):
        run(catalogue, ["Z9"])
    with pytest.raises(scoring.ScoringInputError, match="Settore sconosciuto"):
        run(catalogue, ["A2"], sector="pesca")
    with pytest.raises(scoring.ScoringInputError):
        run(catalogue, ["A2"], workers=-1)


def test_as_dict_shape(catalogue):
    assert run(catalogue, ["A2", "C1"], workers=3).as_dict() == {
        "total": 130,
        "threshold": 100,
        "eligible": True,
        "lines": [
            {"code": "A2", "points": 100, "counted": True, "errors": []},
            {"code": "C1", "points": 30, "counted": True, "errors": []},
        ],
    }


@pytest.mark.parametrize(
    "lav,rate",
    [(0, 28), (Decimal("9.99"), 28), (10, 28), (Decimal("10.01"), 18), (50, 18), (51, 10), (200, 10),
     (Decimal("200.5"), 5), (5000, 5)],
)
def test_reduction_rate_bands(lav, rate):
    assert reduction_rate(lav) == Decimal(rate)


def test_benefit_estimates_saving():
    assert benefit(Decimal("8.5"), Decimal("12000")).saving == Decimal("3360.00")
    assert benefit(120, "4567.89").saving == Decimal("456.79")
    assert benefit(120).saving is None
    with pytest.raises(scoring.ScoringInputError):
        reduction_rate(-1)


# --- properties -------------------------------------------------------------------------------

def uniform_points(points: int) -> dict[str, int]:
    """The same points for every sector (sections A, B, C)."""
    return dict.fromkeys(SECTOR_KEYS, points)


# A small synthetic catalogue: no database needed, every rule represented.
SYNTHETIC = scoring.Catalogue(
    edition="synthetic",
    threshold=100,
    items=(
        scoring.CatalogueItem("X1a", "A", "", uniform_points(100), alternative_group="X1"),
        scoring.CatalogueItem("X1b", "A", "", uniform_points(100), alternative_group="X1"),
        scoring.CatalogueItem("X2", "B", "", uniform_points(40), suboptions=("a", "b", "c"), min_suboptions=2),
        scoring.CatalogueItem("X3", "C", "", uniform_points(30), max_workers=15),
        scoring.CatalogueItem("X4", "C", "", uniform_points(50), declarations=("ok",)),
        scoring.CatalogueItem(
            "X5", "D", "", {**uniform_points(20), "costruzioni": 40, "chimica": 30}
        ),
    ),
)
codes = st.sampled_from([i.code for i in SYNTHETIC.items])
selections = st.lists(
    st.builds(Selection, code=codes, suboptions=st.frozensets(st.integers(min_value=0, max_value=5), max_size=4)),
    max_size=8,
)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(
    selections,
    st.sampled_from(SECTOR_KEYS),
    st.integers(min_value=0, max_value=40),
    st.sets(codes),
    st.randoms(use_true_random=False),
)
def test_total_is_sum_of_counted_lines_and_order_free(sels, sector, workers, declared, rnd):
    result = score(SYNTHETIC, sector=sector, workers=workers, declarations=declared, selections=sels)
    assert result.total == sum(line.points for line in result.lines if line.counted)
    assert all(line.counted == (not line.errors) for line in result.lines)
    assert result.eligible == (result.total >= 100)
    shuffled = list(sels)
    rnd.shuffle(shuffled)
    again = score(SYNTHETIC, sector=sector, workers=workers, declarations=declared, selections=shuffled)
    assert again == result
    # An alternative group counts at most once.
    assert sum(1 for l in result.lines if l.counted and l.code.startswith("X1")) <= 1


@pytest.mark.parametrize("total,threshold,percent", [(0, 100, 0), (99, 100, 99), (110, 100, 100), (3, 0, 0), (50, 200, 25)])
def test_the_share_of_the_threshold_fills_a_bar_of_at_most_100(total, threshold, percent):
    from interventions.scoring import Line, ScoreResult

    lines = (Line("A1", total, True), Line("A2", 7, False))
    assert ScoreResult(edition="ot24", sector="altri", workers=10, lines=lines, threshold=threshold).percent_of_threshold == percent
