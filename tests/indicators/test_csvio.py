"""The register and hours CSV files: dates ISO or dd/mm/yyyy, si/sì/no flags, errors by row and column."""
from datetime import date as d
from decimal import Decimal

import pytest

from indicators import csvio
from indicators.csvio import RegisterError, parse_hours_csv, parse_register
from indicators.rules import IndicatorInputError, Injury

HEADER = "data_evento,primo_giorno_assenza,ultimo_giorno_assenza,in_itinere,mortale,invalidita_permanente\n"


def test_parse_register_both_date_formats_flags_and_empties():
    text = HEADER + (
        "2024-03-01,2024-03-01,2024-03-10,no,no,0\n"
        "15/12/2024,16/12/2024,,sì,NO,\n"
        "2/1/2024,,,si,Si,5\n"
        "\n"  # blank lines are skipped
    )
    rows = parse_register(text)
    assert [r.row for r in rows] == [2, 3, 4]
    assert rows[0].injury == Injury(d(2024, 3, 1), d(2024, 3, 1), d(2024, 3, 10))
    assert rows[1].injury == Injury(d(2024, 12, 15), d(2024, 12, 16), None, commuting=True)
    assert rows[2].injury == Injury(d(2024, 1, 2), None, None, commuting=True, fatal=True, disability=5)
    assert rows[0].injury.ref == 2


def test_semicolons_bom_extra_columns_and_any_column_order():
    text = ("\ufeffpat;Descrizione;mortale;in_itinere;invalidita_permanente;data_evento;"
            "primo_giorno_assenza;ultimo_giorno_assenza;note\n"
            "12345678;Caduta dalla scala;no;no;3;2024-05-02;2024-05-02;2024-05-20;x\n")
    (row,) = parse_register(text)
    assert row.pat == "12345678" and row.description == "Caduta dalla scala"
    assert row.injury == Injury(d(2024, 5, 2), d(2024, 5, 2), d(2024, 5, 20), disability=3)


def test_header_only_is_an_empty_register():
    assert parse_register(HEADER) == []


@pytest.mark.parametrize(
    "line,column,message",
    [
        ("2024-02-30,2024-03-01,2024-03-10,no,no,0", "data_evento", "La data «2024-02-30» non esiste."),
        ("31/04/2024,,,no,no,0", "data_evento", "La data «31/04/2024» non esiste."),
        ("2024/03/01,,,no,no,0", "data_evento",
         "«2024/03/01» non è una data valida: usare AAAA-MM-GG oppure GG/MM/AAAA."),
        (",,,no,no,0", "data_evento", "Dato obbligatorio mancante."),
        ("2024-03-01,2024-03-01,29/02/2023,no,no,0", "ultimo_giorno_assenza", "La data «29/02/2023» non esiste."),
        ("2024-03-05,2024-03-10,2024-03-09,no,no,0", "ultimo_giorno_assenza",
         "L'ultimo giorno di assenza (09/03/2024) è precedente al primo (10/03/2024)."),
        ("2024-03-05,2024-03-04,2024-03-09,no,no,0", "primo_giorno_assenza",
         "Il primo giorno di assenza (04/03/2024) è precedente alla data dell'evento (05/03/2024)."),
        ("2024-03-05,,,forse,no,0", "in_itinere", "Valore «forse» non valido: scrivere si oppure no."),
        ("2024-03-05,,,no,1,0", "mortale", "Valore «1» non valido: scrivere si oppure no."),
        ("2024-03-05,,,no,no,abc", "invalidita_permanente",
         "Valore «abc» non valido: indicare i punti di invalidità permanente (da 0 a 100)."),
        ("2024-03-05,,,no,no,120", "invalidita_permanente",
         "L'invalidità permanente va da 0 a 100 punti (indicati: 120)."),
        ("2024-03-05,,,no,no,0,extra", "", "La riga ha 7 celle, l'intestazione 6."),
    ],
)
def test_row_errors_name_row_and_column(line, column, message):
    text = HEADER + "2024-01-10,2024-01-10,2024-01-20,no,no,0\n" + line + "\n"
    with pytest.raises(RegisterError) as excinfo:
        parse_register(text)
    (error,) = excinfo.value.errors
    assert (error.row, error.column, error.message) == (3, column, message)
    assert "\n" not in str(excinfo.value)


