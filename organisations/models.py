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

from accounts.validators import compact_fiscal_code, validate_codice_fiscale_azienda, validate_partita_iva
from interventions.sectors import SECTOR_CHOICES

from .inail_codes import printed_pat

cap_validator = RegexValidator(r"^\d{5}$", _("Il CAP è formato da 5 cifre."))
province_validator = RegexValidator(r"^[A-Z]{2}$", _("La provincia è la sigla di due lettere maiuscole (es. RM)."))
digits_validator = RegexValidator(r"^\d+$", _("Sono ammesse solo cifre."))


def is_inail_staff(user) -> bool:
    """Reviewers, supervisors and administrators: nobody's people nor consultants, so that nobody reviews
    an application of a company they are tied to (issue 28; services and the admin refuse them)."""
    return bool(user is not None and user.is_authenticated
                and (user.is_reviewer or user.is_superuser or user.role == "admin"))


STAFF_REFUSED = _("Il personale INAIL non può far parte di aziende o studi né ricevere deleghe.")


def _refuse_staff_in(field: str, user) -> None:
    if is_inail_staff(user):
        raise ValidationError({field: ValidationError(STAFF_REFUSED, code="staff")})


class FiscalCodeField(models.CharField):
    """A codice fiscale or a partita IVA, written and looked up in its compact form (compact_fiscal_code):
    "IT" + the number, full-width digits or spaces name the same row, whoever writes or asks (services,
    forms, the admin, scripts). Forms take a few more characters than the compact length, which the
    model's validation checks."""

    def to_python(self, value):
        value = super().to_python(value)
        return compact_fiscal_code(value) if isinstance(value, str) else value

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return compact_fiscal_code(value) if isinstance(value, str) else value

    def pre_save(self, model_instance, add):
        value = getattr(model_instance, self.attname)
        if isinstance(value, str):
            value = compact_fiscal_code(value)
            setattr(model_instance, self.attname, value)
        return value

    def formfield(self, **kwargs):
        return super().formfield(**{"max_length": self.max_length + 8, **kwargs})


class Company(models.Model):
    """A company, known by its codice fiscale and its partita IVA: each unique, and neither may be the
    other number of another company (organisations.selectors.company_known_as)."""

    ragione_sociale = models.CharField(_("denominazione o ragione sociale"), max_length=200)
    codice_fiscale = FiscalCodeField(
        _("codice fiscale"), max_length=16, unique=True, validators=[validate_codice_fiscale_azienda]
    )
    partita_iva = FiscalCodeField(_("partita IVA"), max_length=11, unique=True, validators=[validate_partita_iva])
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
    # A legal representative has declared the role (DPR 445/2000) on registering the company or accepting
    # the invitation: until then drafts can be prepared but nobody submits for the company.
    legal_rep_confirmed = models.BooleanField(_("legale rappresentante confermato"), default=False)

    class Meta:
        db_table = "applications_company"
        verbose_name = _("azienda")
        verbose_name_plural = _("aziende")
        ordering = ["ragione_sociale"]

    def __str__(self):
        return self.ragione_sociale

    def clean(self):
        _refuse_staff_in("legal_representative", self.legal_representative)


class Role(models.TextChoices):
    """A person's role in a company."""

    LEGAL_REP = "legal_rep", _("Legale rappresentante")
    SIGNATORY = "signatory", _("Procuratore con potere di firma")
    MEMBER = "member", _("Collaboratore")


SIGNING_ROLES = (Role.LEGAL_REP, Role.SIGNATORY)


class Membership(models.Model):
    """A person working for a company: legal representative (signs, manages people and mandates),
    signatory with power of attorney (signs) or member (edits drafts and uploads)."""

    Role = Role

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("ruolo"), max_length=20, choices=Role.choices, default=Role.MEMBER)

    class Meta:
        db_table = "applications_membership"
        verbose_name = _("utente aziendale")
        verbose_name_plural = _("utenti aziendali")
        constraints = [models.UniqueConstraint(fields=["user", "company"], name="unique_membership")]

    def __str__(self):
        return f"{self.user} @ {self.company}"

    def clean(self):
        _refuse_staff_in("user", getattr(self, "user", None))


