"""Campaigns, applications, their selected interventions and their timeline."""
from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from interventions.models import Edition, Intervention
from interventions.sectors import SECTOR_CHOICES
from organisations.models import PAT, Company, Membership, Site, cap_validator, digits_validator

from . import campaigns

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

class ApplicationQuerySet(models.QuerySet):
    """The reads of applications that pages share, by what they are for."""

    def with_context(self) -> ApplicationQuerySet:
        """With the site, its company, the campaign and its edition joined: what the rules, the scoring
        and every page's header read."""
        return self.select_related("site__company", "campaign__edition")

    def for_wizard(self, user=None) -> ApplicationQuerySet:
        """An application opened by one of its pages (the wizard's steps, the summary, the PDF): its context
        joined and, for a logged-in user, that user's membership role in the application's company
        (`member_role`, None if not a member), which the permission rules ask first. Unsorted: the model's
        list ordering would sort the one row over the joined campaign and company. Its selections are read
        when first needed (selectors.application_selections)."""
        queryset = self.with_context().order_by()
        if user is not None and user.is_authenticated:
            queryset = queryset.annotate(member_role=models.Subquery(
                Membership.objects.filter(company=models.OuterRef("site__company"), user=user)
                .values("role")[:1]))
        return queryset

    def for_dashboard(self, campaign, site_ids) -> ApplicationQuerySet:
        """The applications of these sites for the campaign, with their evidence files (the dashboard's
        missing evidence), unsorted: the caller keys them by site and reads their selections as values
        (applications.selectors.dashboard_selections)."""
        return (self.filter(campaign=campaign, site_id__in=site_ids).select_related("campaign__edition")
                .prefetch_related("evidence_files")
                .order_by())

    def for_review(self) -> ApplicationQuerySet:
        """With what the reviewers' queue and review screen show of each: its context and its reviewer."""
        return self.with_context().select_related("reviewer")


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
    # The scheda keeps the official form's Italian names; the records name the same things in English
    # (Site.name, .address, .city). The one map between them, for pre-filling a new application:
    # scheda field -> (record, its field). The snapshot (snapshot.py) keeps the scheda's names.
    FROM_RECORDS = {
        "ragione_sociale": ("company", "ragione_sociale"), "codice_ditta": ("company", "codice_ditta"),
        "matricola_inps": ("company", "matricola_inps"), "codice_sede": ("site", "codice_sede"),
        "unita_produttiva": ("site", "name"), "indirizzo": ("site", "address"), "citta": ("site", "city"),
        "cap": ("site", "cap"), "workers": ("site", "workers"),
    }
    # The scheda's fields without which it is not complete (the form requires them; submission checks them).
    SCHEDA_REQUIRED = ("ragione_sociale", "codice_ditta", "unita_produttiva", "indirizzo", "citta", "cap", "sector",
                       "workers", "signatory_name", "signatory_birth_place", "signatory_birth_date", "signatory_role")

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

    @property
    def signatory_is_female(self) -> bool:
        """Whether the signatory's codice fiscale states a woman (day of birth + 40): the declaration then
        reads "La sottoscritta ... nata a" (issue 34). Without a readable code, the masculine of the form."""
        from stdnum.exceptions import ValidationError as StdnumError
        from stdnum.it import codicefiscale

        try:
            return codicefiscale.get_gender(self.signatory_codice_fiscale or "") == "F"
        except (StdnumError, ValueError, IndexError):
            return False

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

    objects = ApplicationQuerySet.as_manager()

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

class Event(models.Model):
    """One action on an application's timeline: append-only (never updated, never deleted)."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="events")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True)
    action = models.CharField(max_length=40)
    from_status = models.CharField(max_length=30, choices=Application.Status.choices, blank=True)
    to_status = models.CharField(max_length=30, choices=Application.Status.choices, blank=True)
    message = models.TextField(blank=True)
    # The portal's own remark as a code and its parameters (applications.timeline.MESSAGES), put into words in
    # the reader's language; `message` keeps the text as written (a person's words, or the remark in Italian).
    message_code = models.CharField(max_length=40, blank=True)
    message_params = models.JSONField(default=dict, blank=True)
    internal = models.BooleanField(default=False, help_text="Reviewers' internal note: never shown to applicants.")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("evento")
        verbose_name_plural = _("eventi")
        ordering = ["application_id", "created_at", "pk"]

    def __str__(self):
        return f"{self.application_id} {self.action} {self.from_status}->{self.to_status}"

    @property
    def text(self) -> str:
        """The event's message in the active language (applications.timeline.event_message)."""
        from .timeline import event_message

        return event_message(self)

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Events are append-only.")
