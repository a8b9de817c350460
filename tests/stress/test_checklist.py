"""The check-list fixture against the seed (shared/seeds/003_*.txt): every label, every band, the
levels with their notes, the improvement measures. Labels are compared with the seed's flattened text
programmatically; the few seed typos the fixture corrects are listed here, one by one."""
import re
import unicodedata
from pathlib import Path

import pytest

from stress.checklist import load_checklist

SEEDS = Path(__file__).resolve().parents[2].parent / "shared" / "seeds"

# Typos in the seed that the fixture corrects (seed text -> corrected text), applied to the seed before
# comparing. Everything else is transcribed as printed.
SEED_TYPOS = {
    "SILLE MODALITA'": "SULLE MODALITA'",
    "POSSO PARTECIPARE": "POSSONO PARTECIPARE",
    "AMIBENTE": "AMBIENTE",
    "CARATTERIZZATIVO DA": "CARATTERIZZATO DA",
    "DI UN COMPITI": "DI UN COMPITO",
    "di devono": "si devono",
    "èi raccomanda": "si raccomanda",
}

# Families, their items (count) and the risk answer of every item, read from the seed's wording:
# a good practice ("presenza di organigramma") is at risk when absent, a hazard ("lavoro a turni
# notturni") when present.
RISK = {
    "B1": "no no no no no no no no no",
    "B2": "no no sì sì",
    "B3": "no no no no no no",
    "B4": "no sì no no no",
    "B5": "no no sì",
    "B6": "no no no",
    "C1": "sì sì sì no no sì no sì no sì no",
    "C2": "sì no sì sì no",
    "C3": "no sì sì sì sì sì sì sì",
    "C4": "sì sì sì sì sì sì sì sì",
}

# Band tables as printed (see README.md, "Stress assessment", for the cells the flattening displaced).
FAMILY_BANDS = {
    "B1": [(0, 2), (3, 5), (6, 9)],
    "B2": [(0, 1), (2, 3), (4, 4)],
    "B3": [(0, 2), (3, 4), (5, 6)],
    "B4": [(0, 1), (2, 3), (4, 5)],
    "B5": [(0, 1), (2, 2), (3, 3)],
    "B6": [],
    "C1": [(0, 3), (4, 7), (8, 11)],
    "C2": [(0, 2), (3, 4), (5, 6)],
    "C3": [(0, 2), (3, 5), (6, 8)],
    "C4": [(0, 2), (3, 5), (6, 8)],
}
AREA_BANDS = {
    "A": [(0, 10, 0), (12, 26, 2), (28, 40, 5)],
    "B": [(0, 7, None), (8, 14, None), (15, 27, None)],
    "C": [(0, 8, None), (9, 17, None), (18, 33, None)],
}


@pytest.fixture(scope="module")
def seed():
    path = next(SEEDS.glob("003_*.txt"), None)
    if path is None:
        pytest.skip("shared/seeds is not beside the project")
    text = path.read_text()
    for wrong, right in SEED_TYPOS.items():
        assert wrong in text, wrong
        text = text.replace(wrong, right)
    return text


def squash(text) -> str:
    """Letters and digits only, accents and case dropped: 'È presente' and "E' PRESENTE" agree."""
    text = unicodedata.normalize("NFD", str(text))  # labels are lazy translations now
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"[^0-9a-z]", "", text.casefold())


@pytest.fixture(scope="module")
def checklist():
    return load_checklist()


def test_areas_and_families_in_seed_order(checklist):
    assert [a.key for a in checklist.areas] == ["A", "B", "C"]
    assert [a.title for a in checklist.areas] == ["Indicatori aziendali", "Contesto del lavoro", "Contenuto del lavoro"]
    assert [f.key for f in checklist.area("B").families] == ["B1", "B2", "B3", "B4", "B5", "B6"]
    assert [f.key for f in checklist.area("C").families] == ["C1", "C2", "C3", "C4"]
    assert [f.key for f in checklist.area("A").families] == ["A1"]


def test_item_ids_are_stable_and_numbered(checklist):
    for area in checklist.areas:
        for family in area.families:
            assert [i.id for i in family.items] == [f"{family.key}.{n}" for n in range(1, len(family.items) + 1)]
    ids = [i.id for i in checklist.items()]
    assert len(ids) == len(set(ids)) == 10 + 30 + 32


def test_every_label_and_title_comes_from_the_seed(checklist, seed):
    squashed = squash(seed)
    missing = []
    for area in checklist.areas:
        texts = [area.title] + [f.title for f in area.families] + [i.label for i in area.items()]
        missing += [t for t in texts if squash(t) not in squashed]
    assert missing == []


def test_items_follow_the_seed_results_list_in_order(checklist, seed):
    """The results chapter lists every B and C item in order, each followed by its share (0,00)."""
    squashed = squash(seed[seed.index("CONTESTO DEL LAVORO FUNZIONE E CULTURA"):])
    position = 0
    for area in checklist.areas[1:]:
        for item in area.items():
            found = squashed.find(squash(item.label), position)
            assert found >= position, item.id
            position = found


def test_area_a_covers_the_ten_indicators_and_the_summary(checklist, seed):
    items = checklist.area("A").items()
    assert len(items) == 10
    summary = seed[seed.index("RIEPILOGO VALORI INDICATORI AZIENDALI"):seed.index("CONTESTO DEL LAVORO FUNZIONE")]
    lines = re.findall(r"([A-Z%][A-Z%/' ]+?) 0,00", summary.replace("RIEPILOGO VALORI INDICATORI AZIENDALI ", ""))
    assert len(lines) == 11  # the two kinds of court case are one indicator
    squashed_labels = [squash(i.label) for i in items]
    for line in lines:
        assert any(squash(line).startswith(label) for label in squashed_labels), line
    for item in items:
        assert [(c.value, c.score) for c in item.choices] == [("diminuito", 0), ("inalterato", 1), ("aumentato", 4)]
        assert [c.value for c in item.choices if c.risk] == ["aumentato"]
        assert item.indicator and item.formula


