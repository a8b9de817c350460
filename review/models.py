"""The reviewers' records: clarification requests and verdicts."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from interventions.models import Intervention


class Clarification(models.Model):
    """A reviewer's request for clarification, with its reply deadline, and the applicant's answer."""

    application = models.ForeignKey("applications.Application", on_delete=models.PROTECT, related_name="clarifications")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    request = models.TextField(_("documenti e chiarimenti richiesti"))
    interventions = models.ManyToManyField(Intervention, related_name="+", blank=True, db_table="applications_clarification_interventions",
                                           verbose_name=_("interventi interessati"))
    deadline = models.DateField(_("termine per la risposta"))
    created_at = models.DateTimeField(auto_now_add=True)
    answer = models.TextField(_("risposta"), blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    expired = models.BooleanField(default=False)

    class Meta:
        db_table = "applications_clarification"
        verbose_name = _("richiesta di chiarimenti")
        verbose_name_plural = _("richieste di chiarimenti")
        ordering = ["application_id", "created_at"]

    def __str__(self):
        return f"{self.application_id}: {self.request[:40]}"

    @property
    def is_open(self) -> bool:
        return self.answered_at is None and not self.expired

class Verdict(models.Model):
    """A reviewer's judgement of one evidence file or one intervention. Append-only: the latest per target
    counts, earlier ones stay for the record."""

    class Outcome(models.TextChoices):
        SUITABLE = "idoneo", _("Idoneo")
        UNSUITABLE = "non_idoneo", _("Non idoneo")
        CLARIFY = "chiarimento", _("Chiarimento richiesto")

    application = models.ForeignKey("applications.Application", on_delete=models.PROTECT, related_name="verdicts")
    intervention = models.ForeignKey(Intervention, on_delete=models.PROTECT, related_name="+")
    evidence_file = models.ForeignKey("evidence.EvidenceFile", on_delete=models.PROTECT, null=True, blank=True, related_name="verdicts")
    outcome = models.CharField(_("esito"), max_length=20, choices=Outcome.choices)
    reason = models.TextField(_("motivazione"), blank=True)
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "applications_verdict"
        verbose_name = _("giudizio")
        verbose_name_plural = _("giudizi")
        ordering = ["application_id", "created_at", "pk"]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Verdicts are append-only.")
        super().save(*args, **kwargs)
