"""The fixture against the seed form (shared/seeds/002_*.txt), code by code and sector by sector."""
import re
from pathlib import Path

import pytest

from interventions.models import Edition, Intervention
from interventions.sectors import SECTOR_KEYS
from interventions.selectors import edition_export

pytestmark = pytest.mark.django_db

# Points as printed, for sections A-C (the same for every sector).
FLAT_POINTS = {
    **{f"A1{c}": 100 for c in "abcd"}, "A2": 100, "A3": 100, "A4": 100,
    **{f"A5{c}": 100 for c in "abcdefg"}, "A6": 50, "A7": 30, "A8": 35,
    "B1": 100, "B2a": 100, "B2b": 50, "B2c": 50, "B2d": 40, "B2e": 40, "B2f": 30, "B2g": 40, "B2h": 20,
    "C1": 30, "C2": 30, "C3": 50, "C4": 40, "C5": 40, "C6": 40, "C7": 50, "C8": 40, "C9": 40, "C10": 30,
    "C11": 40, "C12": 40, "C13": 20, "C14": 20, "C15": 30, "C16": 60, "C17": 30, "C18": 40, "C19": 40,
    "C20": 40, "C21": 40, "C22": 40, "C23": 60,
}
# Section D: the three columns of the form; "altri" is every sector not named.
D_COLUMNS = {
    "D1": ({40: "costruzioni trasporti energia comunicazioni", 30: "alimenti mineraria ceramica vetro legno"}, 20),
    "D2": ({40: "costruzioni mineraria ceramica vetro", 30: "alimenti metallurgia metalmeccanica legno"}, 20),
    "D3": ({40: "metallurgia metalmeccanica energia legno", 30: "chimica tessile mineraria ceramica vetro"}, 20),
    "D4": ({50: "costruzioni chimica"}, 40),
    "D5": ({40: "costruzioni mineraria ceramica vetro", 30: "legno metallurgia metalmeccanica"}, 20),
    "D6": ({}, 30),
    "D7": ({}, 30),
}
# (number of sub-options, minimum to tick) as the text says.
SUBOPTIONS = {"A4": (3, 1), "B2b": (3, 1), "B2c": (5, 2), "B2d": (7, 4), "B2e": (5, 3), "B2f": (3, 1), "B2g": (4, 1)}
# Number of evidence items, per alternative set.
EVIDENCE = {
    "A1a": [1], "A1b": [6], "A1c": [1], "A1d": [5], "A2": [1], "A3": [2], "A4": [3],
    **{f"A5{c}": [5] for c in "abcdefg"}, "A6": [], "A7": [2], "A8": [4],
    "B1": [3], "B2a": [7], "B2b": [1], "B2c": [1], "B2d": [4, 4], "B2e": [5], "B2f": [2], "B2g": [3], "B2h": [1],
    "C1": [3], "C2": [3], "C3": [4], "C4": [4], "C5": [4], "C6": [6], "C7": [3], "C8": [2], "C9": [2],
    "C10": [2], "C11": [3], "C12": [4], "C13": [1], "C14": [1, 1], "C15": [1], "C16": [4], "C17": [3],
    "C18": [4], "C19": [1], "C20": [2], "C21": [3], "C22": [2], "C23": [],
    "D1": [1], "D2": [2], "D3": [1], "D4": [1], "D5": [2], "D6": [2], "D7": [2],
}


def expected_points(code):
    if code in FLAT_POINTS:
        return {s: FLAT_POINTS[code] for s in SECTOR_KEYS}
    columns, others = D_COLUMNS[code]
    named = {s: p for p, names in columns.items() for s in names.split()}
    return {s: named.get(s, others) for s in SECTOR_KEYS}


@pytest.fixture(scope="module")
def exported(django_db_blocker):
    with django_db_blocker.unblock():
        return {i["code"]: i for i in edition_export("ot24")["interventions"]}


