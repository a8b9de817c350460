"""`manage.py indicators compute FILE.csv --hours YEAR=HOURS ... [--as-of]`: the JSON contract and its errors
(non-zero exit, one Italian line on stderr, no traceback)."""
import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

ROOT = Path(__file__).resolve().parents[2]
HEADER = "data_evento,primo_giorno_assenza,ultimo_giorno_assenza,in_itinere,mortale,invalidita_permanente\n"

# Seed 004, the paper mill of test_rules.test_seed_004_case_paper_mill_2008_2009, as dd/mm/yyyy and ISO.
PAPER_MILL = HEADER + (
    "12/03/2008,12/03/2008,31/03/2008,no,no,0\n"
    "15/12/2008,15/12/2008,10/01/2009,no,no,\n"
    "2008-06-02,2008-06-02,2008-07-01,sì,no,0\n"
    "2009-05-05,2009-05-06,2009-05-08,no,no,0\n"
    "2009-07-20,2009-07-20,2009-08-08,no,no,0\n"
    "20/12/2009,21/12/2009,15/01/2010,no,no,0\n"
)
PAPER_MILL_JSON = {"years": [
    {"year": 2008, "hours": 110000, "injuries": 2, "excluded": 1, "days": 37, "frequency": 18.18,
     "severity": 0.34, "severity_uni": 0.34, "obiettivo_zero": False, "reduction_pct": None, "fatal": False},
    {"year": 2009, "hours": 120000, "injuries": 2, "excluded": 1, "days": 41, "frequency": 16.67,
     "severity": 0.34, "severity_uni": 0.34, "obiettivo_zero": False, "reduction_pct": 8.33, "fatal": False},
]}
KEYS = ["year", "hours", "injuries", "excluded", "days", "frequency", "severity", "severity_uni",
        "obiettivo_zero", "reduction_pct", "fatal"]


@pytest.fixture
def register(tmp_path):
    count = iter(range(1, 1000))

    def write(text, encoding="utf-8"):
        path = tmp_path / f"registro-{next(count)}.csv"
        path.write_bytes(text.encode(encoding))
        return str(path)
    return write


def run_json(*args):
    out = StringIO()
    call_command("indicators", *args, stdout=out)
    return json.loads(out.getvalue())


def test_compute_paper_mill_exact_json(register):
    doc = run_json("compute", register(PAPER_MILL), "--hours", "2008=110000", "--hours", "2009=120000",
                   "--as-of", "2010-02-28")
    assert doc == PAPER_MILL_JSON
    assert [list(entry) for entry in doc["years"]] == [KEYS, KEYS]


def test_years_in_the_order_given_and_reduction_only_against_the_previous_calendar_year(register):
    doc = run_json("compute", register(PAPER_MILL), "--hours", "2009=120000", "--hours", "2007=1000,5",
                   "--hours", "2008=110000", "--as-of", "28/02/2010")
    assert [y["year"] for y in doc["years"]] == [2009, 2007, 2008]
    assert doc["years"][0] == PAPER_MILL_JSON["years"][1]  # 2008 given later: still the previous year
    assert doc["years"][1]["hours"] == 1000.5 and doc["years"][1]["obiettivo_zero"] is True
    assert doc["years"][2]["reduction_pct"] is None  # 2007's IF is 0
    doc = run_json("compute", register(PAPER_MILL), "--hours", "2009=120000", "--as-of", "2010-02-28")
    assert doc["years"][0]["reduction_pct"] is None  # 2008 not given


def test_as_of_defaults_to_today(register):
    today = timezone.localdate()
    first = today.replace(month=1, day=1)
    text = HEADER + f"{first.isoformat()},{first.isoformat()},,no,no,0\n"  # still absent
    doc = run_json("compute", register(text), "--hours", f"{today.year}=1000")
    days = (today - first).days + 1
    assert doc["years"][0]["days"] == days
    assert doc["years"][0]["injuries"] == (1 if days > 3 else 0)


def test_semicolon_windows_1252_file(register):
    text = PAPER_MILL.replace(",", ";")
    doc = run_json("compute", register(text, encoding="cp1252"), "--hours", "2008=110000",
                   "--hours", "2009=120000", "--as-of", "2010-02-28")
    assert doc == PAPER_MILL_JSON


