"""Companies, productive units (sites), PATs, consultants' mandates, campaigns and applications."""
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
from interventions.models import Edition, EvidenceItem, Intervention
from interventions.sectors import SECTOR_CHOICES

from . import campaigns

cap_validator = RegexValidator(r"^\d{5}$", _("Il CAP è formato da 5 cifre."))
province_validator = RegexValidator(r"^[A-Z]{2}$", _("La provincia è la sigla di due lettere maiuscole (es. RM)."))
digits_validator = RegexValidator(r"^\d+$", _("Sono ammesse solo cifre."))


class Campaign(models.Model):
    """A filing year on an edition of the form."""

    edition = models.ForeignKey(Edition, on_delete=models.PROTECT, related_name="campaigns")
    filing_year = models.PositiveIntegerField(
        _("anno di presentazione"), unique=True, validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    is_open = models.BooleanField(_("aperta"), default=True)

    class Meta:
        verbose_name = _("campagna")
        verbose_name_plural = _("campagne")
        ordering = ["-filing_year"]

    def __str__(self):
        return f"OT24 {self.filing_year}"

    @property
    def deadline(self) -> dt.date:
        return campaigns.filing_deadline(self.filing_year)

    @property
    def reference_year(self) -> int:
        return campaigns.reference_year(self.filing_year)

    def days_left(self, today: dt.date | None = None) -> int:
        return campaigns.days_left(self.filing_year, today or timezone.localdate())

    def is_past_deadline(self, today: dt.date | None = None) -> bool:
        return self.days_left(today) < 0


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
        verbose_name = _("azienda")
        verbose_name_plural = _("aziende")
        ordering = ["ragione_sociale"]

    def __str__(self):
        return self.ragione_sociale


class Membership(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="memberships")

    class Meta:
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
        verbose_name = _("PAT")
        verbose_name_plural = _("PAT")
        # By the key, not the relation: "site" would sort by Site's own ordering, joining site and company.
        ordering = ["site_id", "number"]

    def __str__(self):
        return f"PAT {self.number}"

    FROZEN_FIELDS = ("site_id", "number", "voce_di_tariffa", "lavoratori_anno", "premium")

    def is_frozen(self) -> bool:
        """Named in an application that is no longer a draft: what was submitted depends on it."""
        return bool(self.pk) and self.applications.exclude(status=Application.Status.DRAFT).exists()

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


class Application(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Bozza")
        SUBMITTED = "submitted", _("Inviata")
        IN_REVIEW = "in_review", _("In istruttoria")
        CLARIFICATION_REQUESTED = "clarification_requested", _("Chiarimenti richiesti")
        CLARIFICATION_ANSWERED = "clarification_answered", _("Chiarimenti forniti")
        APPROVED = "approved", _("Accolta")
        REJECTED = "rejected", _("Respinta")
        WITHDRAWN = "withdrawn", _("Ritirata")

    MAX_PATS = 3
    DECLARATIONS = ("declares_obligations", "declares_compliance", "declares_art76", "declares_privacy")

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="applications")
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="applications")
    status = models.CharField(_("stato"), max_length=30, choices=Status.choices, default=Status.DRAFT, db_index=True)
    version = models.PositiveIntegerField(default=1, help_text="Optimistic-locking counter, bumped at every save.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # Scheda informativa generale, pre-filled from the records and editable for this application.
    ragione_sociale = models.CharField(_("denominazione o ragione sociale"), max_length=200, blank=True)
    codice_ditta = models.CharField(_("codice ditta"), max_length=12, blank=True, validators=[digits_validator])
    codice_sede = models.CharField(_("codice sede"), max_length=10, blank=True)
    unita_produttiva = models.CharField(_("unità produttiva"), max_length=200, blank=True)
    indirizzo = models.CharField(_("indirizzo"), max_length=200, blank=True)
    citta = models.CharField(_("città"), max_length=100, blank=True)
    cap = models.CharField(_("CAP"), max_length=5, blank=True, validators=[cap_validator])
    # The site's province, copied for the reviewers' queue filter (the form has no province): one index
    # then serves "province + sort", where a join walked the queue until a page of the province was
    # found (bench: scale). Kept equal to the site's by Site.save; not part of what was declared.
    province = models.CharField(_("provincia"), max_length=2, blank=True, editable=False)
    matricola_inps = models.CharField(_("matricola INPS"), max_length=10, blank=True, validators=[digits_validator])
    sector = models.CharField(_("settore (sezione D)"), max_length=20, choices=SECTOR_CHOICES, blank=True)
    workers = models.PositiveIntegerField(_("numero di lavoratori"), null=True, blank=True)
    pats = models.ManyToManyField(PAT, blank=True, related_name="applications", verbose_name=_("PAT"))
    scheda_completed = models.BooleanField(default=False)

    # The signatory: "Il sottoscritto ... nato a ... il ..., in qualità di ... della Ditta sopra indicata".
    signatory_name = models.CharField(_("il sottoscritto (nome e cognome)"), max_length=200, blank=True)
    signatory_codice_fiscale = models.CharField(_("codice fiscale del sottoscritto"), max_length=16, blank=True)
    signatory_birth_place = models.CharField(_("nato a"), max_length=100, blank=True)
    signatory_birth_date = models.DateField(_("il"), null=True, blank=True)
    signatory_role = models.CharField(_("in qualità di"), max_length=100, blank=True)

    # DICHIARA and the closing declarations, ticked by the signatory at submission.
    declares_obligations = models.BooleanField(default=False)
    declares_compliance = models.BooleanField(default=False)
    declares_art76 = models.BooleanField(default=False)
    declares_privacy = models.BooleanField(default=False)
    place = models.CharField(_("luogo"), max_length=100, blank=True)

    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    receipt_number = models.CharField(max_length=30, unique=True, null=True, blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="reviewing",
        verbose_name=_("revisore"),
    )
    declared_total = models.PositiveIntegerField(null=True, blank=True, editable=False, db_index=True,
                                                 help_text="Counted points: kept current while a draft (the dashboard's order), frozen at submission (the reviewers' queue).")
    # The decision (review issue): validated points, when, by whom, and the sealed letter.
    validated_total = models.PositiveIntegerField(null=True, blank=True, editable=False)
    decided_at = models.DateTimeField(null=True, blank=True, editable=False)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", editable=False)
    decision_pdf_storage_name = models.CharField(max_length=200, blank=True, editable=False)
    decision_pdf_sha256 = models.CharField(max_length=64, blank=True, editable=False)
    # Qualified signature path: the PDF the portal prepared for the signatory to sign with their own tool,
    # valid only while the application keeps this version.
    presign_storage_name = models.CharField(max_length=200, blank=True, editable=False)
    presign_sha256 = models.CharField(max_length=64, blank=True, editable=False)
    presign_version = models.PositiveIntegerField(null=True, blank=True, editable=False)
    # Frozen at submission: what was signed, as data and as the printed PDF (private storage, by hash).
    snapshot = models.JSONField(null=True, blank=True, editable=False)
    pdf_storage_name = models.CharField(max_length=200, blank=True, editable=False)
    pdf_sha256 = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = _("domanda")
        verbose_name_plural = _("domande")
        ordering = ["-campaign__filing_year", "site__company__ragione_sociale", "site__name"]
        constraints = [models.UniqueConstraint(fields=["campaign", "site"], name="one_application_per_site_campaign")]
        # The reviewers' queue: its sorts read these in order and stop after one page (bench: scale).
        indexes = [
            models.Index(fields=["submitted_at", "id"], name="queue_by_due"),
            models.Index(fields=["declared_total", "id"], name="queue_by_points"),
            models.Index(fields=["province", "submitted_at", "id"], name="queue_by_province_due"),
            models.Index(fields=["province", "declared_total", "id"], name="queue_by_province_points"),
        ]

    def __str__(self):
        return f"{self.campaign} — {self.site}"

    def save(self, *args, **kwargs):
        if self._state.adding and not self.province and self.site_id:
            self.province = self.site.province
        super().save(*args, **kwargs)

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def company(self) -> Company:
        return self.site.company

    DECISION_DAYS = 120

    @property
    def due_date(self) -> dt.date | None:
        """INAIL decides within 120 days of submission."""
        if not self.submitted_at:
            return None
        return timezone.localtime(self.submitted_at).date() + dt.timedelta(days=self.DECISION_DAYS)

    def days_to_decision(self, today: dt.date | None = None) -> int | None:
        due = self.due_date
        return None if due is None else (due - (today or timezone.localdate())).days


class Selection(models.Model):
    """An intervention declared in an application, with its ticked sub-options (1-based numbers)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="selections")
    intervention = models.ForeignKey(Intervention, on_delete=models.PROTECT, related_name="+")
    suboptions = models.JSONField(default=list, blank=True)
    declaration_confirmed = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("intervento selezionato")
        verbose_name_plural = _("interventi selezionati")
        # By the key, not the relation: "application" would sort by Application's own ordering (filing year,
        # company, site), joining four tables on every list of one application's rows. Same below.
        ordering = ["application_id", "intervention__order"]
        constraints = [
            models.UniqueConstraint(fields=["application", "intervention"], name="unique_selection")
        ]

    def __str__(self):
        return f"{self.application_id}: {self.intervention.code}"


class Clarification(models.Model):
    """A reviewer's request for clarification, with its reply deadline, and the applicant's answer."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="clarifications")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    request = models.TextField(_("documenti e chiarimenti richiesti"))
    interventions = models.ManyToManyField(Intervention, related_name="+", blank=True,
                                           verbose_name=_("interventi interessati"))
    deadline = models.DateField(_("termine per la risposta"))
    created_at = models.DateTimeField(auto_now_add=True)
    answer = models.TextField(_("risposta"), blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    expired = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("richiesta di chiarimenti")
        verbose_name_plural = _("richieste di chiarimenti")
        ordering = ["application_id", "created_at"]

    def __str__(self):
        return f"{self.application_id}: {self.request[:40]}"

    @property
    def is_open(self) -> bool:
        return self.answered_at is None and not self.expired


class EvidenceFile(models.Model):
    """An uploaded document for one evidence item. The bytes live in private storage under a name
    derived from their SHA-256; the original name is kept only here."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="evidence_files")
    evidence_item = models.ForeignKey(EvidenceItem, on_delete=models.PROTECT, related_name="+")
    clarification = models.ForeignKey(
        Clarification, on_delete=models.PROTECT, null=True, blank=True, related_name="files",
        help_text="Set for documents added in answer to a clarification request, after submission.",
    )
    storage_name = models.CharField(max_length=200)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField()
    content_type = models.CharField(max_length=100)
    original_name = models.CharField(_("nome originale"), max_length=255)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("file di documentazione")
        verbose_name_plural = _("file di documentazione")
        ordering = ["application_id", "evidence_item__order", "uploaded_at"]

    def __str__(self):
        return self.original_name


class Event(models.Model):
    """One action on an application's timeline: append-only (never updated, never deleted)."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="events")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True)
    action = models.CharField(max_length=40)
    from_status = models.CharField(max_length=30, choices=Application.Status.choices, blank=True)
    to_status = models.CharField(max_length=30, choices=Application.Status.choices, blank=True)
    message = models.TextField(blank=True)
    internal = models.BooleanField(default=False, help_text="Reviewers' internal note: never shown to applicants.")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("evento")
        verbose_name_plural = _("eventi")
        ordering = ["application_id", "created_at", "pk"]

    def __str__(self):
        return f"{self.application_id} {self.action} {self.from_status}->{self.to_status}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Events are append-only.")


class Verdict(models.Model):
    """A reviewer's judgement of one evidence file or one intervention. Append-only: the latest per target
    counts, earlier ones stay for the record."""

    class Outcome(models.TextChoices):
        SUITABLE = "idoneo", _("Idoneo")
        UNSUITABLE = "non_idoneo", _("Non idoneo")
        CLARIFY = "chiarimento", _("Chiarimento richiesto")

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="verdicts")
    intervention = models.ForeignKey(Intervention, on_delete=models.PROTECT, related_name="+")
    evidence_file = models.ForeignKey(EvidenceFile, on_delete=models.PROTECT, null=True, blank=True, related_name="verdicts")
    outcome = models.CharField(_("esito"), max_length=20, choices=Outcome.choices)
    reason = models.TextField(_("motivazione"), blank=True)
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("giudizio")
        verbose_name_plural = _("giudizi")
        ordering = ["application_id", "created_at", "pk"]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Verdicts are append-only.")
        super().save(*args, **kwargs)