def test_edition_and_sections():
    edition = Edition.objects.get(code="ot24")
    assert edition.threshold == 100
    assert [s.letter for s in edition.sections.all()] == ["A", "B", "C", "D"]
    assert edition.sections.get(letter="D").title == "PREVENZIONE DI RISCHI SPECIFICI"


def test_every_code_in_form_order(exported):
    expected = (
        [f"A1{c}" for c in "abcd"] + ["A2", "A3", "A4"] + [f"A5{c}" for c in "abcdefg"] + ["A6", "A7", "A8"]
        + ["B1"] + [f"B2{c}" for c in "abcdefgh"] + [f"C{n}" for n in range(1, 24)] + [f"D{n}" for n in range(1, 8)]
    )
    assert list(exported) == expected
    assert len(expected) == 56


@pytest.mark.parametrize("code", list(FLAT_POINTS) + list(D_COLUMNS))
def test_points_for_every_sector(exported, code):
    assert exported[code]["points"] == expected_points(code)


@pytest.mark.parametrize("code", list(EVIDENCE))
def test_suboptions_and_minimum(exported, code):
    count, minimum = SUBOPTIONS.get(code, (0, 0))
    assert len(exported[code]["suboptions"]) == count
    assert exported[code]["min_suboptions"] == minimum


@pytest.mark.parametrize("code,sets", list(EVIDENCE.items()))
def test_evidence_items_and_alternatives(exported, code, sets):
    assert [len(group) for group in exported[code]["evidence_alternatives"]] == sets
    assert len(exported[code]["evidence"]) == sum(sets)


def test_limits_declarations_and_alternative_groups(exported):
    limits = {code: i["max_workers"] for code, i in exported.items() if i["max_workers"] is not None}
    assert limits == {"C1": 15, "C2": 9}
    declared = {code for code, i in exported.items() if i["declarations"]}
    assert declared == {"C3", "C12"}
    groups = {code: i["alternative_group"] for code, i in exported.items() if i["alternative_group"]}
    assert groups == {**{f"A1{c}": "A1" for c in "abcd"}, **{f"A5{c}": "A5" for c in "abcdefg"}}


def test_evidence_conditions(exported):
    assert list(exported["C11"]["evidence_conditions"].values()) == ["Nel caso di DL SPP"]
    assert exported["C14"]["evidence_alternatives"][1] == [
        "dichiarazione a firma e timbro del medico competente contenente l'indicazione dei dati acquisiti e la loro fonte"
    ]


def test_texts_come_from_the_seed(exported):
    """Every intervention's own text and every evidence label appears in the seed form, once its
    markup, footnote markers and page breaks are removed."""
    seed_path = next((Path(__file__).resolve().parents[2].parent / "shared" / "seeds").glob("002_*.txt"), None)
    if seed_path is None:
        pytest.skip("shared/seeds is not beside the project")
    raw = seed_path.read_text()
    raw = re.sub(r"<sup>\d+</sup>", "", raw)
    raw = re.sub(r"<[^>]+>|\*\*|[|•✓]|-{3,}", " ", raw)
    seed = re.sub(r"\s+", " ", raw)
    seed_words = seed.replace(" ", "")

    def in_seed(text):
        # Page breaks split sentences across table rows; compare without spaces and list numbering.
        squashed = re.sub(r"\s+", "", text)
        return squashed in seed_words

    for code, item in exported.items():
        first_words = re.sub(r"\s+", "", item["text"])[:60]
        assert first_words in seed_words, code
        for label in item["evidence"]:
            assert in_seed(label[:25]), (code, label)


def test_sector_keys_are_the_fourteen():
    assert SECTOR_KEYS == (
        "costruzioni", "trasporti", "energia", "comunicazioni", "alimenti", "mineraria", "ceramica",
        "vetro", "legno", "metallurgia", "metalmeccanica", "chimica", "tessile", "altri",
    )
    assert Intervention.objects.count() == 56