@pytest.mark.parametrize(
    "text,hours,message",
    [
        (HEADER + "2024-02-30,,,no,no,0\n", ["2024=1000"],
         "Riga 2, colonna data_evento: La data «2024-02-30» non esiste."),
        (HEADER + "2024-03-10,2024-03-10,2024-03-01,no,no,0\n", ["2024=1000"],
         "Riga 2, colonna ultimo_giorno_assenza: "
         "L'ultimo giorno di assenza (01/03/2024) è precedente al primo (10/03/2024)."),
        ("data;evento\n1;2\n", ["2024=1000"], "Riga 1, colonna data_evento: Colonna obbligatoria mancante. "
                                               "(e altri 5 errori)"),
        (HEADER, ["2024=0"], "Le ore lavorate del 2024 devono essere maggiori di zero."),
        (HEADER, ["2024=-3"], "Valore «-3» non valido: scrivere le ore senza separatore delle migliaia "
                              "(es. 12500 o 12500,5)."),
        (HEADER, ["2024"], "--hours non valido: «2024». Formato atteso: ANNO=ORE (es. 2024=120000)."),
        (HEADER, ["24=100"], "Anno «24» non valido: scrivere l'anno con 4 cifre."),
        (HEADER, ["2024=1", "2024=2"], "Ore lavorate indicate due volte per il 2024."),
    ],
)
def test_errors(register, text, hours, message):
    args = ["compute", register(text), "--as-of", "2025-01-31"]
    for value in hours:
        args += ["--hours", value]
    with pytest.raises(CommandError) as excinfo:
        call_command("indicators", *args, stdout=StringIO())
    assert str(excinfo.value) == message


def test_bad_as_of_and_missing_file(register, tmp_path):
    with pytest.raises(CommandError, match=r"^--as-of: La data «2025-02-29» non esiste\.$"):
        call_command("indicators", "compute", register(HEADER), "--hours", "2024=1", "--as-of", "2025-02-29")
    with pytest.raises(CommandError, match=r"^File non trovato: .*nope\.csv\.$"):
        call_command("indicators", "compute", str(tmp_path / "nope.csv"), "--hours", "2024=1")


def manage(*args):
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="ot24portal.settings.test")
    return subprocess.run([sys.executable, "manage.py", "indicators", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True)


def test_command_line_exit_code_one_line_no_traceback(register):
    """As a real process: the errors of the contract, and argparse's own, are one line on stderr."""
    cases = [
        ([register(HEADER + "31/02/2024,,,no,no,0\n"), "--hours", "2024=1000"],
         "CommandError: Riga 2, colonna data_evento: La data «31/02/2024» non esiste."),
        ([register(HEADER + "2024-03-10,2024-03-10,2024-03-01,no,no,0\n"), "--hours", "2024=1000"],
         "CommandError: Riga 2, colonna ultimo_giorno_assenza: "
         "L'ultimo giorno di assenza (01/03/2024) è precedente al primo (10/03/2024)."),
        ([register("non è un registro\n"), "--hours", "2024=1000"], None),
        ([register(HEADER), "--hours", "2024=0"],
         "CommandError: Le ore lavorate del 2024 devono essere maggiori di zero."),
        ([register(HEADER)], None),  # --hours missing: argparse's error, one line too
    ]
    for args, expected in cases:
        proc = manage("compute", *args, "--as-of", "2025-01-31")
        assert proc.returncode != 0, args
        assert proc.stdout == "", args
        assert "Traceback" not in proc.stderr, proc.stderr
        assert len(proc.stderr.strip().splitlines()) == 1, proc.stderr
        if expected:
            assert proc.stderr.strip() == expected
    ok = manage("compute", register(PAPER_MILL), "--hours", "2008=110000", "--hours", "2009=120000",
                "--as-of", "2010-02-28")
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout) == PAPER_MILL_JSON
    assert ok.stderr == ""


def test_compute_commuting_death_is_not_counted_a_death_at_work_is(register):
    # Hand-worked: 2024, 200,000 hours. A death while commuting (excluded: no injury, no 7,500 days,
    # Obiettivo Zero kept); 2025, 200,000 hours: a death at work (1 injury, IF 5.00, IG UNI 7,500*1000/200,000).
    text = HEADER + "10/03/2024,,,si,si,0\n" + "10/03/2025,,,no,si,0\n"
    doc = run_json("compute", register(text), "--hours", "2024=200000", "--hours", "2025=200000",
                   "--as-of", "2025-12-31")
    assert doc == {"years": [
        {"year": 2024, "hours": 200000, "injuries": 0, "excluded": 1, "days": 0, "frequency": 0.0,
         "severity": 0.0, "severity_uni": 0.0, "obiettivo_zero": True, "reduction_pct": None, "fatal": False},
        {"year": 2025, "hours": 200000, "injuries": 1, "excluded": 0, "days": 0, "frequency": 5.0,
         "severity": 0.0, "severity_uni": 37.5, "obiettivo_zero": False, "reduction_pct": None, "fatal": True},
    ]}


def test_compute_counts_only_injuries_of_own_staff_when_the_file_has_event_columns(register):
    # Same JSON keys; the near miss and the contractor's injury are in the file but not in the indices.
    text = (HEADER.rstrip("\n") + ",tipo_evento,coinvolti,impresa\n"
            "10/03/2024,10/03/2024,19/03/2024,no,no,0,,,\n"
            "11/03/2024,,,no,no,0,quasi_infortunio,,\n"
            "12/03/2024,12/03/2024,30/03/2024,no,no,0,infortunio,appaltatore,Edil Rossi srl\n")
    doc = run_json("compute", register(text), "--hours", "2024=100000", "--as-of", "2024-12-31")
    (year,) = doc["years"]
    assert list(year) == KEYS
    assert (year["injuries"], year["days"], year["frequency"], year["severity"]) == (1, 10, 10.0, 0.1)
