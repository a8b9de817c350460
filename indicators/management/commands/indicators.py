"""`python manage.py indicators compute FILE.csv --hours YEAR=HOURS [--hours ...] [--as-of YYYY-MM-DD]`:
the safety indices of an injury register, printed as JSON for scripts and checks.

The contract (keep the arguments and the keys as they are):
    {"years": [{"year", "hours", "injuries", "excluded", "days", "frequency", "severity", "severity_uni",
                "obiettivo_zero", "reduction_pct", "fatal"}, ...]}
one entry per --hours year in the order given; the indices rounded half-up to 2 decimals. Every error
exits non-zero with one Italian line on stderr and no traceback."""
import json
import types
from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from indicators import csvio, rules


def one_line_error(parser, message):
    """argparse's own errors (a missing argument) on one line too, instead of usage + error."""
    if parser.called_from_command_line:
        parser.exit(2, f"{parser.prog}: {message}\n")
    raise CommandError(f"Error: {message}")


class OneLineParser(CommandParser):
    error = one_line_error


def parse_hours_arg(value: str) -> tuple[int, Decimal]:
    year, sep, hours = value.partition("=")
    if not sep:
        raise rules.IndicatorInputError(
            _("--hours non valido: «%(value)s». Formato atteso: ANNO=ORE (es. 2024=120000).") % {"value": value}
        )
    number = csvio.parse_year(year)
    return number, csvio.parse_hours(hours, number)


class Command(BaseCommand):
    help = "Calcola gli indici di frequenza e di gravità di un registro infortuni (JSON)."
    # Pure computation on a file: the project's system checks (and their warnings on stderr, e.g. under
    # the test settings) have nothing to say about it, and stderr stays one line on error.
    requires_system_checks = []

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.error = types.MethodType(one_line_error, parser)
        return parser

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, parser_class=OneLineParser)
        compute = sub.add_parser("compute", help="Calcola gli indici per gli anni indicati.")
        compute.add_argument("file", help="Registro infortuni in CSV (intestazione: " +
                             ",".join(csvio.REGISTER_COLUMNS) + ").")
        compute.add_argument("--hours", action="append", required=True, metavar="ANNO=ORE",
                             help="Ore lavorate in un anno; ripetere per ogni anno (es. --hours 2024=120000).")
        compute.add_argument("--as-of", dest="as_of", default=None, metavar="AAAA-MM-GG",
                             help="Data di riferimento per le assenze ancora aperte (predefinita: oggi).")

    def handle(self, *args, action, file, hours, as_of, **options):
        try:
            document = self._compute(file, hours, as_of)
        except rules.IndicatorInputError as exc:
            raise CommandError(" ".join(str(exc).split())) from None
        self.stdout.write(json.dumps(document, ensure_ascii=False, indent=2))

    def _compute(self, path, hours_args, as_of_arg):
        if as_of_arg is None:
            as_of = timezone.localdate()
        else:
            try:
                as_of = csvio.parse_date(as_of_arg)
            except rules.IndicatorInputError as exc:
                raise rules.IndicatorInputError("--as-of: %s" % exc) from None
        hours = [parse_hours_arg(value) for value in hours_args]
        try:
            with open(path, "rb") as handle:
                data = handle.read()
        except FileNotFoundError:
            raise rules.IndicatorInputError(_("File non trovato: %(path)s.") % {"path": path}) from None
        except OSError as exc:
            raise rules.IndicatorInputError(
                _("File non leggibile: %(path)s (%(error)s).") % {"path": path, "error": exc.strerror}
            ) from None
        rows = csvio.parse_register(csvio.decode(data), as_of=as_of)
        # Only the injuries of the company's own staff enter the indices (a file with the event columns of
        # issue 33 may also hold near misses and contractors' events).
        results = rules.compute([row.injury for row in rows if rules.enters_indices(row.kind, row.party)], hours,
                                as_of=as_of)
        return {"years": [result.as_dict() for result in results]}
