"""`manage.py catalogue` as scripts use it: JSON out, clear errors, non-zero exit, no traceback."""
import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from interventions.sectors import SECTOR_KEYS

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def run_json(*args):
    out = StringIO()
    call_command("catalogue", *args, stdout=out)
    return json.loads(out.getvalue())


def test_export_shape():
    doc = run_json("export", "ot24")
    assert doc["edition"] == "ot24" and doc["threshold"] == 100
    assert len(doc["interventions"]) == 56
    b2d = next(i for i in doc["interventions"] if i["code"] == "B2d")
    assert set(b2d) >= {"code", "section", "title", "points", "suboptions", "min_suboptions", "max_workers",
                        "declarations", "evidence"}
    assert list(b2d["points"]) == list(SECTOR_KEYS)
    assert len(b2d["suboptions"]) == 7 and b2d["min_suboptions"] == 4
    a6 = next(i for i in doc["interventions"] if i["code"] == "A6")
    assert a6["evidence"] == []


def test_score_worked_by_hand():
    # Costruzioni, 12 workers: A1a 100 (A1b alternative), C1 30, C3 50 declared, B2d short of 4, D4 50.
    doc = run_json("score", "ot24", "--sector", "costruzioni", "--workers", "12", "--declare", "C3",
                   "A1a", "A1b", "C1", "C3", "B2d=1,2,3", "D4")
    assert doc["total"] == 230 and doc["threshold"] == 100 and doc["eligible"] is True
    counted = {l["code"]: l["counted"] for l in doc["lines"]}
    assert counted == {"A1a": True, "A1b": False, "B2d": False, "C1": True, "C3": True, "D4": True}


def test_score_below_threshold():
    doc = run_json("score", "ot24", "--sector", "altri", "--workers", "30", "C4", "C5", "D1")
    assert doc["total"] == 100 and doc["eligible"] is True
    doc = run_json("score", "ot24", "--sector", "altri", "--workers", "30", "C4", "D1")
    assert doc["total"] == 60 and doc["eligible"] is False


@pytest.mark.parametrize(
    "args,message",
    [
        (["score", "ot24", "--sector", "pesca", "--workers", "3", "A2"], "Settore sconosciuto"),
        (["score", "ot24", "--sector", "altri", "--workers", "3", "Z9"], "Intervento sconosciuto"),
        (["score", "ot24", "--sector", "altri", "--workers", "3", "B2d=a,b"], "Selezione non valida"),
        (["score", "ot24", "--sector", "altri", "--workers", "3", "--declare", "Q1", "A2"], "Intervento sconosciuto"),
        (["score", "nope", "--sector", "altri", "--workers", "3", "A2"], "Edizione sconosciuta"),
        (["export", "nope"], "Edizione sconosciuta"),
    ],
)
def test_errors(args, message):
    with pytest.raises(CommandError, match=message):
        call_command("catalogue", *args, stdout=StringIO())


def test_command_line_exit_code_and_no_traceback():
    """Run as a real process against the test database (the catalogue is committed at session start)."""
    from django.conf import settings

    db = settings.DATABASES["default"]
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="ot24portal.settings.test",
               DATABASE_URL=f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}")
    def manage(*args):
        return subprocess.run([sys.executable, "manage.py", "catalogue", *args],
                              cwd=ROOT, env=env, capture_output=True, text=True)

    for bad in (["score", "ot24", "--sector", "nope", "--workers", "3", "A2"],
                ["score", "ot24", "--sector", "altri", "--workers", "x", "A2"],
                ["score", "ot24", "--sector", "altri", "--workers", "3", "A2=??"]):
        proc = manage(*bad)
        assert proc.returncode != 0, bad
        assert "Traceback" not in proc.stderr and proc.stderr.strip(), bad
    ok = manage("score", "ot24", "--sector", "altri", "--workers", "3", "A2", "C1")
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout)["total"] == 130
