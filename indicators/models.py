"""The injury register of each productive unit and its hours worked per year (issue 19). The indices are
computed from these rows by the pure rules (rules.compute) every time they are shown."""
from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from organisations.models import PAT, Site

from . import rules
from .bounds import MAX_HOURS, absence_problem, validate_no_control_characters, validate_register_date


class SiteYearHours(models.Model):
    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="year_hours")
    year = models.PositiveIntegerField(_("anno"), validators=[MinValueValidator(1900), MaxValueValidator(2100)])
    hours = models.DecimalField(_("ore lavorate"), max_digits=14, decimal_places=2,
                                validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(MAX_HOURS)])

    class Meta:
        verbose_name = _("ore lavorate nell'anno")
        verbose_name_plural = _("ore lavorate per anno")
        ordering = ["site_id", "year"]
        constraints = [
            models.UniqueConstraint(fields=["site", "year"], name="unique_site_year_hours"),
            models.CheckConstraint(condition=models.Q(hours__gt=0), name="site_year_hours_positive"),
        ]

    def __str__(self):
        return f"{self.site} {self.year}: {self.hours}"


class Injury(models.Model):
    """One event of the register (issue 33: events, not only injuries): an injury, an incident without
    injury, a near miss or a dangerous situation, of the company's own staff or of a named contractor or
    subcontractor, who reported it, the causes found and the corrective actions (CorrectiveAction). Only the
    injuries of the company's own staff enter the indices (rules.enters_indices). First and last day of
    absence are inclusive; the last day is empty while the worker is still absent; no first day means no
    absence."""

    KIND_CHOICES = [(code, _(label)) for code, label in rules.EVENT_KINDS.items()]
    PARTY_CHOICES = [(code, _(label)) for code, label in rules.EVENT_PARTIES.items()]

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="injuries")
    kind = models.CharField(_("tipo di evento"), max_length=30, choices=KIND_CHOICES, default=rules.KIND_INJURY)
    party = models.CharField(_("persone coinvolte"), max_length=30, choices=PARTY_CHOICES, default=rules.PARTY_OWN)
    contractor = models.CharField(
        _("impresa appaltatrice o subappaltatrice"), max_length=200, blank=True,
        validators=[validate_no_control_characters],
        help_text=_("Ragione sociale dell'impresa, se l'evento riguarda un appaltatore o subappaltatore."))
    reported_by = models.CharField(_("segnalato da"), max_length=200, blank=True,
                                   validators=[validate_no_control_characters])
    causes = models.TextField(_("cause individuate"), max_length=2000, blank=True,
                              validators=[validate_no_control_characters])
    event_date = models.DateField(_("data dell'evento"), validators=[validate_register_date])
    first_absence = models.DateField(_("primo giorno di assenza"), null=True, blank=True,
                                     validators=[validate_register_date])
    last_absence = models.DateField(
        _("ultimo giorno di assenza"), null=True, blank=True, validators=[validate_register_date],
        help_text=_("Lasciare vuoto se il lavoratore è ancora assente."))
    commuting = models.BooleanField(_("in itinere"), default=False)
    fatal = models.BooleanField(_("mortale"), default=False)
    disability = models.PositiveSmallIntegerField(
        _("invalidità permanente (punti %)"), default=0, validators=[MaxValueValidator(100)])
    pat = models.ForeignKey(PAT, verbose_name=_("PAT"), on_delete=models.SET_NULL, null=True, blank=True,
                            related_name="injuries")
    description = models.CharField(_("descrizione"), max_length=300, blank=True,
                                   validators=[validate_no_control_characters])
    reference = models.CharField(
        _("riferimento"), max_length=60, blank=True, validators=[validate_no_control_characters],
        help_text=_("Facoltativo: numero del registro o della denuncia, oppure le iniziali del lavoratore. "
                    "Distingue due infortuni dello stesso giorno e fa riconoscere quelli già importati."))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("evento")
        verbose_name_plural = _("eventi")
        ordering = ["site_id", "event_date", "id"]
        indexes = [models.Index(fields=["site", "event_date"], name="injury_site_date")]

    def __str__(self):
        return f"{self.site} {self.event_date:%d/%m/%Y}"

    def clean(self):
        problem = absence_problem(self.first_absence, self.last_absence)
        if problem:
            raise ValidationError({"last_absence": problem})
        problems: dict[str, list[str]] = {}
        for name, message in rules.event_problems(self.kind, self.party, self.contractor,
                                                  first_absence=self.first_absence, fatal=self.fatal,
                                                  disability=self.disability or 0, commuting=self.commuting):
            problems.setdefault(name, []).append(message)
        if problems:
            raise ValidationError(problems)

    @property
    def in_indices(self) -> bool:
        return rules.enters_indices(self.kind, self.party)

    @property
    def kind_label(self) -> str:
        return self.get_kind_display()

    @property
    def party_label(self) -> str:
        if rules.is_contractor(self.party):
            return f"{self.get_party_display()}: {self.contractor}"
        return self.get_party_display()

    def duplicate_key(self) -> tuple:
        return duplicate_key(self.event_date, self.first_absence, self.last_absence)

    def as_rule(self) -> rules.Injury:
        return rules.Injury(self.event_date, self.first_absence, self.last_absence, commuting=self.commuting,
                            fatal=self.fatal, disability=self.disability, ref=self.pk)


