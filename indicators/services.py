"""Writes of the injury register: hours, injuries, CSV import (all rows or none), and the dated analysis
attached to the site's open draft as evidence for C5 or C6 (through evidence.services, the upload path)."""
from __future__ import annotations

import datetime as dt
import re
import secrets
import time
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import NamedTuple

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from organisations.inail_codes import matching_pat, normalise_pat
from organisations.models import Site

from . import bounds, csvio, rules
from .text import number
from .models import CorrectiveAction, Injury, SiteYearHours, duplicate_key, same_injury

MAX_IMPORT_BYTES = 2 * 1024 * 1024
MAX_IMPORT_ROWS = 10_000
KINDS = ("injuries", "hours")


def max_import_bytes() -> int:
    return getattr(settings, "OT24_INDICATORS_MAX_IMPORT_BYTES", MAX_IMPORT_BYTES)


def _require(user, perm: str, site) -> None:
    if not user.has_perm(perm, site):
        raise PermissionDenied(_("Operazione non consentita per questo utente."))


# --- hours and injuries -------------------------------------------------------------------------------


@transaction.atomic
def hours_save(*, user, site: Site, year: int, hours: Decimal) -> SiteYearHours:
    _require(user, "applications.edit_indicators", site)
    try:
        hours = rules.check_hours(year, hours)
    except rules.IndicatorInputError as exc:
        raise ValidationError(str(exc)) from None
    problem = bounds.year_problem(year) or bounds.hours_problem(hours)
    if problem:
        raise ValidationError(problem)
    row, _created = SiteYearHours.objects.update_or_create(site=site, year=year, defaults={"hours": hours})
    return row


@transaction.atomic
def hours_delete(*, user, site: Site, year: int) -> None:
    _require(user, "applications.edit_indicators", site)
    SiteYearHours.objects.filter(site=site, year=year).delete()


@transaction.atomic
def injury_save(*, user, injury: Injury, actions=None) -> Injury:
    """Save a new or edited event (already validated by forms.InjuryForm, which uses the pure rules) and,
    when given, its corrective actions (a valid forms.CorrectiveActionFormSet)."""
    _require(user, "applications.edit_indicators", injury.site)
    if injury.pat_id and injury.pat.site_id != injury.site_id:
        raise ValidationError(_("La PAT indicata non appartiene a questa unità produttiva."))
    injury.full_clean(exclude=["site", "pat"], validate_unique=False)  # the bounds (bounds.py), whoever calls
    injury.save()
    if actions is not None:
        actions.instance = injury
        actions.save()
    return injury


@transaction.atomic
def injury_delete(*, user, injury: Injury) -> None:
    _require(user, "applications.edit_indicators", injury.site)
    injury.delete()


@transaction.atomic
def contractor_add(*, user, form) -> "Contractor":
    """Add a contractor of the site (a valid ContractorForm, bound to the site)."""
    _require(user, "applications.edit_indicators", form.instance.site)
    return form.save()


def contractor_delete(*, user, contractor) -> None:
    _require(user, "applications.edit_indicators", contractor.site)
    contractor.delete()


# --- CSV import ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Parsed:
    kind: str
    injuries: list  # [(RegisterRow, PAT | None)]
    hours: list  # [(year, hours)]
    held: frozenset = frozenset()  # spreadsheet rows of injuries the register already holds

    @property
    def count(self) -> int:
        """The rows read."""
        return len(self.injuries) if self.kind == "injuries" else len(self.hours)

    @property
    def new_injuries(self) -> list:
        return [(row, pat) for row, pat in self.injuries if row.row not in self.held]


class ImportResult(NamedTuple):
    saved: int  # rows added (injuries) or years saved (hours)
    held: int  # injuries of the file the register already held: not added again


