"""Uploaded documents: the row of each file kept in private storage (storage.py)."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from interventions.models import EvidenceItem


class Signature(models.TextChoices):
    NOT_REQUIRED = "", _("non richiesta")
    PENDING = "da_firmare", _("da firmare")
    QUALIFIED = "qualificata", _("firmato con firma digitale qualificata")
    HANDWRITTEN = "autografa", _("firmato a mano")


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
    # A document the portal generated (an elaboration of the events, the stress report) must be dated and
    # signed by the employer before it documents anything: it is attached "da firmare" and counts only once
    # signed (evidence.signing), by a qualified electronic signature over exactly these bytes or by hand on
    # a printed copy whose scan the reviewer judges. Ordinary uploads need no signature from the portal.
    signature = models.CharField(_("firma"), max_length=20, choices=Signature.choices, default=Signature.NOT_REQUIRED,
                                 blank=True)
    signed_storage_name = models.CharField(max_length=200, blank=True)
    signed_sha256 = models.CharField(max_length=64, blank=True)
    signed_size = models.PositiveBigIntegerField(null=True, blank=True)
    signed_content_type = models.CharField(max_length=100, blank=True)
    signed_original_name = models.CharField(_("nome del file firmato"), max_length=255, blank=True)
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+")
    signed_at = models.DateTimeField(null=True, blank=True)
    signer_codice_fiscale = models.CharField(_("codice fiscale del firmatario"), max_length=16, blank=True)

    class Meta:
        db_table = "applications_evidencefile"
        verbose_name = _("file di documentazione")
        verbose_name_plural = _("file di documentazione")
        ordering = ["application_id", "evidence_item__order", "uploaded_at"]

    Signature = Signature

    def __str__(self):
        return self.original_name

    @property
    def awaiting_signature(self) -> bool:
        """A generated document not signed yet: it does not document its item."""
        return self.signature == Signature.PENDING

    @property
    def is_signed(self) -> bool:
        return self.signature in (Signature.QUALIFIED, Signature.HANDWRITTEN)

    @property
    def signed_copy_previewable(self) -> bool:
        """A browser shows the signed copy by itself: a signed PDF (PAdES) or a scan (services.SCAN_TYPES). A
        CAdES .p7m envelope is only downloaded."""
        return self.is_signed and self.signed_content_type != "application/pkcs7-mime"