class Firm(models.Model):
    """A consultancy firm ("studio"): its consultants see the clients whose mandate goes to the firm."""

    name = models.CharField(_("denominazione dello studio"), max_length=200)
    codice_fiscale = FiscalCodeField(_("codice fiscale o partita IVA"), max_length=16, unique=True,
                                     validators=[validate_codice_fiscale_azienda])
    created_at = models.DateTimeField(auto_now_add=True)
    consultants = models.ManyToManyField(settings.AUTH_USER_MODEL, through="FirmMembership", related_name="firms")

    class Meta:
        verbose_name = _("studio di consulenza")
        verbose_name_plural = _("studi di consulenza")
        ordering = ["name"]

    def __str__(self):
        return self.name


class FirmMembership(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="firm_memberships")
    firm = models.ForeignKey(Firm, on_delete=models.CASCADE, related_name="memberships")
    is_owner = models.BooleanField(_("titolare"), default=False)

    class Meta:
        verbose_name = _("consulente dello studio")
        verbose_name_plural = _("consulenti dello studio")
        constraints = [models.UniqueConstraint(fields=["user", "firm"], name="unique_firm_membership")]

    def __str__(self):
        return f"{self.user} @ {self.firm}"

    def clean(self):
        _refuse_staff_in("user", getattr(self, "user", None))


class MandateQuerySet(models.QuerySet):
    def current(self, today: dt.date | None = None):
        """Mandates the consultant works under, within their dates (the start and end days included):
        active ones, and pending ones (a new client registered by the consultant, whose legal
        representative has not confirmed yet: drafts only, nobody submits before the confirmation)."""
        today = today or timezone.localdate()
        return self.filter(Q(status__in=Mandate.WORKING_STATUSES), Q(start_date__lte=today),
                           Q(end_date__isnull=True) | Q(end_date__gte=today))

    def held_by(self, user):
        """Mandates to the user by name or to a firm the user belongs to (a subquery, no join)."""
        return self.filter(Q(consultant=user) | Q(firm_id__in=FirmMembership.objects.filter(user=user).values("firm_id")))