def held_rows(site: Site, rows) -> frozenset[int]:
    """The spreadsheet rows (csvio.RegisterRow) whose injury the site's register already holds: same event
    date and absence, and the same reference or, where either has none, the same description
    (models.same_injury). Each injury of the register stands for one row: a file holding an injury twice
    when the register has it once adds it once more (two workers hurt in the same accident)."""
    wanted = {duplicate_key(r.injury.event_date, r.injury.first_absence, r.injury.last_absence) for r in rows}
    if not wanted:
        return frozenset()
    dates = {key[0] for key in wanted}
    candidates: dict[tuple, list[tuple[str, str]]] = {}
    for injury in Injury.objects.filter(site=site, event_date__in=dates).only(
            "event_date", "first_absence", "last_absence", "reference", "description").order_by("pk"):
        candidates.setdefault(injury.duplicate_key(), []).append((injury.reference, injury.description))
    held = set()
    for row in rows:
        pool = candidates.get(duplicate_key(row.injury.event_date, row.injury.first_absence, row.injury.last_absence))
        if not pool:
            continue
        # A row with a reference takes the injury with that reference first, then one without any.
        order = sorted(range(len(pool)), key=lambda i: not (row.reference and pool[i][0]))
        for i in order:
            if same_injury(row.reference, row.description, *pool[i]):
                held.add(row.row)
                pool.pop(i)
                break
    return frozenset(held)


def decode_upload(data: bytes) -> str:
    limit = max_import_bytes()
    if len(data) > limit:
        size = f"{limit // (1024 * 1024)} MB" if limit >= 1024 * 1024 else f"{limit} byte"
        raise ValidationError(_("Il file supera il limite di %(size)s.") % {"size": size})
    try:
        text = csvio.decode(data)
    except rules.IndicatorInputError as exc:
        raise ValidationError(str(exc)) from None
    lines = text.count("\n") + (0 if text.endswith("\n") else 1)
    if lines - 1 > MAX_IMPORT_ROWS:  # the header is not a row; a cell spanning lines counts each line
        raise ValidationError(_("Il file supera il limite di %(rows)s righe.") % {"rows": number(MAX_IMPORT_ROWS, 0)})
    return text


def _label(column: str) -> str:
    """A column's name as an error shows it (a header cell may hold a control character too)."""
    return bounds.shown(column)


def _checked_date(value: str):
    try:
        return csvio.parse_date(value) if value.strip() else None
    except rules.IndicatorInputError:
        return None  # csvio reports it


def _portal_checks(site: Site, kind: str, text: str) -> tuple[list, set]:
    """The portal's own checks on every record, so that one pass reports every error even when the pure
    reader refuses other cells: no control character in any cell (bounds.py; the cell's other errors are
    then left out, they would echo it back), the ranges of dates, absences, years and hours, and for the
    register PAT numbers of the site and the lengths of the texts. Returns the errors and the (row, column)
    cells with a control character."""
    errors, tainted = [], set()
    header = text.lstrip("\ufeff").split("\n", 1)[0].removesuffix("\r")
    if bounds.control_problem(header):
        errors.append(csvio.RowError(1, "", bounds.control_problem(header)))
    required = csvio.HOURS_COLUMNS if kind == "hours" else csvio.REGISTER_COLUMNS
    pats = {p.number for p in site.pats.all()} if kind != "hours" else set()
    max_description = Injury._meta.get_field("description").max_length
    max_reference = Injury._meta.get_field("reference").max_length
    for row, record in csvio._records(text, required):
        if isinstance(record, str):
            continue
        for column, cell in record.items():
            problem = bounds.control_problem(cell)
            if problem:
                errors.append(csvio.RowError(row, _label(column), problem))
                tainted.add((row, column))

        def clean(column):
            return "" if (row, column) in tainted else record.get(column, "").strip()

        def report(column, problem):
            if problem:
                errors.append(csvio.RowError(row, column, problem))

        if kind == "hours":
            year = clean("anno")
            if re.fullmatch(r"\d{4}", year):
                report("anno", bounds.year_problem(int(year)))
            hours = clean("ore_lavorate")
            if csvio.HOURS_RE.match(hours):
                report("ore_lavorate", bounds.hours_problem(Decimal(hours.replace(",", "."))))
            continue
        dates = {}
        for column in ("data_evento", "primo_giorno_assenza", "ultimo_giorno_assenza"):
            dates[column] = _checked_date(clean(column))
            if dates[column] is not None:
                report(column, bounds.date_problem(dates[column]))
        report("ultimo_giorno_assenza", bounds.absence_problem(dates["primo_giorno_assenza"],
                                                                 dates["ultimo_giorno_assenza"]))
        number = clean("pat")
        if number and matching_pat(number, pats) is None:
            report("pat", _("La PAT %(number)s non è una PAT di questa unità produttiva.") % {"number": number}
                   if normalise_pat(number) else
                   _("«%(number)s» non è un numero PAT: 8 cifre, eventualmente seguite dalle 2 cifre di controllo "
                     "(es. 12345678 o 12345678/90).") % {"number": number})
        if len(clean("descrizione")) > max_description:
            report("descrizione", _("Descrizione troppo lunga (massimo %(max)s caratteri).") % {"max": max_description})
        if len(clean("riferimento")) > max_reference:
            report("riferimento", _("Riferimento troppo lungo (massimo %(max)s caratteri).") % {"max": max_reference})
        for column, model_field in (("impresa", Injury._meta.get_field("contractor")),
                                    ("segnalato_da", Injury._meta.get_field("reported_by")),
                                    ("cause", Injury._meta.get_field("causes")),
                                    ("azione_correttiva", CorrectiveAction._meta.get_field("description")),
                                    ("responsabile_azione", CorrectiveAction._meta.get_field("owner"))):
            cells = clean(column).split(csvio.ACTION_SEPARATOR) if column in ("azione_correttiva", "responsabile_azione") else [clean(column)]
            if any(len(cell.strip()) > model_field.max_length for cell in cells):
                report(column, _("Testo troppo lungo (massimo %(max)s caratteri).") % {"max": model_field.max_length})
        for cell in clean("scadenza_azione").split(csvio.ACTION_SEPARATOR):
            due = _checked_date(cell)
            if due is not None:
                report("scadenza_azione", bounds.date_problem(due))
    return errors, tainted