class CorrectiveAction(models.Model):
    """A corrective action decided after an event: what, who is responsible, by when, whether it was done."""

    event = models.ForeignKey(Injury, on_delete=models.CASCADE, related_name="actions")
    description = models.CharField(_("azione correttiva"), max_length=300,
                                   validators=[validate_no_control_characters])
    owner = models.CharField(_("responsabile"), max_length=200, blank=True,
                             validators=[validate_no_control_characters])
    due_date = models.DateField(_("scadenza"), null=True, blank=True, validators=[validate_register_date])
    done = models.BooleanField(_("eseguita"), default=False)

    class Meta:
        verbose_name = _("azione correttiva")
        verbose_name_plural = _("azioni correttive")
        ordering = ["event_id", "due_date", "id"]

    def __str__(self):
        return self.description


# --- the same injury twice ----------------------------------------------------------------------------


def duplicate_key(event_date, first_absence, last_absence) -> tuple:
    """The event and its absence: rows that differ here are different injuries."""
    return (event_date, first_absence, last_absence)


def _folded(text: str) -> str:
    return " ".join((text or "").split()).casefold()


def same_injury(a_reference: str, a_description: str, b_reference: str, b_description: str) -> bool:
    """For two rows of the same duplicate_key: the same injury when their references agree, or, where either
    has no reference, their descriptions (the person or what happened) agree, ignoring case and spacing."""
    if (a_reference or "").strip() and (b_reference or "").strip():
        return _folded(a_reference) == _folded(b_reference)
    return _folded(a_description) == _folded(b_description)


class Contractor(models.Model):
    """A contractor or subcontractor working in the site's places (seed 002, section C, intervention 6: the list
    of contractors and subcontractors, and the evidence that the event-analysis procedure was sent to each).
    The C6 elaboration lists them with the date and the means of sending (issue 33)."""

    PARTY_CHOICES = [(code, _(label)) for code, label in rules.EVENT_PARTIES.items() if rules.is_contractor(code)]

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="contractors")
    name = models.CharField(_("ragione sociale"), max_length=200, validators=[validate_no_control_characters])
    party = models.CharField(_("rapporto"), max_length=30, choices=PARTY_CHOICES, default=rules.PARTY_CONTRACTOR)
    procedure_sent_on = models.DateField(
        _("procedura trasmessa il"), null=True, blank=True, validators=[validate_register_date],
        help_text=_("Data in cui la procedura di raccolta e analisi degli eventi è stata trasmessa all'impresa."))
    procedure_sent_how = models.CharField(
        _("modalità di trasmissione"), max_length=200, blank=True, validators=[validate_no_control_characters],
        help_text=_("Ad esempio: PEC del 10/01, verbale di riunione, allegato al contratto."))

    class Meta:
        verbose_name = _("impresa appaltatrice")
        verbose_name_plural = _("imprese appaltatrici")
        ordering = ["site_id", "name"]
        constraints = [models.UniqueConstraint(fields=["site", "name"], name="unique_contractor_per_site")]

    def __str__(self):
        return self.name
