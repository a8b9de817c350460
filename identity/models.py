"""The link between a portal account and a SPID/CIE identity: the provider's pairwise subject (`sub`). The
codice fiscale the provider asserted is on the account itself (User.codice_fiscale, codice_fiscale_verified)."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class FederatedIdentity(models.Model):
    class Profile(models.TextChoices):
        SPID = "spid", "SPID"
        CIE = "cie", "CIE"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="federated_identities",
                             verbose_name=_("utente"))
    provider = models.CharField(_("identity provider"), max_length=255)
    profile = models.CharField(_("profilo"), max_length=8, choices=Profile.choices)
    subject = models.CharField(_("soggetto (sub)"), max_length=255)
    created = models.DateTimeField(_("collegata il"), auto_now_add=True)
    last_login = models.DateTimeField(_("ultimo accesso"), null=True, blank=True)

    class Meta:
        verbose_name = _("identità SPID/CIE")
        verbose_name_plural = _("identità SPID/CIE")
        constraints = [models.UniqueConstraint(fields=["provider", "subject"], name="identity_provider_subject_unique")]

    def __str__(self):
        return f"{self.get_profile_display()} {self.provider} {self.subject}"
