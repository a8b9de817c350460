"""A work-related stress assessment (issue 20): its scope, the people involved, the check-lists of its
compilers, the area A figures of two periods, the improvement plan, the attached reports and the reminders
already sent. The scoring itself is pure (stress.scoring); the result is cached here by services.refresh_result
for lists, history and reminders."""
from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from indicators.bounds import MAX_HOURS
from organisations.models import Company, Site

# The method an assessment states unless the company writes its own (shown in the reader's language while it is
# left as it is: Assessment.method_text).
DEFAULT_METHOD = _("Valutazione preliminare con la check-list di indicatori oggettivi dello Spisal di Verona "
                   "(metodo ISPESL/INAIL), art. 28 comma 1-bis D.Lgs. 81/2008.")


class Assessment(models.Model):
    class Scope(models.TextChoices):
        COMPANY = "company", _("Intera azienda")
        GROUP = "group", _("Gruppo omogeneo di mansioni")
        SITE = "site", _("Unità produttiva")

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="stress_assessments")
    scope = models.CharField(_("ambito"), max_length=10, choices=Scope.choices, default=Scope.COMPANY)
    site = models.ForeignKey(Site, verbose_name=_("unità produttiva"), on_delete=models.PROTECT, null=True,
                             blank=True, related_name="stress_assessments")
    group = models.CharField(_("gruppo omogeneo di mansioni"), max_length=200, blank=True)
    date = models.DateField(_("data della valutazione"))
    year = models.PositiveIntegerField(
        _("anno degli indicatori"), validators=[MinValueValidator(2000)],
        help_text=_("Gli indicatori aziendali (area A) si confrontano con quelli dell'anno precedente."))
    method = models.TextField(_("metodo"), default=DEFAULT_METHOD)
    # The result, cached after every change (services.refresh_result); empty while incomplete.
    level = models.CharField(_("livello di rischio"), max_length=10, blank=True)
    total = models.DecimalField(_("punteggio totale"), max_digits=5, decimal_places=2, null=True, blank=True)
    area_scores = models.JSONField(default=dict, blank=True)  # {"A": score, "B": ..., "C": ...}
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("valutazione dello stress lavoro-correlato")
        verbose_name_plural = _("valutazioni dello stress lavoro-correlato")
        ordering = ["-date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(scope="site", site__isnull=False) | ~Q(scope="site")), name="stress_site_scope_has_site"),
        ]

    def __str__(self):
        return f"{self.company} — {self.scope_label} — {self.date:%d/%m/%Y}"

    @property
    def method_text(self) -> str:
        """The method as the reader reads it: the portal's default text (as stored in any of the portal's
        languages, unchanged) in the active language; a method the company wrote, as written."""
        stored = " ".join(self.method.split())
        for code, _name in settings.LANGUAGES:
            with translation.override(code):
                default = " ".join(str(DEFAULT_METHOD).split())
            if stored == default:
                return str(DEFAULT_METHOD)
        return self.method

    @property
    def scope_label(self) -> str:
        if self.scope == self.Scope.SITE and self.site_id:
            return f"{self.get_scope_display()}: {self.site.name}"
        if self.scope == self.Scope.GROUP:
            return f"{self.get_scope_display()}: {self.group}"
        return str(self.get_scope_display())

    def same_scope(self):
        """Assessments of the same company and scope (the history compares them)."""
        qs = Assessment.objects.filter(company_id=self.company_id, scope=self.scope)
        if self.scope == self.Scope.SITE:
            qs = qs.filter(site_id=self.site_id)
        elif self.scope == self.Scope.GROUP:
            qs = qs.filter(group__iexact=self.group)
        return qs


class Participant(models.Model):
    class Role(models.TextChoices):
        EMPLOYER = "datore", _("Datore di lavoro")
        RSPP = "rspp", _("RSPP")
        RLS = "rls", _("RLS")
        DOCTOR = "medico", _("Medico competente")
        CONSULTANT = "consulente", _("Consulente esterno")
        OTHER = "altro", _("Altro (preposto, lavoratore, dirigente)")

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="participants")
    name = models.CharField(_("nome e cognome"), max_length=200)
    role = models.CharField(_("ruolo"), max_length=12, choices=Role.choices)

    class Meta:
        verbose_name = _("persona coinvolta")
        verbose_name_plural = _("persone coinvolte")
        ordering = ["assessment_id", "pk"]

    def __str__(self):
        return f"{self.name} ({self.get_role_display()})"


