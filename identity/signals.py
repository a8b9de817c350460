"""Logging out of the portal also ends the SPID/CIE session's tokens at the provider (token revocation, the
logout OpenID Connect Federation offers in SPID and CIE) where the provider has a revocation endpoint."""
import logging

from django.contrib.auth.signals import user_logged_out
from django.dispatch import receiver
from django.utils import timezone

logger = logging.getLogger(__name__)


@receiver(user_logged_out, dispatch_uid="identity_federation_logout")
def revoke_federation_tokens(sender, request, user, **kwargs):
    if user is None:
        return
    from spid_cie_oidc.relying_party.models import OidcAuthenticationToken
    from spid_cie_oidc.relying_party.views import SpidCieOidcRp, TokenRequestType

    tokens = OidcAuthenticationToken.objects.filter(user=user, revoked__isnull=True).select_related("authz_request")
    for token in tokens:
        if (token.authz_request.provider_configuration or {}).get("revocation_endpoint"):
            try:
                SpidCieOidcRp().get_token_request(token, request, TokenRequestType.revocation)
            except Exception as exc:  # noqa: BLE001 - the portal's own logout never fails because of it
                logger.warning("SPID/CIE token revocation failed for %s: %s", token.authz_request.provider_id, exc)
        token.revoked = timezone.now()
        token.save(update_fields=["revoked"])