def test_every_wrong_row_is_reported_and_nothing_accepted():
    text = HEADER + (
        "2024-13-01,,,no,no,0\n"  # row 2
        "2024-03-01,2024-03-01,2024-03-10,no,no,0\n"  # row 3: fine
        "2024-03-01,2024-03-01,2024-03-10,boh,no,-1\n"  # row 4: two errors
    )
    with pytest.raises(RegisterError) as excinfo:
        parse_register(text)
    errors = [(e.row, e.column) for e in excinfo.value.errors]
    assert errors == [(2, "data_evento"), (4, "in_itinere"), (4, "invalidita_permanente")]
    assert str(excinfo.value) == ("Riga 2, colonna data_evento: La data «2024-13-01» non esiste. "
                                  "(e altri 2 errori)")


def test_rows_are_counted_as_a_spreadsheet_does_with_quoted_newlines():
    text = ("data_evento,primo_giorno_assenza,ultimo_giorno_assenza,in_itinere,mortale,invalidita_permanente,"
            "descrizione\n"
            '2024-03-01,,,no,no,0,"due\nrighe"\n'
            "2024-03-99,,,no,no,0,x\n")
    with pytest.raises(RegisterError) as excinfo:
        parse_register(text)
    assert excinfo.value.errors[0].row == 3


def test_event_after_as_of_is_refused_when_as_of_given():
    text = HEADER + "2025-07-01,,,no,no,0\n"
    assert parse_register(text)  # no as-of: fine
    with pytest.raises(RegisterError, match="successiva alla data di riferimento"):
        parse_register(text, as_of=d(2025, 6, 30))


@pytest.mark.parametrize(
    "text,message",
    [
        ("", "Riga 1: il file è vuoto, manca l'intestazione."),
        ("data_evento,primo_giorno_assenza,in_itinere,mortale,invalidita_permanente\n",
         "Riga 1, colonna ultimo_giorno_assenza: Colonna obbligatoria mancante."),
        (HEADER.strip() + ",mortale\n", "Riga 1, colonna mortale: Colonna ripetuta."),
    ],
)
def test_header_errors(text, message):
    with pytest.raises(RegisterError) as excinfo:
        parse_register(text)
    assert str(excinfo.value) == message
    assert isinstance(excinfo.value, IndicatorInputError)


def test_parse_hours_csv_values():
    assert parse_hours_csv("anno;ore_lavorate\n2023;120000\n2024;98500,5\n") == [
        (2023, Decimal("120000")), (2024, Decimal("98500.5"))
    ]


@pytest.mark.parametrize(
    "line,column,message",
    [
        ("2024,0", "ore_lavorate", "Le ore lavorate del 2024 devono essere maggiori di zero."),
        ("2024,12.500", "ore_lavorate",
         "Valore «12.500» non valido: scrivere le ore senza separatore delle migliaia (es. 12500 o 12500,5)."),
        ("24,100", "anno", "Anno «24» non valido: scrivere l'anno con 4 cifre."),
        ("2023,100", "anno", "Anno 2023 indicato due volte."),
    ],
)
def test_hours_csv_errors(line, column, message):
    with pytest.raises(RegisterError) as excinfo:
        parse_hours_csv("anno,ore_lavorate\n2023,100\n" + line + "\n")
    (error,) = excinfo.value.errors
    assert (error.row, error.column, error.message) == (3, column, message)


@pytest.mark.parametrize("raw,value", [("si", True), ("SÌ", True), (" sì ", True), ("no", False), ("", False)])
def test_flags(raw, value):
    assert csvio.parse_flag(raw) is value


def test_decode_utf8_bom_and_windows_1252():
    assert csvio.decode("\ufeffsì".encode("utf-8")) == "sì"
    assert csvio.decode("sì".encode("cp1252")) == "sì"
