"""The outbox: every e-mail the portal sends is first a row, written in the same transaction as the change
it reports, then sent after the commit. A failure is logged and kept for `send_pending_mail`; it never
turns a saved change into an error page."""
from django.db import models
from django.utils.translation import gettext_lazy as _


class OutgoingEmail(models.Model):
    recipients = models.JSONField(_("destinatari"), default=list)
    subject = models.CharField(_("oggetto"), max_length=255)
    body = models.TextField(_("testo"))
    html_body = models.TextField(_("testo HTML"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField(null=True, blank=True, db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("e-mail in uscita")
        verbose_name_plural = _("e-mail in uscita")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.subject
