"""The injury register and hours CSV files, read into plain data for `rules.compute()`. Pure: no ORM.

Register header (any order; `pat`, `descrizione`, `riferimento` and other extra columns are allowed):
    data_evento,primo_giorno_assenza,ultimo_giorno_assenza,in_itinere,mortale,invalidita_permanente
and, optional (issue 33; without them every row is an injury of the company's own staff):
    tipo_evento,coinvolti,impresa,segnalato_da,cause,azione_correttiva,responsabile_azione,scadenza_azione,
    azione_eseguita
Hours header: anno,ore_lavorate

Dates: YYYY-MM-DD or dd/mm/yyyy. Flags: si / sì / no (any case; empty = no). An empty last day means the
worker is still absent; an empty first day means no absence at all; an empty disability is 0. The
separator is a comma, or a semicolon as Italian spreadsheets save it. Every error is collected with its
row (as a spreadsheet counts it: the header is row 1) and column; nothing is accepted while any row is
wrong (`RegisterError.errors`).
"""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from . import rules
from .rules import IndicatorInputError, Injury, check_hours, disability_problem
from .text import _, ngettext

REGISTER_COLUMNS = (
    "data_evento",
    "primo_giorno_assenza",
    "ultimo_giorno_assenza",
    "in_itinere",
    "mortale",
    "invalidita_permanente",
)
OPTIONAL_COLUMNS = ("pat", "descrizione", "riferimento")
# Issue 33: the register of events. Optional, so that a file with the columns above only still imports
# (every row then an injury of the company's own staff).
EVENT_COLUMNS = ("tipo_evento", "coinvolti", "impresa", "segnalato_da", "cause", "azione_correttiva",
                 "responsabile_azione", "scadenza_azione", "azione_eseguita")
HOURS_COLUMNS = ("anno", "ore_lavorate")

# Injury field -> register column, to place the rules' own checks in the right cell.
FIELD_COLUMNS = {
    "event_date": "data_evento",
    "first_absence": "primo_giorno_assenza",
    "last_absence": "ultimo_giorno_assenza",
    "commuting": "in_itinere",
    "fatal": "mortale",
    "disability": "invalidita_permanente",
}

ISO_RE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
IT_RE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
HOURS_RE = re.compile(r"^\d+(?:[.,]\d{1,2})?$")
YES = {"si", "sì", "sí"}
NO = {"no", ""}


@dataclass(frozen=True)
class RowError:
    row: int  # 1 = the header
    column: str  # "" when the error is about the whole row or file
    message: str

    def __str__(self) -> str:
        if self.column:
            return _("Riga %(row)s, colonna %(column)s: %(message)s") % {
                "row": self.row, "column": self.column, "message": self.message}
        return _("Riga %(row)s: %(message)s") % {"row": self.row, "message": self.message}


class RegisterError(IndicatorInputError):
    """Every error of a file. str(): the first one, and how many more, on one line."""

    def __init__(self, errors: list[RowError]):
        self.errors = errors
        first = str(errors[0])
        more = len(errors) - 1
        if more:
            first += " " + ngettext("(e un altro errore)", "(e altri %(count)s errori)", more) % {"count": more}
        super().__init__(first)


@dataclass(frozen=True)
class Action:
    description: str
    owner: str = ""
    due_date: date | None = None
    done: bool = False


@dataclass(frozen=True)
class RegisterRow:
    row: int
    injury: Injury
    pat: str = ""
    description: str = ""
    reference: str = ""
    kind: str = rules.KIND_INJURY
    party: str = rules.PARTY_OWN
    contractor: str = ""
    reported_by: str = ""
    causes: str = ""
    actions: tuple[Action, ...] = ()


def _folded(value: str) -> str:
    return "".join(ch for ch in value.strip().lower().replace("-", " ").replace("_", " ") if ch.isalnum() or ch == " ")


KIND_WORDS = {_folded(code): code for code in rules.EVENT_KINDS} | {
    "infortunio": rules.KIND_INJURY, "incidente senza infortunio": rules.KIND_INCIDENT,
    "quasi infortunio": rules.KIND_NEAR_MISS, "near miss": rules.KIND_NEAR_MISS,
    "situazione pericolosa": rules.KIND_DANGEROUS,
}
PARTY_WORDS = {_folded(code): code for code in rules.EVENT_PARTIES} | {
    "": rules.PARTY_OWN, "proprio": rules.PARTY_OWN, "personale": rules.PARTY_OWN, "azienda": rules.PARTY_OWN,
    "personale dell'azienda": rules.PARTY_OWN, "personale dellazienda": rules.PARTY_OWN,
    "appalto": rules.PARTY_CONTRACTOR, "subappalto": rules.PARTY_SUBCONTRACTOR,
}


