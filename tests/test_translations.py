"""The English catalogue is complete and right, and counted messages use the plural forms.

The .po checks read the file itself (a tiny parser, no dependency): every entry translated, none fuzzy,
none made of its own text repeated, and the same placeholders and HTML tags as the Italian text.
"""
import re
from collections import Counter
from pathlib import Path

import pytest
from django.utils import translation

from interventions import scoring

PO_FILE = Path(__file__).resolve().parent.parent / "locale" / "en" / "LC_MESSAGES" / "django.po"

_ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}
_KEY = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr\[\d+\]|msgstr)\s+(".*")$')


def _unquote(text: str) -> str:
    text = text.strip()[1:-1]
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), "\\" + m.group(1)), text)


def parse_po(text: str) -> list[dict]:
    """The entries of a .po file (without the header), each a dict of msgid, msgstr..., and 'flags'."""
    entries, entry, key = [], None, None
    for line in text.splitlines() + [""]:
        if not line.strip():
            if entry and entry.get("msgid"):
                entries.append(entry)
            entry, key = None, None
            continue
        entry = entry if entry is not None else {"flags": set()}
        if line.startswith("#,"):
            entry["flags"].update(flag.strip() for flag in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif match := _KEY.match(line):
            key = match.group(1)
            entry[key] = _unquote(match.group(2))
        elif key:
            entry[key] += _unquote(line)
    return entries


def translations(entry: dict) -> list[tuple[str, str]]:
    """(source, translation) pairs: msgstr[0] goes with msgid, the other plural forms with msgid_plural."""
    if "msgid_plural" in entry:
        forms = sorted(k for k in entry if k.startswith("msgstr["))
        return [(entry["msgid"] if k == "msgstr[0]" else entry["msgid_plural"], entry[k]) for k in forms]
    return [(entry["msgid"], entry.get("msgstr", ""))]


_PLACEHOLDER = re.compile(r"%\(\w+\)[sdrif]|%[sdrif%]|\{\w*\}")
_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*")


def self_repeating(text: str) -> bool:
    """True for a text that is one shorter string repeated k >= 2 times (optionally space-separated)."""
    return bool(re.fullmatch(r"(.{2,}?)(?:\s*\1)+", text, re.S))


def problems(entries: list[dict]) -> list[str]:
    found = []
    for entry in entries:
        msgid = entry["msgid"][:60]
        if "fuzzy" in entry["flags"]:
            found.append(f"fuzzy: {msgid!r}")
        for source, text in translations(entry):
            if not text:
                found.append(f"untranslated: {msgid!r}")
                continue
            if self_repeating(text):
                found.append(f"repeated text: {msgid!r}")
            if Counter(_PLACEHOLDER.findall(source)) != Counter(_PLACEHOLDER.findall(text)):
                found.append(f"placeholders differ: {msgid!r}")
            if Counter(_TAG.findall(source)) != Counter(_TAG.findall(text)):
                found.append(f"HTML tags differ: {msgid!r}")
    return found


def test_checker_catches_each_kind_of_bad_entry():
    po = '''msgid ""
msgstr ""
"Plural-Forms: nplurals=2; plural=(n != 1);\\n"

msgid "Vuoto"
msgstr ""

#, fuzzy
msgid "Indovinato"
msgstr "Guessed"

msgid "Ripetuto."
msgstr "Repeated. Repeated. Repeated."

msgid "Ripetuto senza spazi."
msgstr "Again.Again."

msgid "PAT %(n)s di %(who)s"
msgstr "PAT %(number)s of %(who)s"

msgid "Accedi con <strong>%(email)s</strong>"
msgstr "Log in with %(email)s"

msgid "%(n)s riga"
msgid_plural "%(n)s righe"
msgstr[0] "%(n)s row"
msgstr[1] ""

msgid "Giusto: %(n)s."
msgstr "Right: %(n)s."
'''
    found = problems(parse_po(po))
    assert found == [
        "untranslated: 'Vuoto'",
        "fuzzy: 'Indovinato'",
        "repeated text: 'Ripetuto.'",
        "repeated text: 'Ripetuto senza spazi.'",
        "placeholders differ: 'PAT %(n)s di %(who)s'",
        "HTML tags differ: 'Accedi con <strong>%(email)s</strong>'",
        "untranslated: '%(n)s riga'",
    ]


def test_english_catalogue_is_complete_and_right():
    entries = parse_po(PO_FILE.read_text(encoding="utf-8"))
    assert len(entries) > 600
    assert problems(entries) == []


def test_lavoratori_means_workers():
    entries = parse_po(PO_FILE.read_text(encoding="utf-8"))
    by_id = {e["msgid"]: e.get("msgstr") for e in entries}
    assert by_id["lavoratori-anno"].lower() == "worker-years"
    # "lavoratori" alone (or as the plural of a count of workers) is "workers", never "worker-years".
    workers = [e for e in entries if e["msgid"] == "lavoratori" or " lavoratori" in (e.get("msgid_plural") or "")
               and "lavoratori-anno" not in (e.get("msgid_plural") or "")]
    assert workers
    for e in workers:
        text = " ".join(str(v) for k, v in e.items() if k.startswith("msgstr"))
        assert "worker" in text.lower() and "worker-year" not in text.lower(), e


CATALOGUE = scoring.Catalogue(edition="t", threshold=100, items=(
    scoring.CatalogueItem(code="X1", section="A", title="one", points={"costruzioni": 10},
                          suboptions=("a", "b", "c"), min_suboptions=1),
    scoring.CatalogueItem(code="X2", section="A", title="two", points={"costruzioni": 10},
                          suboptions=("a", "b", "c"), min_suboptions=2),
))


def _errors(code: str) -> str:
    result = scoring.score(CATALOGUE, sector="costruzioni", workers=5,
                           selections=[scoring.Selection(code)])
    return result.line(code).errors[0]


@pytest.mark.parametrize("language, code, expected", [
    ("it", "X1", "Selezionare almeno 1 opzione tra quelle previste (selezionate: 0)."),
    ("it", "X2", "Selezionare almeno 2 opzioni tra quelle previste (selezionate: 0)."),
    ("en", "X1", "Select at least 1 of the options provided (selected: 0)."),
    ("en", "X2", "Select at least 2 of the options provided (selected: 0)."),
])
def test_scoring_messages_are_translated_with_plural_forms(language, code, expected):
    with translation.override(language):
        assert _errors(code) == expected