class Compilation(models.Model):
    """One filled-in check-list (areas B and C): one compiler's, or the group's joint answer."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="compilations")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, null=True, blank=True,
                                    related_name="compilations")
    answers = models.JSONField(default=dict, blank=True)  # {item id: value}
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("compilazione della check-list")
        verbose_name_plural = _("compilazioni della check-list")
        ordering = ["assessment_id", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "participant"], name="stress_one_compilation_each"),
            models.UniqueConstraint(fields=["assessment"], condition=Q(participant__isnull=True),
                                    name="stress_one_joint_compilation"),
        ]

    def __str__(self):
        return str(self.participant) if self.participant_id else str(_("Compilazione congiunta"))


# Reasonable bounds of a company's year (issue 28, finding 16): at most 500,000 people (the counts of
# people and of their requests, proceedings and cases), a billion hours (500,000 people full time; the
# injury register's own bound, indicators.bounds.MAX_HOURS), 366 days of leave each, and injury indices up
# to a million (IF: injuries per million hours).
MAX_PEOPLE = 500_000
PEOPLE_RANGE = [MaxValueValidator(MAX_PEOPLE)]
HOURS_RANGE = [MinValueValidator(0), MaxValueValidator(MAX_HOURS)]
DAYS_RANGE = [MinValueValidator(0), MaxValueValidator(366 * MAX_PEOPLE)]
INDEX_RANGE = [MinValueValidator(0), MaxValueValidator(1_000_000)]


class PeriodFigures(models.Model):
    """The area A figures of one year (scoring.PeriodFigures)."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="figures")
    year = models.PositiveIntegerField(_("anno"))
    injury_frequency = models.DecimalField(_("indice di frequenza degli infortuni"), max_digits=14, decimal_places=2,
                                           validators=INDEX_RANGE)
    injury_severity = models.DecimalField(_("indice di gravità degli infortuni"), max_digits=14, decimal_places=2,
                                          validators=INDEX_RANGE)
    sick_leave_hours = models.DecimalField(_("ore perse per malattia"), max_digits=12, decimal_places=2,
                                           validators=HOURS_RANGE)
    absence_hours = models.DecimalField(_("ore perse per assenza (ogni causa)"), max_digits=12, decimal_places=2,
                                        validators=HOURS_RANGE)
    contractual_hours = models.DecimalField(_("ore lavorabili da contratto"), max_digits=12, decimal_places=2,
                                            validators=HOURS_RANGE)
    leave_days_due = models.DecimalField(_("giorni di ferie maturati"), max_digits=10, decimal_places=2,
                                         validators=DAYS_RANGE)
    leave_days_taken = models.DecimalField(_("giorni di ferie usufruiti"), max_digits=10, decimal_places=2,
                                           validators=DAYS_RANGE)
    transfer_requests = models.PositiveIntegerField(_("richieste di trasferimento interno"), validators=PEOPLE_RANGE)
    workers = models.PositiveIntegerField(_("numero di lavoratori"), validators=PEOPLE_RANGE)
    leavers = models.PositiveIntegerField(_("lavoratori usciti"), validators=PEOPLE_RANGE)
    joiners = models.PositiveIntegerField(_("lavoratori entrati"), validators=PEOPLE_RANGE)
    disciplinary_proceedings = models.PositiveIntegerField(_("procedimenti disciplinari"), validators=PEOPLE_RANGE)
    extraordinary_visits = models.PositiveIntegerField(_("richieste di visite straordinarie al medico competente"),
                                                       validators=PEOPLE_RANGE)
    stress_reports = models.PositiveIntegerField(_("segnalazioni scritte di stress del medico competente"),
                                                 validators=PEOPLE_RANGE)
    court_cases_dismissal = models.PositiveIntegerField(_("istanze giudiziarie per licenziamento o demansionamento"),
                                                        validators=PEOPLE_RANGE)
    court_cases_harassment = models.PositiveIntegerField(_("istanze giudiziarie per molestie"),
                                                         validators=PEOPLE_RANGE)
    indices_from_register = models.BooleanField(default=False)

    FIGURE_FIELDS = ("injury_frequency", "injury_severity", "sick_leave_hours", "absence_hours", "contractual_hours",
                     "leave_days_due", "leave_days_taken", "transfer_requests", "workers", "leavers", "joiners",
                     "disciplinary_proceedings", "extraordinary_visits", "stress_reports", "court_cases_dismissal",
                     "court_cases_harassment")

    class Meta:
        verbose_name = _("indicatori aziendali dell'anno")
        verbose_name_plural = _("indicatori aziendali")
        ordering = ["assessment_id", "-year"]
        constraints = [models.UniqueConstraint(fields=["assessment", "year"], name="stress_figures_once_a_year")]


class Measure(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Da avviare")
        IN_PROGRESS = "in_progress", _("In corso")
        DONE = "done", _("Completata")
        DROPPED = "dropped", _("Annullata")

    OPEN = (Status.PLANNED, Status.IN_PROGRESS)

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="measures")
    title = models.CharField(_("misura"), max_length=200)
    objective = models.TextField(_("obiettivo"), blank=True)
    owner = models.CharField(_("responsabile"), max_length=200)
    deadline = models.DateField(_("scadenza"))
    status = models.CharField(_("stato"), max_length=12, choices=Status.choices, default=Status.PLANNED)
    seed_number = models.PositiveSmallIntegerField(null=True, blank=True)  # one of the check-list's proposals

    class Meta:
        verbose_name = _("misura di miglioramento")
        verbose_name_plural = _("piano di miglioramento")
        ordering = ["assessment_id", "deadline", "pk"]

    def __str__(self):
        return self.title


class Attachment(models.Model):
    """The report attached to an application as B2d evidence (removed with the evidence file)."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="attachments")
    evidence_file = models.OneToOneField("evidence.EvidenceFile", on_delete=models.CASCADE, related_name="+")
    attached_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-attached_at"]


class ReminderSent(models.Model):
    """One reminder already queued: `key` names what was due and when, so each goes once."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="reminders")
    key = models.CharField(max_length=100)
    due_date = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["assessment", "key"], name="stress_reminder_once")]
