"""`python manage.py catalogue export EDITION` and `catalogue score EDITION ...`: the catalogue and the
scoring engine from the command line, printing JSON for scripts and checks."""
import json
import re

from django.core.management.base import BaseCommand, CommandError

from interventions import scoring
from interventions.selectors import EditionNotFound, catalogue_get, edition_export

SELECTION_RE = re.compile(r"^(?P<code>[A-Za-z]\d+[a-z]?)(?:=(?P<subs>\d+(?:,\d+)*))?$")


def parse_selection(arg: str) -> scoring.Selection:
    """'B2d=1,2,3,4' -> Selection('B2d', {1, 2, 3, 4}); 'A2' -> Selection('A2')."""
    match = SELECTION_RE.match(arg.strip())
    if not match:
        raise CommandError(f"Selezione non valida: {arg!r}. Formato atteso: CODICE oppure CODICE=1,2,3.")
    subs = match["subs"]
    return scoring.Selection(
        code=match["code"], suboptions=frozenset(int(n) for n in subs.split(",")) if subs else frozenset()
    )


def parse_declarations(value: str) -> list[str]:
    return [code.strip() for code in value.split(",") if code.strip()] if value else []


class Command(BaseCommand):
    help = "Esporta il catalogo OT24 o calcola il punteggio di una selezione di interventi (JSON)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        export = sub.add_parser("export", help="Stampa il catalogo di un'edizione in JSON.")
        export.add_argument("edition")
        score = sub.add_parser("score", help="Calcola il punteggio di una selezione.")
        score.add_argument("edition")
        score.add_argument("--sector", required=True, help="Settore (es. costruzioni, altri).")
        score.add_argument("--workers", required=True, type=int, help="Numero di lavoratori dell'unità produttiva.")
        score.add_argument("--declare", default="", help="Codici le cui dichiarazioni sono confermate, es. C3,C12.")
        score.add_argument("selections", nargs="+", help="CODICE oppure CODICE=1,2,... (numeri delle opzioni).")

    def handle(self, *args, action, edition, **options):
        try:
            if action == "export":
                document = edition_export(edition)
            else:
                document = self._score(edition, **options)
        except (EditionNotFound, scoring.ScoringInputError) as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(json.dumps(document, ensure_ascii=False, indent=2))

    def _score(self, edition, *, sector, workers, declare, selections, **_):
        catalogue = catalogue_get(edition)
        declared = parse_declarations(declare)
        for code in declared:
            catalogue.get(code)
        result = scoring.score(
            catalogue,
            sector=sector,
            workers=workers,
            declarations=declared,
            selections=[parse_selection(arg) for arg in selections],
        )
        return result.as_dict()
