"""The birth place a person's codice fiscale holds (issue 34): the cadastral ("Belfiore") code at positions
12-15 names a municipality, or a foreign country (Z...), valid on the birth date the code also holds.

The table is accounts/data/belfiore.csv, generated once by scripts/belfiore_table.py from the data of
python-codicefiscale (MIT licence, accounts/data/belfiore.LICENSE.txt; sources ISTAT and the Agenzia delle
Entrate). That package is not a dependency: it needs python-slugify<9 while the portal pins 9.2.0.
"""
from __future__ import annotations

import csv
import datetime as dt
from functools import lru_cache
from pathlib import Path

TABLE = Path(__file__).resolve().parent / "data" / "belfiore.csv"
# Omocodia: when two people share a code, its digits are replaced by letters from the right.
_OMOCODIA = str.maketrans("LMNPQRSTUV", "0123456789")
_FOREIGN = "EE"  # the table's "province" of a foreign country


@lru_cache(maxsize=1)
def _places() -> dict[str, list[tuple[str, str, dt.date, dt.date]]]:
    """{code: [(name, province, from, to)]}, read once per process."""
    places: dict[str, list[tuple[str, str, dt.date, dt.date]]] = {}
    with TABLE.open(encoding="utf-8", newline="") as table:
        for row in csv.DictReader(table, delimiter=";"):
            places.setdefault(row["code"], []).append((
                row["name"], row["province"], dt.date.fromisoformat(row["from"]),
                dt.date.fromisoformat(row["to"]) if row["to"] else dt.date.max))
    return places


def birth_place_from_codice_fiscale(code: str) -> str | None:
    """"Roma (RM)", or the country for a person born abroad ("Albania"), or None for a code that is not a
    valid personal codice fiscale or whose place the table does not know."""
    from stdnum.exceptions import ValidationError as StdnumError
    from stdnum.it import codicefiscale

    from .validators import compact_fiscal_code

    code = compact_fiscal_code(code or "")
    if len(code) != 16:
        return None
    try:
        codicefiscale.validate(code)
        born = codicefiscale.get_birth_date(code)
    except (StdnumError, ValueError):
        return None
    cadastral = code[11] + code[12:15].translate(_OMOCODIA)
    options = _places().get(cadastral, [])
    valid = [o for o in options if o[2] <= born <= o[3]] or options[-1:]  # a gap in the data: the latest name
    if not valid:
        return None
    name, province, *_dates = valid[0]
    return name if province == _FOREIGN else f"{name} ({province})"
