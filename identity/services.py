"""Writes of a SPID/CIE log-in: the account is found, created or linked by the codice fiscale the identity
provider asserted (never by e-mail alone), and the person's name, surname and codice fiscale become verified."""
import json
import time

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from spid_cie_oidc.entity.jwtse import unpad_jwt_payload

from accounts.models import User
from accounts.throttling import normalise_username
from accounts.validators import validate_codice_fiscale_persona

from .models import FederatedIdentity

# Clock difference tolerated between the portal and an identity provider, in seconds.
CLOCK_LEEWAY = 60


class IdentityRefused(Exception):
    """A SPID/CIE log-in the portal refuses; the message is for the person (Italian, translatable)."""

    def __init__(self, message: str, status: int = 403):
        super().__init__(message)
        self.message = message
        self.status = status


def codice_fiscale_from_claim(value) -> str:
    """`TINIT-RSSMRA70E17H501X` (SPID and CIE's fiscal_number) -> `RSSMRA70E17H501X`, validated."""
    value = (value or "").strip().upper() if isinstance(value, str) else ""
    if value.startswith("TINIT-"):
        value = value[len("TINIT-"):]
    try:
        validate_codice_fiscale_persona(value)
    except ValidationError as exc:
        raise IdentityRefused(_("Il gestore dell'identità non ha fornito un codice fiscale valido.")) from exc
    return value


def check_id_token(id_token: str, *, provider: str, client_id: str, nonce: str, userinfo_sub: str | None) -> dict:
    """The checks of OpenID Connect Core 3.1.3.7 that spid-cie-oidc 1.6.3's callback leaves out (it verifies
    the signature and at_hash only): issuer, audience, expiry, issue time, nonce, and the userinfo's subject."""
    try:
        claims = unpad_jwt_payload(id_token)
    except Exception as exc:  # noqa: BLE001 - any undecodable token is refused
        raise IdentityRefused(_("Il token di autenticazione non è valido.")) from exc
    now = time.time()
    audience = claims.get("aud")
    audience = [audience] if isinstance(audience, str) else (audience or [])
    if (claims.get("iss") or "").rstrip("/") != provider.rstrip("/"):
        raise IdentityRefused(_("Il token di autenticazione non è stato emesso dal gestore scelto."))
    if client_id.rstrip("/") not in [str(a).rstrip("/") for a in audience]:
        raise IdentityRefused(_("Il token di autenticazione non è destinato a questo portale."))
    if not isinstance(claims.get("exp"), (int, float)) or claims["exp"] < now - CLOCK_LEEWAY:
        raise IdentityRefused(_("Il token di autenticazione è scaduto: accedi di nuovo."))
    if not isinstance(claims.get("iat"), (int, float)) or claims["iat"] > now + CLOCK_LEEWAY:
        raise IdentityRefused(_("Il token di autenticazione non è valido."))
    if not nonce or claims.get("nonce") != nonce:
        raise IdentityRefused(_("Il token di autenticazione non corrisponde a questa richiesta di accesso."))
    if not claims.get("sub") or (userinfo_sub is not None and userinfo_sub != claims["sub"]):
        raise IdentityRefused(_("Il token di autenticazione non corrisponde all'utente."))
    return claims


def authz_nonce(authz) -> str:
    try:
        return json.loads(authz.data or "{}").get("nonce", "")
    except ValueError:
        return ""


@transaction.atomic
def login_or_link(*, provider: str, profile: str, subject: str, attributes: dict, current_user=None) -> User:
    """The account a SPID/CIE identity logs into.

    - Logged in already (e-mail and password): the identity is linked to that account, unless another
      account holds the same verified codice fiscale or this one holds a different verified one.
    - Otherwise the account whose codice fiscale was verified by SPID/CIE; or a new one. An account with the
      same e-mail but no verified codice fiscale is never taken over: its owner links SPID/CIE after
      logging in with the password.
    INAIL staff and administrators never log in with SPID/CIE (password + TOTP by invitation)."""
    codice_fiscale = codice_fiscale_from_claim(attributes.get("fiscal_number"))
    by_subject = (FederatedIdentity.objects.select_related("user").select_for_update()
                  .filter(provider=provider, subject=subject).first())
    if by_subject is not None and by_subject.user.codice_fiscale_verified \
            and by_subject.user.codice_fiscale != codice_fiscale:
        raise IdentityRefused(_("L'identità SPID/CIE non corrisponde al codice fiscale dell'account collegato."))
    owner = User.objects.select_for_update().filter(codice_fiscale=codice_fiscale, codice_fiscale_verified=True).first()

    if current_user is not None and current_user.is_authenticated:
        user = User.objects.select_for_update().get(pk=current_user.pk)
        if owner is not None and owner.pk != user.pk:
            raise IdentityRefused(_("Questa identità SPID/CIE è già collegata a un altro account del portale."))
        if user.codice_fiscale_verified and user.codice_fiscale != codice_fiscale:
            raise IdentityRefused(_("Il tuo account è già collegato a un'altra identità SPID/CIE."))
    elif owner is not None:
        user = owner
    else:
        email = normalise_username(attributes.get("email") or "")
        if not email:
            raise IdentityRefused(_("Il gestore dell'identità non ha fornito un indirizzo e-mail: serve per "
                                    "ricevere le comunicazioni del portale."))
        if User.objects.filter(email__iexact=email).exists():
            raise IdentityRefused(_("Esiste già un account con l'indirizzo e-mail di questa identità. Accedi con "
                                    "e-mail e password, poi collega SPID o CIE dal tuo profilo."))
        user = User(email=email, role=User.Role.COMPANY)
        user.set_unusable_password()

    if user.requires_second_factor or user.is_staff:
        raise IdentityRefused(_("Il personale INAIL accede con e-mail, password e codice di verifica, non con "
                                "SPID o CIE."))
    # spid-cie-oidc's RP_ATTR_MAP names them first_name / last_name (from given_name / family_name).
    user.first_name = (attributes.get("first_name") or attributes.get("given_name") or user.first_name)[:150]
    user.last_name = (attributes.get("last_name") or attributes.get("family_name") or user.last_name)[:150]
    user.codice_fiscale = codice_fiscale
    user.codice_fiscale_verified = True
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError as exc:  # the same codice fiscale verified at the same moment on another account
        raise IdentityRefused(_("Questa identità SPID/CIE è già collegata a un altro account del portale.")) from exc
    identity, _created = FederatedIdentity.objects.update_or_create(
        provider=provider, subject=subject,
        defaults={"user": user, "profile": profile, "last_login": timezone.now()},
    )
    return user