def test_area_a_formulas_are_the_seeds(checklist, seed):
    formulas = {i.indicator: i.formula for i in checklist.area("A").items()}
    assert "1.000.000" in formulas["injuries"]
    assert squash("n tot ore perse / n tot ore potenziali lavorabili da contratto") in squash(formulas["absenteeism"])
    assert squash("(n. lavoratori usciti + n. lavoratori entrati) / n. totali lavoratori] x 100") in squash(
        formulas["turnover"]
    )
    assert squash("(n totale di infortuni / n totale di ore lavorate) * 1.000.000") in squash(seed)


@pytest.mark.parametrize("family_key,risks", list(RISK.items()))
def test_choices_and_risk_answers(checklist, family_key, risks):
    family = checklist.family(family_key)
    assert len(family.items) == len(risks.split())
    for item, risk in zip(family.items, risks.split()):
        assert [c.value for c in item.choices] == ["sì", "no"], item.id
        assert {c.value: c.score for c in item.choices} == {risk: 1, ("no" if risk == "sì" else "sì"): 0}, item.id
        assert [c.value for c in item.choices if c.risk] == [risk], item.id


def test_the_two_examples_of_the_issue(checklist):
    organigramma = next(i for i in checklist.items() if i.label == "Presenza di organigramma aziendale")
    notturni = next(i for i in checklist.items() if i.label == "È presente un lavoro a turni notturni")
    assert organigramma.risk_choice.value == "no" and notturni.risk_choice.value == "sì"


@pytest.mark.parametrize("family_key,bands", list(FAMILY_BANDS.items()))
def test_family_bands(checklist, family_key, bands):
    family = checklist.family(family_key)
    assert [(b.start, b.end) for b in family.bands] == bands
    if bands:
        assert [b.level for b in family.bands] == ["basso", "medio", "alto"]


def test_family_bands_as_printed_where_the_row_is_intact(checklist, seed):
    """Rows the flattening kept whole: 'Title value from to from to from to'."""
    for key in ("B3", "B4", "C1", "C2", "C3", "C4"):
        family = checklist.family(key)
        title = str(family.title)
        bounds = " ".join(f"{b.start} {b.end}" for b in family.bands)
        assert re.search(re.escape(title) + r" \d,\d\d " + re.escape(bounds) + r"\b", seed), key
    # The displaced cells: "6 9" before the first row, Ruolo's "4" and Rapporti's bounds in the tail.
    assert "DA A DA A DA A 6 9 Funzione e cultura organizzativa 0,00 0 2 3 5 Ruolo" in seed
    assert "Ruolo nell’ambito dell’organizzazione 0,00 0 1 2 3 Evoluzione" in seed
    assert "inserire il valore 0 1 0 4 2 7 8 3 14 15 27" in seed
    assert "Orario di lavoro 2,50 0 2 3 5 6 8 0 8 9 17 15 33 6,00" in seed


def test_home_work_interface_rule(checklist, seed):
    family = checklist.family("B6")
    assert family.zero_points == -1 and family.above_zero_points == 0
    assert "è uguale a 0, inserire il valore -1. se superiore a 0, inserire il valore 0" in seed


@pytest.mark.parametrize("area_key,bands", list(AREA_BANDS.items()))
def test_area_bands(checklist, area_key, bands):
    area = checklist.area(area_key)
    assert [(b.start, b.end, b.points) for b in area.bands] == bands
    assert [b.level for b in area.bands] == ["basso", "medio", "alto"]


def test_area_a_bands_as_printed(seed):
    assert "DA A DA A DA A 0 10 12 26 28 40 0,00 0 2 5" in seed
    for start, end, points in AREA_BANDS["A"]:
        assert re.search(rf"compreso tra {start} [ae] {end},? si inserisce nella tabella finale il valore {points}\b", seed)


def test_levels_notes_and_follow_up(checklist, seed):
    assert [(lv.level, lv.start, lv.end) for lv in checklist.levels] == [("basso", 0, 14), ("medio", 15, 30), ("alto", 31, 60)]
    assert "DA 0 A 14" in seed and "15 30 RISCHIO MEDIO" in seed and "31 60 RISCHIO ALTO" in seed
    for lv in checklist.levels:
        assert lv.note and squash(lv.note) in squash(seed), lv.level
        assert lv.title == f"Rischio {lv.level}"
    basso, medio, alto = checklist.levels
    assert basso.reassess_months == 24 and "cambiamento organizzativo" in basso.follow_up
    assert medio.reassess_months == 12 and "annual" in medio.follow_up
    assert alto.perception_survey and "percezione dello stress" in alto.follow_up
    assert not basso.perception_survey and not medio.perception_survey


def test_improvement_measures(checklist, seed):
    measures = checklist.measures
    assert [m.number for m in measures] == [1, 2, 3, 4, 5]
    assert [m.title for m in measures] == [
        "Formazione sulla comunicazione e relazione",
        "Formazione dei lavoratori sul rischio stress-lavoro correlato",
        "Coinvolgimento dei lavoratori",
        "Piano di monitoraggio / follow-up / aggiornamento",
        "Rilievo dati indicatori aziendali",
    ]
    assert [m.months for m in measures] == [12, 12, 12, 24, 12]
    assert "Tempi intervento 1 anno 1 anno 1 anno 2 anni 1 anno" in seed
    for m in measures:
        assert squash(m.title) in squash(seed) and squash(m.objective) in squash(seed), m.number
