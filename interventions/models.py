"""The OT24 catalogue as data: editions, sections, interventions, sector points, sub-options,
declarations and evidence items. Loaded from fixtures/catalogue/ot24.json with `loaddata ot24`."""
import uuid

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from .sectors import SECTOR_CHOICES


class Edition(models.Model):
    code = models.SlugField(_("codice"), max_length=40, unique=True)
    title = models.CharField(_("titolo"), max_length=300)
    threshold = models.PositiveIntegerField(_("soglia di punteggio"), default=100)
    notes = models.TextField(_("note"), blank=True)
    revision = models.UUIDField(
        _("revisione"), default=uuid.uuid4, editable=False,
        help_text=_("Cambia a ogni modifica del catalogo: invalida la copia in memoria dei processi."),
    )

    class Meta:
        verbose_name = _("edizione del modulo")
        verbose_name_plural = _("edizioni del modulo")
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} — {self.title}"


class Section(models.Model):
    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="sections")
    letter = models.CharField(_("sezione"), max_length=1)
    title = models.CharField(_("titolo"), max_length=300)

    class Meta:
        verbose_name = _("sezione")
        verbose_name_plural = _("sezioni")
        ordering = ["edition", "letter"]
        constraints = [models.UniqueConstraint(fields=["edition", "letter"], name="unique_section_letter")]

    def __str__(self):
        return f"{self.letter} — {self.title}"


class Intervention(models.Model):
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="interventions")
    code = models.CharField(_("codice"), max_length=10)
    order = models.PositiveIntegerField(_("ordine"))
    heading = models.TextField(
        _("testo comune"), blank=True, help_text=_("Il testo del punto numerato che introduce le lettere (A1, A5, B2).")
    )
    text = models.TextField(_("testo"))
    points = models.PositiveIntegerField(
        _("punteggio"), help_text=_("Il punteggio per tutti i settori, o per 'Altri settori' nella sezione D.")
    )
    min_suboptions = models.PositiveIntegerField(_("minimo di opzioni da selezionare"), default=0)
    max_workers = models.PositiveIntegerField(
        _("numero massimo di lavoratori"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    alternative_group = models.CharField(
        _("gruppo di alternative"),
        max_length=10,
        blank=True,
        help_text=_("Interventi dello stesso gruppo descrivono lo stesso sistema: il punteggio si conta una volta."),
    )
    notes = models.TextField(_("note a piè di pagina"), blank=True)
    evidence_note = models.TextField(_("nota sulla documentazione"), blank=True)

    class Meta:
        verbose_name = _("intervento")
        verbose_name_plural = _("interventi")
        ordering = ["section__edition", "order"]
        constraints = [models.UniqueConstraint(fields=["section", "code"], name="unique_intervention_code")]

    def __str__(self):
        return self.code

    @property
    def full_text(self) -> str:
        """The text as read on the form: the numbered point's common text, then this letter's text."""
        return f"{self.heading} {self.text}" if self.heading else self.text


class SectorPoints(models.Model):
    """Section D: the points of a sector when they differ from the intervention's 'Altri settori' points."""

    intervention = models.ForeignKey(Intervention, on_delete=models.CASCADE, related_name="sector_points")
    sector = models.CharField(_("settore"), max_length=20, choices=SECTOR_CHOICES)
    points = models.PositiveIntegerField(_("punteggio"))

    class Meta:
        verbose_name = _("punteggio per settore")
        verbose_name_plural = _("punteggi per settore")
        ordering = ["intervention", "sector"]
        constraints = [models.UniqueConstraint(fields=["intervention", "sector"], name="unique_sector_points")]

    def __str__(self):
        return f"{self.intervention.code} {self.sector}: {self.points}"


class SubOption(models.Model):
    intervention = models.ForeignKey(Intervention, on_delete=models.CASCADE, related_name="suboptions")
    number = models.PositiveIntegerField(_("numero"))
    label = models.TextField(_("testo"))

    class Meta:
        verbose_name = _("opzione")
        verbose_name_plural = _("opzioni")
        ordering = ["intervention", "number"]
        constraints = [models.UniqueConstraint(fields=["intervention", "number"], name="unique_suboption_number")]

    def __str__(self):
        return f"{self.intervention.code}.{self.number}"


class Declaration(models.Model):
    """A statement the applicant must confirm for the intervention to count (C3, C12)."""

    intervention = models.ForeignKey(Intervention, on_delete=models.CASCADE, related_name="declarations")
    order = models.PositiveIntegerField(_("ordine"), default=1)
    label = models.TextField(_("testo"))

    class Meta:
        verbose_name = _("dichiarazione richiesta")
        verbose_name_plural = _("dichiarazioni richieste")
        ordering = ["intervention", "order"]

    def __str__(self):
        return f"{self.intervention.code}: {self.label[:60]}"


class EvidenceItem(models.Model):
    """One document of the 'documentazione probante'. Items of the same `alternative` number form one
    complete set; where the form says 'in alternativa', a second set (alternative=2) may be given
    instead of the first. `condition` marks items due only in a stated case ('nel caso di DL SPP')."""

    intervention = models.ForeignKey(Intervention, on_delete=models.CASCADE, related_name="evidence_items")
    order = models.PositiveIntegerField(_("ordine"))
    alternative = models.PositiveIntegerField(_("gruppo alternativo"), default=1)
    label = models.TextField(_("documento"))
    condition = models.CharField(_("solo nel caso"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("documento probante")
        verbose_name_plural = _("documentazione probante")
        ordering = ["intervention", "order"]
        constraints = [models.UniqueConstraint(fields=["intervention", "order"], name="unique_evidence_order")]

    def __str__(self):
        return f"{self.intervention.code} #{self.order}"