def parse_kind(text: str) -> str:
    value = _folded(text)
    if not value:
        return rules.KIND_INJURY
    if value in KIND_WORDS:
        return KIND_WORDS[value]
    raise IndicatorInputError(_("Tipo di evento «%(value)s» non valido: scrivere infortunio, incidente, "
                                "quasi_infortunio o situazione_pericolosa.") % {"value": text.strip()})


def parse_party(text: str) -> str:
    value = _folded(text)
    if value in PARTY_WORDS:
        return PARTY_WORDS[value]
    raise IndicatorInputError(_("Valore «%(value)s» non valido: scrivere personale_proprio, appaltatore o "
                                "subappaltatore.") % {"value": text.strip()})


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), else Windows-1252 as older Italian spreadsheets save CSV."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:
            raise IndicatorInputError(_("Il file non è un CSV di testo (codifica UTF-8).")) from None


def parse_date(text: str) -> date:
    value = text.strip()
    match = ISO_RE.match(value)
    if match:
        year, month, day = (int(g) for g in match.groups())
    else:
        match = IT_RE.match(value)
        if not match:
            raise IndicatorInputError(
                _("«%(value)s» non è una data valida: usare AAAA-MM-GG oppure GG/MM/AAAA.") % {"value": value}
            )
        day, month, year = (int(g) for g in match.groups())
    try:
        return date(year, month, day)
    except ValueError:
        raise IndicatorInputError(_("La data «%(value)s» non esiste.") % {"value": value}) from None


def parse_flag(text: str) -> bool:
    value = text.strip().lower()
    if value in YES:
        return True
    if value in NO:
        return False
    raise IndicatorInputError(_("Valore «%(value)s» non valido: scrivere si oppure no.") % {"value": text.strip()})


def parse_disability(text: str) -> int:
    value = text.strip()
    if not value:
        return 0
    if not re.fullmatch(r"-?\d{1,9}", value):  # bounded: int() refuses strings past 4,300 digits
        raise IndicatorInputError(
            _("Valore «%(value)s» non valido: indicare i punti di invalidità permanente (da 0 a 100).")
            % {"value": value}
        )
    problem = disability_problem(int(value))
    if problem:
        raise IndicatorInputError(problem)
    return int(value)


def parse_hours(text: str, year: int) -> Decimal:
    value = text.strip()
    if not HOURS_RE.match(value):
        raise IndicatorInputError(
            _("Valore «%(value)s» non valido: scrivere le ore senza separatore delle migliaia "
              "(es. 12500 o 12500,5).") % {"value": value}
        )
    return check_hours(year, Decimal(value.replace(",", ".")))


def parse_year(text: str) -> int:
    value = text.strip()
    if not re.fullmatch(r"\d{4}", value):
        raise IndicatorInputError(_("Anno «%(value)s» non valido: scrivere l'anno con 4 cifre.") % {"value": value})
    return int(value)


def _records(text: str, required: tuple[str, ...]) -> list[tuple[int, dict[str, str] | str]]:
    """The non-blank records as {column: cell}, numbered as spreadsheet rows; a record that cannot be read
    by column (more cells than the header) is its error message instead."""
    text = text.lstrip("\ufeff")
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header_cells = next(reader)
    except StopIteration:
        header_cells = []
    except csv.Error as exc:
        raise RegisterError([RowError(1, "", _("il file non è un CSV leggibile (%(error)s).") % {"error": exc})])
    header = [cell.strip().lower() for cell in header_cells]
    if not any(header):
        raise RegisterError([RowError(1, "", _("il file è vuoto, manca l'intestazione."))])
    errors = []
    seen = set()
    for name in header:
        if name and name in seen:
            errors.append(RowError(1, name, _("Colonna ripetuta.")))
        seen.add(name)
    errors += [RowError(1, name, _("Colonna obbligatoria mancante.")) for name in required if name not in seen]
    if errors:
        raise RegisterError(errors)

    records = []
    row = 1
    try:
        for cells in reader:
            row += 1
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) > len(header):
                records.append((row, ngettext("La riga ha %(cells)s cella, l'intestazione %(header)s.",
                                              "La riga ha %(cells)s celle, l'intestazione %(header)s.", len(cells)) % {
                    "cells": len(cells), "header": len(header)}))
                continue
            cells = cells + [""] * (len(header) - len(cells))
            records.append((row, dict(zip(header, cells))))
    except csv.Error as exc:
        raise RegisterError([RowError(row + 1, "", _("riga non leggibile (%(error)s).") % {"error": exc})])
    return records