class Mandate(models.Model):
    """A company's delegation (delega) to a consultancy firm or to one consultant, valid from start_date to
    end_date (both included), for all the company's sites or chosen ones, with or without the right to
    submit. Its history stays: requested, granted and revoked by whom and when."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Richiesta dal consulente")
        PENDING = "pending", _("In attesa del legale rappresentante")
        ACTIVE = "active", _("Attiva")
        REFUSED = "refused", _("Rifiutata")
        REVOKED = "revoked", _("Revocata")

    WORKING_STATUSES = (Status.ACTIVE, Status.PENDING)

    consultant = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mandates",
                                   null=True, blank=True, verbose_name=_("consulente"))
    firm = models.ForeignKey(Firm, on_delete=models.CASCADE, related_name="mandates", null=True, blank=True,
                             verbose_name=_("studio"))
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="mandates")
    start_date = models.DateField(_("inizio"))
    end_date = models.DateField(_("fine"), null=True, blank=True)
    all_sites = models.BooleanField(_("tutte le unità produttive"), default=False)
    sites = models.ManyToManyField("Site", blank=True, related_name="mandates", verbose_name=_("unità produttive"))
    can_submit = models.BooleanField(_("può inviare le domande"), default=False)
    status = models.CharField(_("stato"), max_length=12, choices=Status.choices, default=Status.REQUESTED)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+")
    requested_at = models.DateTimeField(null=True, blank=True)
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("concessa da"))
    granted_at = models.DateTimeField(_("concessa il"), null=True, blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("revocata da"))
    revoked_at = models.DateTimeField(_("revocata il"), null=True, blank=True)

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
            ),
            models.CheckConstraint(
                condition=(Q(firm__isnull=True) & Q(consultant__isnull=False))
                | (Q(firm__isnull=False) & Q(consultant__isnull=True)),
                name="mandate_to_firm_or_consultant",
            ),
        ]

    def __str__(self):
        return f"{self.firm or self.consultant} → {self.company}"

    def clean(self):
        _refuse_staff_in("consultant", self.consultant)

    @property
    def holder(self):
        return self.firm or self.consultant

    def is_current(self, today: dt.date | None = None) -> bool:
        today = today or timezone.localdate()
        return (self.status in self.WORKING_STATUSES and self.start_date <= today
                and (self.end_date is None or self.end_date >= today))

    @property
    def has_ended(self) -> bool:
        return self.status == self.Status.ACTIVE and self.end_date is not None and self.end_date < timezone.localdate()


class Invitation(models.Model):
    """An invitation by e-mail to join a company (with a role) or a firm. Single use, valid 7 days,
    revocable; only the SHA-256 of the link's token is stored. An invitation to a new client's legal
    representative carries the consultant's pending mandate, confirmed on acceptance."""

    VALID_DAYS = 7

    company = models.ForeignKey(Company, on_delete=models.CASCADE, null=True, blank=True, related_name="invitations")
    firm = models.ForeignKey(Firm, on_delete=models.CASCADE, null=True, blank=True, related_name="invitations")
    email = models.EmailField(_("e-mail"))
    role = models.CharField(_("ruolo"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    token_hash = models.CharField(max_length=64, unique=True)
    mandate = models.ForeignKey(Mandate, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+")
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("invito")
        verbose_name_plural = _("inviti")
        ordering = ["-created_at"]
        constraints = [models.CheckConstraint(
            condition=(Q(firm__isnull=True) & Q(company__isnull=False)) | (Q(firm__isnull=False) & Q(company__isnull=True)),
            name="invitation_to_company_or_firm")]

    def __str__(self):
        return f"{self.email} → {self.company or self.firm}"


class JoinRequest(models.Model):
    """A user asks to join a company that is already registered; its legal representative decides."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("In attesa")
        ACCEPTED = "accepted", _("Accolta")
        REFUSED = "refused", _("Rifiutata")

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="join_requests")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="join_requests")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.REQUESTED)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("richiesta di adesione")
        verbose_name_plural = _("richieste di adesione")
        ordering = ["-created_at"]


class OrganisationEvent(models.Model):
    """Append-only history of people, invitations and mandates of a company or a firm."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, null=True, blank=True, related_name="events")
    firm = models.ForeignKey(Firm, on_delete=models.CASCADE, null=True, blank=True, related_name="events")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="+")
    action = models.CharField(max_length=40)
    message = models.TextField(blank=True)
    # What happened as a code and its parameters (organisations.history.MESSAGES), put into words in the reader's
    # language; `message` keeps it in the portal's language (Italian), as written when it happened.
    code = models.CharField(max_length=40, blank=True)
    params = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("evento")
        verbose_name_plural = _("eventi")
        ordering = ["-created_at", "-pk"]

    @property
    def text(self) -> str:
        """The event in the active language (organisations.history.event_message)."""
        from .history import event_message

        return event_message(self)

    def save(self, *args, **kwargs):
        if self.pk:
            raise ValueError("Events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Events are append-only.")


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
        return f"PAT {self.printed_number}"

    @property
    def printed_number(self) -> str:
        """The number as INAIL prints it, "12345678/90" (the `pat` template filter for plain numbers)."""
        return printed_pat(self.number)

    FROZEN_FIELDS = ("site_id", "number", "voce_di_tariffa", "lavoratori_anno", "premium")

    def is_frozen(self) -> bool:
        """Named in an application that is no longer a draft: what was submitted depends on it."""
        return bool(self.pk) and self.applications.exclude(status="draft").exists()  # Application.Status.DRAFT

    def frozen_error(self) -> ValidationError:
        return ValidationError(
            _("La PAT %(n)s è indicata in una domanda già inviata: non può essere modificata e non può essere "
              "eliminata. Per dati diversi aggiungere una nuova PAT."), params={"n": self.printed_number}, code="frozen")

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
