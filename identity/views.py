"""SPID / CIE log-in: spid-cie-oidc's relying-party views, with what the portal adds around them.

- begin: only the providers configured for the portal (OT24_SPID_PROVIDERS) are reached; the state of the
  request is bound to the browser's session (the package looks it up in the database only, so a callback
  link made in someone else's browser would otherwise log this browser in, or link an identity to it).
- callback: after the package has verified the tokens' signatures and at_hash, the ID token's issuer,
  audience, expiry, issue time and nonce are checked (identity.services.check_id_token), then the account is
  found, created or linked by the asserted codice fiscale (identity.services.login_or_link).
"""
import logging

from django.conf import settings
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.http import Http404
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from spid_cie_oidc.entity.jwtse import unpad_jwt_payload
from spid_cie_oidc.entity.views import entity_configuration as package_entity_configuration
from spid_cie_oidc.entity.views import resolve_entity_statement as package_resolve
from spid_cie_oidc.relying_party.models import OidcAuthentication, OidcAuthenticationToken
from spid_cie_oidc.relying_party.views.rp_begin import SpidCieOidcRpBeginView
from spid_cie_oidc.relying_party.views.rp_callback import SpidCieOidcRpCallbackView

from . import federation, services

logger = logging.getLogger(__name__)

SESSION_KEY = "identity_pending"
MAX_PENDING = 5
ERROR_TEMPLATE = "identity/error.html"


def refuse(request, message: str, status: int = 403):
    return render(request, ERROR_TEMPLATE, {"message": message}, status=status)


class BeginView(SpidCieOidcRpBeginView):
    error_template = ERROR_TEMPLATE

    def get(self, request, *args, **kwargs):
        provider = request.GET.get("provider", "")
        profile = federation.provider_profile(provider)
        if profile is None:
            return refuse(request, _("Il gestore dell'identità scelto non fa parte della federazione SPID/CIE "
                                     "riconosciuta dal portale."))
        if federation.relying_party() is None:
            return refuse(request, _("L'accesso con SPID e CIE non è configurato su questo portale."), status=503)
        link = request.GET.get("link") == "1" and request.user.is_authenticated
        next_url = request.GET.get(REDIRECT_FIELD_NAME, "")
        if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
            next_url = ""
        # The package reads its parameters from request.GET: only these reach it.
        query = request.GET.copy()
        for name in list(query):
            if name not in ("provider",):
                del query[name]
        query["profile"] = profile
        request.GET = query
        response = super().get(request, *args, **kwargs)
        if response.status_code != 302:
            return response
        state = self._state(response["Location"])
        if not state:
            return refuse(request, _("La richiesta di accesso non è stata creata."), status=500)
        pending = dict(request.session.get(SESSION_KEY, {}))
        pending[state] = {"link": link, "next": next_url, "provider": provider, "profile": profile}
        request.session[SESSION_KEY] = dict(list(pending.items())[-MAX_PENDING:])
        return response

    @staticmethod
    def _state(location: str) -> str:
        from urllib.parse import parse_qs, urlsplit

        request_object = parse_qs(urlsplit(location).query).get("request", [""])[0]
        try:
            return unpad_jwt_payload(request_object).get("state", "")
        except Exception:  # noqa: BLE001
            return ""


class CallbackView(SpidCieOidcRpCallbackView):
    error_template = ERROR_TEMPLATE

    def get(self, request, *args, **kwargs):
        state = request.GET.get("state", "")
        pending = dict(request.session.get(SESSION_KEY, {}))
        intent = pending.pop(state, None) if state else None
        request.session[SESSION_KEY] = pending
        if intent is None:
            return refuse(request, _("Questa risposta di accesso non è stata richiesta da questo browser: "
                                     "ricomincia dal pulsante «Entra con SPID» o «Entra con CIE»."), status=400)
        authz = OidcAuthentication.objects.filter(state=state).last()
        if authz is None or authz.provider_id.rstrip("/") != intent["provider"].rstrip("/"):
            return refuse(request, _("Richiesta di accesso sconosciuta."), status=400)
        self._intent = intent
        self._authz = authz
        self._user = None
        try:
            response = super().get(request, *args, **kwargs)
        except services.IdentityRefused as exc:
            return refuse(request, exc.message, exc.status)
        if self._user is None or response.status_code != 302:
            return response
        target = intent["next"] or resolve_url(settings.LOGIN_REDIRECT_URL)
        return redirect(target)

    def user_reunification(self, user_attrs: dict):
        token = OidcAuthenticationToken.objects.filter(authz_request=self._authz).order_by("-pk").first()
        services.check_id_token(
            token.id_token if token else "", provider=self._authz.provider_id,
            client_id=self._authz.client_id, nonce=services.authz_nonce(self._authz),
            userinfo_sub=user_attrs.get("sub"),
        )
        current = self.request.user if self._intent.get("link") else None
        user = services.login_or_link(
            provider=self._authz.provider_id, profile=self._intent["profile"], subject=user_attrs["sub"],
            attributes=user_attrs, current_user=current,
        )
        user.backend = "django.contrib.auth.backends.ModelBackend"
        self._user = user
        return user


@never_cache
@require_GET
def entity_configuration(request):
    """The relying party's entity configuration (/oidc/rp/.well-known/openid-federation), signed."""
    if federation.relying_party() is None:
        raise Http404
    return package_entity_configuration(request)


@require_GET
def resolve(request):
    if federation.relying_party() is None:
        raise Http404
    return package_resolve(request)