def _cell(errors: list[RowError], row: int, column: str, parse, value: str):
    try:
        return parse(value)
    except IndicatorInputError as exc:
        errors.append(RowError(row, column, str(exc)))
        return None


ACTION_SEPARATOR = "|"


def _actions(errors: list[RowError], row: int, record: dict[str, str]) -> list[Action]:
    """The corrective actions of a row: one per cell, or several separated by | in each of the four
    columns, in the same order (as the export writes them)."""
    columns = ("azione_correttiva", "responsabile_azione", "scadenza_azione", "azione_eseguita")
    parts = {c: [p.strip() for p in record.get(c, "").split(ACTION_SEPARATOR)] for c in columns}
    count = max(len(v) for v in parts.values())
    actions = []
    for n in range(count):
        text, owner, due, done = (parts[c][n] if n < len(parts[c]) else "" for c in columns)
        if not any((text, owner, due, done)):
            continue
        if not text:
            errors.append(RowError(row, "azione_correttiva",
                                   _("Indicata una scadenza o un responsabile senza l'azione correttiva.")))
            continue
        due_date = _cell(errors, row, "scadenza_azione", parse_date, due) if due else None
        flag = _cell(errors, row, "azione_eseguita", parse_flag, done)
        actions.append(Action(text, owner, due_date, bool(flag)))
    return actions


def parse_register(text: str, *, as_of: date | None = None) -> list[RegisterRow]:
    """The register's rows, or RegisterError with every error. With `as_of`, an event after it is an error."""
    records = _records(text, REGISTER_COLUMNS)
    errors: list[RowError] = []
    rows: list[RegisterRow] = []
    for row, record in records:
        if isinstance(record, str):
            errors.append(RowError(row, "", record))
            continue
        before = len(errors)
        event = record["data_evento"].strip()
        if not event:
            errors.append(RowError(row, "data_evento", _("Dato obbligatorio mancante.")))
        else:
            event = _cell(errors, row, "data_evento", parse_date, event)

        def optional_date(column):
            value = record[column].strip()
            return _cell(errors, row, column, parse_date, value) if value else None

        first = optional_date("primo_giorno_assenza")
        last = optional_date("ultimo_giorno_assenza")
        commuting = _cell(errors, row, "in_itinere", parse_flag, record["in_itinere"])
        fatal = _cell(errors, row, "mortale", parse_flag, record["mortale"])
        disability = _cell(errors, row, "invalidita_permanente", parse_disability, record["invalidita_permanente"])
        kind = _cell(errors, row, "tipo_evento", parse_kind, record.get("tipo_evento", ""))
        party = _cell(errors, row, "coinvolti", parse_party, record.get("coinvolti", ""))
        actions = _actions(errors, row, record)
        if len(errors) > before:
            continue
        injury = Injury(event, first, last, commuting=commuting, fatal=fatal, disability=disability, ref=row)
        problems = injury.problems(as_of)
        contractor = record.get("impresa", "").strip()
        event_columns = {"kind": "tipo_evento", "party": "coinvolti", "contractor": "impresa"}
        problems += rules.event_problems(kind, party, contractor, first_absence=first, fatal=fatal,
                                         disability=disability, commuting=commuting)
        if problems:
            errors += [RowError(row, FIELD_COLUMNS.get(name) or event_columns[name], message)
                       for name, message in problems]
            continue
        rows.append(RegisterRow(row, injury, record.get("pat", "").strip(), record.get("descrizione", "").strip(),
                                record.get("riferimento", "").strip(), kind=kind, party=party, contractor=contractor,
                                reported_by=record.get("segnalato_da", "").strip(),
                                causes=record.get("cause", "").strip(), actions=tuple(actions)))
    if errors:
        raise RegisterError(errors)
    return rows


def parse_hours_csv(text: str) -> list[tuple[int, Decimal]]:
    """(year, hours) in file order, or RegisterError with every error."""
    records = _records(text, HOURS_COLUMNS)
    errors: list[RowError] = []
    years: list[tuple[int, Decimal]] = []
    seen: set[int] = set()
    for row, record in records:
        if isinstance(record, str):
            errors.append(RowError(row, "", record))
            continue
        year = _cell(errors, row, "anno", parse_year, record["anno"])
        if year is None:
            continue
        if year in seen:
            errors.append(RowError(row, "anno", _("Anno %(year)s indicato due volte.") % {"year": year}))
            continue
        seen.add(year)
        hours = _cell(errors, row, "ore_lavorate", lambda v: parse_hours(v, year), record["ore_lavorate"])
        if hours is not None:
            years.append((year, hours))
    if errors:
        raise RegisterError(errors)
    return years
