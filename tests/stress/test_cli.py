"""`manage.py stress` as scripts use it: the exact JSON keys, one-line Italian errors, non-zero exit,
no traceback. The command reads no database."""
import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from stress.checklist import load_checklist

from . import seed_example

ROOT = Path(__file__).resolve().parents[2]


def run_json(*args):
    out = StringIO()
    call_command("stress", *args, stdout=out)
    return json.loads(out.getvalue())


def write(tmp_path, document, name="answers.json"):
    path = tmp_path / name
    path.write_text(document if isinstance(document, str) else json.dumps(document, ensure_ascii=False))
    return str(path)


def test_export_has_exactly_the_agreed_keys():
    doc = run_json("export")
    assert list(doc) == ["areas", "levels"]
    assert [a["key"] for a in doc["areas"]] == ["A", "B", "C"]
    for area in doc["areas"]:
        assert list(area) == ["key", "title", "families"]
        for family in area["families"]:
            assert list(family) == ["key", "title", "items"]
            for item in family["items"]:
                assert list(item) == ["id", "label", "choices"]
                for choice in item["choices"]:
                    assert list(choice) == ["value", "score"]
    assert doc["levels"] == [
        {"level": "basso", "from": 0, "to": 14},
        {"level": "medio", "from": 15, "to": 30},
        {"level": "alto", "from": 31, "to": 60},
    ]
    b11 = doc["areas"][1]["families"][0]["items"][0]
    assert b11 == {"id": "B1.1", "label": "Presenza di organigramma aziendale",
                   "choices": [{"value": "sì", "score": 0}, {"value": "no", "score": 1}]}
    a11 = doc["areas"][0]["families"][0]["items"][0]
    assert a11["choices"] == [{"value": "diminuito", "score": 0}, {"value": "inalterato", "score": 1},
                              {"value": "aumentato", "score": 4}]
    assert sum(len(f["items"]) for a in doc["areas"] for f in a["families"]) == 72


def test_score_of_the_seed_example(tmp_path):
    answers = seed_example.answers(load_checklist())
    doc = run_json("score", write(tmp_path, {"answers": answers}))
    assert doc == {
        "areas": {"A": {"score": 0, "points": 0}, "B": {"score": 4, "points": 4}, "C": {"score": 6, "points": 6}},
        "total": 10,
        "level": "basso",
    }


def test_score_with_halves_and_joint_answers(tmp_path):
    checklist = load_checklist()
    answers = {i.id: seed_example.safe_value(i) for a in checklist.areas[1:] for i in a.items()}
    answers.update({i.id: "aumentato" for i in checklist.area("A").items()})
    answers["C3.2"] = ["sì", "no", "no"]
    doc = run_json("score", write(tmp_path, {"answers": answers}))
    assert doc["areas"] == {"A": {"score": 40, "points": 5}, "B": {"score": -1, "points": -1},
                            "C": {"score": 0.5, "points": 0.5}}
    assert doc["total"] == 4.5 and doc["level"] == "basso"


def complete():
    checklist = load_checklist()
    answers = {i.id: seed_example.safe_value(i) for a in checklist.areas[1:] for i in a.items()}
    answers.update({i.id: "inalterato" for i in checklist.area("A").items()})
    return answers


@pytest.mark.parametrize(
    "document,message",
    [
        ({"answers": {**complete(), "X1.1": "sì"}}, "Voce sconosciuta: X1.1"),
        ({"answers": {k: v for k, v in complete().items() if k != "C2.3"}}, "Risposte mancanti: C2.3"),
        ({"answers": {**complete(), "B5.3": "forse"}}, "Risposta non valida per B5.3"),
        ({"answers": {**complete(), "B5.3": []}}, "Nessuna risposta per B5.3"),
        ({"risposte": {}}, "Il file deve contenere un oggetto JSON con la chiave \"answers\""),
        ({"answers": ["sì"]}, "Il file deve contenere un oggetto JSON con la chiave \"answers\""),
        ("{not json", "non è un JSON valido"),
    ],
)
def test_score_errors(tmp_path, document, message):
    with pytest.raises(CommandError, match=message):
        call_command("stress", "score", write(tmp_path, document), stdout=StringIO())


def test_missing_file():
    with pytest.raises(CommandError, match="File non trovato"):
        call_command("stress", "score", "/nonexistent/answers.json", stdout=StringIO())


def manage(*args):
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="ot24portal.settings.test")
    return subprocess.run([sys.executable, "manage.py", "stress", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True)


def test_command_line_exit_code_one_line_and_no_traceback(tmp_path):
    bad = [
        write(tmp_path, {"answers": {**complete(), "Z1.1": "sì"}}, "unknown.json"),
        write(tmp_path, {"answers": {k: v for k, v in complete().items() if k != "A1.1"}}, "missing.json"),
        write(tmp_path, {"answers": {**complete(), "C1.1": "SI"}}, "invalid.json"),
        write(tmp_path, "[1, 2", "broken.json"),
        str(tmp_path / "absent.json"),
    ]
    for path in bad:
        proc = manage("score", path)
        assert proc.returncode != 0, path
        assert "Traceback" not in proc.stderr, path
        assert len(proc.stderr.strip().splitlines()) == 1, proc.stderr
        assert proc.stdout == "", path
    ok = manage("score", write(tmp_path, {"answers": complete()}, "ok.json"))
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout) == {"areas": {"A": {"score": 10, "points": 0}, "B": {"score": -1, "points": -1},
                                               "C": {"score": 0, "points": 0}}, "total": -1, "level": "basso"}
    export = manage("export")
    assert export.returncode == 0 and list(json.loads(export.stdout)) == ["areas", "levels"]