def parse_import(site: Site, kind: str, text: str, *, as_of: dt.date) -> Parsed:
    """Every row, or csvio.RegisterError with every error (row and column), sorted by row: the pure
    reader's (csvio) and the portal's own (_portal_checks: characters, ranges, PATs of the site, lengths)."""
    errors, tainted = _portal_checks(site, kind, text)
    try:
        if kind == "hours":
            hours = csvio.parse_hours_csv(text)
        else:
            rows = csvio.parse_register(text, as_of=as_of)
    except csvio.RegisterError as exc:
        errors = [e for e in exc.errors if (e.row, e.column) not in tainted] + errors
    if errors:
        raise csvio.RegisterError(sorted(errors, key=lambda e: e.row)) from None
    if kind == "hours":
        return Parsed(kind, [], hours)
    pats = {p.number: p for p in site.pats.all()}
    injuries = [(row, pats.get(matching_pat(row.pat, pats) or "")) for row in rows]
    return Parsed(kind, injuries, [], held_rows(site, rows))


@transaction.atomic
def import_rows(*, user, site: Site, kind: str, text: str, as_of: dt.date | None = None) -> ImportResult:
    """Save every row of the file, or nothing (ValidationError listing every error). Injuries are added to
    the register, except those it already holds (held_rows, checked again here: the file may have been
    imported since its preview); hours replace those of the same year."""
    from .selectors import today

    _require(user, "applications.edit_indicators", site)
    if kind not in KINDS:
        raise ValidationError(_("Tipo di file non valido."))
    # One import of a site's register at a time: two confirmations of the same file would each find the
    # other's rows missing.
    Site.objects.select_for_update().filter(pk=site.pk).first()
    try:
        parsed = parse_import(site, kind, text, as_of=as_of or today())
    except csvio.RegisterError as exc:
        raise ValidationError([str(e) for e in exc.errors]) from None
    except rules.IndicatorInputError as exc:
        raise ValidationError(str(exc)) from None
    if kind == "hours":
        for year, hours in parsed.hours:
            SiteYearHours.objects.update_or_create(site=site, year=year, defaults={"hours": hours})
        return ImportResult(parsed.count, 0)
    new = parsed.new_injuries
    created = Injury.objects.bulk_create([
        Injury(site=site, event_date=row.injury.event_date, first_absence=row.injury.first_absence,
               last_absence=row.injury.last_absence, commuting=row.injury.commuting, fatal=row.injury.fatal,
               disability=row.injury.disability, pat=pat, description=row.description, reference=row.reference,
               kind=row.kind, party=row.party, contractor=row.contractor, reported_by=row.reported_by,
               causes=row.causes)
        for row, pat in new
    ])
    CorrectiveAction.objects.bulk_create([
        CorrectiveAction(event=event, description=action.description, owner=action.owner,
                         due_date=action.due_date, done=action.done)
        for event, (row, _pat) in zip(created, new) for action in row.actions
    ])
    return ImportResult(len(new), len(parsed.held))


# The previewed file waits server-side (private temporary folder) under a random token kept in the
# session; the confirmation reads it once and deletes it.
TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{20,64}$")


