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
    """One event of the register. First and last day of absence are inclusive; the last day is empty while
    the worker is still absent; no first day means no absence."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="injuries")
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
        verbose_name = _("infortunio")
        verbose_name_plural = _("infortuni")
        ordering = ["site_id", "event_date", "id"]
        indexes = [models.Index(fields=["site", "event_date"], name="injury_site_date")]

    def __str__(self):
        return f"{self.site} {self.event_date:%d/%m/%Y}"

    def clean(self):
        problem = absence_problem(self.first_absence, self.last_absence)
        if problem:
            raise ValidationError({"last_absence": problem})

    def duplicate_key(self) -> tuple:
        return duplicate_key(self.event_date, self.first_absence, self.last_absence)

    def as_rule(self) -> rules.Injury:
        return rules.Injury(self.event_date, self.first_absence, self.last_absence, commuting=self.commuting,
                            fatal=self.fatal, disability=self.disability, ref=self.pk)


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
