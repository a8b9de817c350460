"""Uploaded documents: the row of each file kept in private storage (storage.py)."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from interventions.models import EvidenceItem


class EvidenceFile(models.Model):
    """An uploaded document for one evidence item. The bytes live in private storage under a name
    derived from their SHA-256; the original name is kept only here."""

    application = models.ForeignKey("applications.Application", on_delete=models.CASCADE, related_name="evidence_files")
    evidence_item = models.ForeignKey(EvidenceItem, on_delete=models.PROTECT, related_name="+")
    clarification = models.ForeignKey(
        "review.Clarification", on_delete=models.PROTECT, null=True, blank=True, related_name="files",
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
        db_table = "applications_evidencefile"
        verbose_name = _("file di documentazione")
        verbose_name_plural = _("file di documentazione")
        ordering = ["application_id", "evidence_item__order", "uploaded_at"]

    def __str__(self):
        return self.original_name