def _stash_dir() -> Path:
    path = Path(settings.PRIVATE_MEDIA_ROOT) / "tmp" / "indicators"
    path.mkdir(parents=True, exist_ok=True)
    return path


STASH_MAX_AGE_SECONDS = 24 * 3600  # a preview never confirmed is dropped after a day (at the next preview)


def stash(text: str) -> str:
    folder = _stash_dir()
    cutoff = time.time() - STASH_MAX_AGE_SECONDS
    for old in folder.glob("*.csv"):
        try:
            if old.stat().st_mtime < cutoff:
                old.unlink(missing_ok=True)
        except OSError:
            pass
    token = secrets.token_urlsafe(24)
    (folder / f"{token}.csv").write_text(text, encoding="utf-8")
    return token


def unstash(token: str) -> str | None:
    """The stashed text, removed from disk; None when unknown or already used."""
    if not token or not TOKEN_RE.match(token):
        return None
    path = _stash_dir() / f"{token}.csv"
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return None
    path.unlink(missing_ok=True)
    return text


def discard(token: str) -> None:
    if token and TOKEN_RE.match(token):
        (_stash_dir() / f"{token}.csv").unlink(missing_ok=True)


# --- the analysis attached to the draft ---------------------------------------------------------------

ATTACHABLE = ("C5", "C6")
ANALYSIS_LABEL_START = "Elaborazioni"  # "Elaborazioni, datate e firmate, effettuate sui dati raccolti ..."


class NoDraft(ValidationError):
    pass


class NotSelected(ValidationError):
    def __init__(self, message, application):
        super().__init__(message)
        self.application = application


def open_draft(site: Site):
    from applications.models import Application
    from applications.selectors import current_campaign

    campaign = current_campaign()
    if campaign is None:
        return None
    return (Application.objects.select_related("campaign__edition", "site__company")
            .filter(site=site, campaign=campaign, status=Application.Status.DRAFT).first())


def analysis_item(application, code: str):
    from interventions.models import EvidenceItem

    return (EvidenceItem.objects.filter(intervention__section__edition=application.campaign.edition,
                                        intervention__code=code, label__startswith=ANALYSIS_LABEL_START)
            .order_by("order").first())


def attach_analysis(*, user, site: Site, code: str, first_year: int | None = None, last_year: int | None = None):
    """Render the elaboration of the events of the campaign's reference year (the calendar year before the
    filing year) for `code` and add it to the open draft of the site's current campaign as its evidence
    item "Elaborazioni, datate e firmate, ...", through evidence.services.evidence_add: the permission and
    state checks, the PDF content checks and the quota of any upload apply. C5: the events of the company's
    own staff; C6: those of contractors and subcontractors, refused when the year has none. Other years are
    not offered: `first_year` and `last_year` (the range of the multi-year injury analysis) are ignored."""
    from evidence import services as evidence_services

    from .pdf import events_filename, render_events_pdf
    from .selectors import elaboration_events

    _require(user, "applications.view_indicators", site)
    if code not in ATTACHABLE:
        raise ValidationError(_("Intervento non valido: scegliere C5 o C6."))
    application = open_draft(site)
    if application is None:
        raise NoDraft(_("Nessuna domanda in bozza per questa unità produttiva nella campagna in corso: "
                        "avviare la domanda dal cruscotto, poi allegare l'elaborazione."))
    if not application.selections.filter(intervention__code=code).exists():
        raise NotSelected(_("L'intervento %(code)s non è selezionato nella domanda in bozza: selezionarlo nella "
                            "sezione C, poi allegare l'elaborazione.") % {"code": code}, application)
    item = analysis_item(application, code)
    if item is None:  # pragma: no cover - the catalogue has the item for both interventions
        raise ValidationError(_("Il catalogo non prevede un'elaborazione per %(code)s.") % {"code": code})
    year = application.campaign.reference_year
    if code == "C6" and not elaboration_events(site, code, year).exists():
        raise ValidationError(_("Nessun evento di imprese appaltatrici o subappaltatrici nel %(year)s: "
                                "l'elaborazione non può documentare l'intervento C6. Registrare gli eventi degli "
                                "appaltatori, poi allegarla.") % {"year": year})
    pdf = render_events_pdf(site, code, year)
    # Attached "da firmare": it documents the item once the employer has signed it (evidence.services).
    evidence = evidence_services.evidence_add_generated(user=user, application=application, evidence_item=item,
                                                        name=events_filename(site, code, year), pdf=pdf)
    return application, evidence
