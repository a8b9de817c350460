"""`python manage.py stress export` and `stress score FILE.json`: the stress check-list and its scoring
from the command line, printing JSON for scripts and checks. No database is read."""
import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from stress import scoring
from stress.checklist import load_checklist


def read_answers(path: str) -> dict:
    """The "answers" object of a JSON file; every problem is one Italian sentence."""
    try:
        with open(path, encoding="utf-8") as fh:
            document = json.load(fh)
    except FileNotFoundError:
        raise CommandError(_("File non trovato: %(path)s.") % {"path": path}) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise CommandError(_("Impossibile leggere %(path)s: %(error)s.") % {"path": path, "error": exc.__class__.__name__}) from None
    except json.JSONDecodeError as exc:
        raise CommandError(
            _("%(path)s non è un JSON valido (riga %(line)s, colonna %(col)s).")
            % {"path": path, "line": exc.lineno, "col": exc.colno}
        ) from None
    if not isinstance(document, dict) or not isinstance(document.get("answers"), dict):
        raise CommandError(
            _('Il file deve contenere un oggetto JSON con la chiave "answers": {codice della voce: risposta}.')
        )
    return document["answers"]


class Command(BaseCommand):
    requires_system_checks = []  # reads no database and no settings beyond translation

    help = "Esporta la check-list dello stress lavoro-correlato o calcola il punteggio di una compilazione (JSON)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("export", help="Stampa la check-list in JSON.")
        score = sub.add_parser("score", help="Calcola il punteggio delle risposte contenute in un file JSON.")
        score.add_argument("file", help='File JSON {"answers": {VOCE: VALORE oppure [VALORE, ...]}}.')

    def handle(self, *args, action, **options):
        checklist = load_checklist()
        if action == "export":
            document = checklist.export()
        else:
            try:
                document = scoring.score(checklist, read_answers(options["file"])).as_dict()
            except scoring.StressInputError as exc:
                raise CommandError(str(exc)) from None
        self.stdout.write(json.dumps(document, ensure_ascii=False, indent=2))
