"""Companies, their productive units (sites) and PATs, and who works for them: members, the legal
representative, consultants with a mandate. Tables keep their first names (applications_*)."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.validators import validate_codice_fiscale_azienda, validate_partita_iva
from interventions.sectors import SECTOR_CHOICES

cap_validator = RegexValidator(r"^\d{5}$", _("Il CAP è formato da 5 cifre."))
province_validator = RegexValidator(r"^[A-Z]{2}$", _("La provincia è la sigla di due lettere maiuscole (es. RM)."))
digits_validator = RegexValidator(r"^\d+$", _("Sono ammesse solo cifre."))


class Company(models.Model):
    ragione_sociale = models.CharField(_("denominazione o ragione sociale"), max_length=200)
    codice_fiscale = models.CharField(
        _("codice fiscale"), max_length=16, unique=True, validators=[validate_codice_fiscale_azienda]
    )
    partita_iva = models.CharField(_("partita IVA"), max_length=11, validators=[validate_partita_iva])
    codice_ditta = models.CharField(_("codice ditta INAIL"), max_length=12, validators=[digits_validator])
    matricola_inps = models.CharField(_("matricola INPS"), max_length=10, blank=True, validators=[digits_validator])
    address = models.CharField(_("indirizzo della sede legale"), max_length=200)
    city = models.CharField(_("città"), max_length=100)
    cap = models.CharField(_("CAP"), max_length=5, validators=[cap_validator])
    province = models.CharField(_("provincia"), max_length=2, validators=[province_validator])
    legal_representative = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("legale rappresentante"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="represented_companies",
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Membership", related_name="companies", verbose_name=_("utenti")
    )

    class Meta:
        db_table = "applications_company"
        verbose_name = _("azienda")
        verbose_name_plural = _("aziende")
        ordering = ["ragione_sociale"]

    def __str__(self):
        return self.ragione_sociale


class Membership(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="memberships")

    class Meta:
        db_table = "applications_membership"
        verbose_name = _("utente aziendale")
        verbose_name_plural = _("utenti aziendali")
        constraints = [models.UniqueConstraint(fields=["user", "company"], name="unique_membership")]

    def __str__(self):
        return f"{self.user} @ {self.company}"


class MandateQuerySet(models.QuerySet):
    def current(self, today: dt.date | None = None):
        today = today or timezone.localdate()
        return self.filter(Q(start_date__lte=today), Q(end_date__isnull=True) | Q(end_date__gte=today))


class Mandate(models.Model):
    """A company's delegation to a consultant, valid from start_date to end_date (both included)."""

    consultant = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mandates")
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="mandates")
    start_date = models.DateField(_("inizio"))
    end_date = models.DateField(_("fine"), null=True, blank=True)

    objects = MandateQuerySet.as_manager()

    class Meta:
        db_table = "applications_mandate"
        verbose_name = _("delega al consulente")
        verbose_name_plural = _("deleghe ai consulenti")
        ordering = ["company", "-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="mandate_end_after_start",
            )
        ]

    def __str__(self):
        return f"{self.consultant} → {self.company}"


class Site(models.Model):
    """A productive unit: one application per site and campaign."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="sites")
    name = models.CharField(_("unità produttiva"), max_length=200)
    address = models.CharField(_("indirizzo"), max_length=200)
    city = models.CharField(_("città"), max_length=100)
    cap = models.CharField(_("CAP"), max_length=5, validators=[cap_validator])
    province = models.CharField(_("provincia"), max_length=2, validators=[province_validator])
    codice_sede = models.CharField(_("codice sede INAIL"), max_length=10, blank=True)
    workers = models.PositiveIntegerField(
        _("numero di lavoratori"), help_text=_("Calcolato secondo il D.Lgs. 81/2008."), validators=[MaxValueValidator(1_000_000)]
    )
    sector = models.CharField(_("settore (sezione D)"), max_length=20, choices=SECTOR_CHOICES, blank=True)

    class Meta:
        db_table = "applications_site"
        verbose_name = _("unità produttiva")
        verbose_name_plural = _("unità produttive")
        ordering = ["company", "name"]

    def __str__(self):
        return f"{self.company} — {self.name}"

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        # Its applications carry a copy of the province for the reviewers' queue filter.
        self.applications.exclude(province=self.province).update(province=self.province)

    def suggested_sector(self) -> str | None:
        from interventions.sectors import suggest_sector

        return suggest_sector([pat.voce_di_tariffa for pat in self.pats.all()])


class PAT(models.Model):
    """Posizione assicurativa territoriale, with the figures of INAIL's yearly rate notice."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="pats")
    # Not unique across the portal: two companies may claim the same number (one of them by mistake, or to
    # squat it); a company cannot list it twice (forms.BasePATFormSet), and reviewers see the conflict.
    number = models.CharField(_("numero PAT"), max_length=10, db_index=True, validators=[digits_validator])
    voce_di_tariffa = models.CharField(
        _("voce di tariffa"), max_length=4, validators=[RegexValidator(r"^\d{4}$", _("La voce di tariffa è di 4 cifre."))]
    )
    lavoratori_anno = models.DecimalField(
        _("lavoratori-anno"), max_digits=10, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )
    premium = models.DecimalField(
        _("premio annuo (€)"), max_digits=12, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )

    class Meta:
        db_table = "applications_pat"
        verbose_name = _("PAT")
        verbose_name_plural = _("PAT")
        # By the key, not the relation: "site" would sort by Site's own ordering, joining site and company.
        ordering = ["site_id", "number"]

    def __str__(self):
        return f"PAT {self.number}"

    FROZEN_FIELDS = ("site_id", "number", "voce_di_tariffa", "lavoratori_anno", "premium")

    def is_frozen(self) -> bool:
        """Named in an application that is no longer a draft: what was submitted depends on it."""
        return bool(self.pk) and self.applications.exclude(status="draft").exists()  # Application.Status.DRAFT

    def frozen_error(self) -> ValidationError:
        return ValidationError(
            _("La PAT %(n)s è indicata in una domanda già inviata: non può essere modificata e non può essere "
              "eliminata. Per dati diversi aggiungere una nuova PAT."), params={"n": self.number}, code="frozen")

    def save(self, *args, **kwargs):
        if self.pk and self.is_frozen():
            stored = PAT.objects.filter(pk=self.pk).values(*self.FROZEN_FIELDS).first()
            def same(name):
                if name == "site_id":
                    return stored[name] == self.site_id
                field = self._meta.get_field(name)
                return stored[name] == field.to_python(getattr(self, name))

            if stored and not all(same(f) for f in self.FROZEN_FIELDS):
                raise self.frozen_error()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.is_frozen():
            raise self.frozen_error()
        return super().delete(*args, **kwargs)
