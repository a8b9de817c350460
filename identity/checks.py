"""Start-up checks: with OT24_SPID_REQUIRED (production) the portal does not start without the federation's
trust anchor, the relying party's keys and the identity providers, all from the environment or files."""
from pathlib import Path

from django.conf import settings
from django.core.checks import Error, register


@register()
def spid_configuration(app_configs, **kwargs):
    if not getattr(settings, "OT24_SPID_REQUIRED", False):
        return []
    from .federation import read_jwks

    errors = []
    if not settings.OT24_SPID_TRUST_ANCHOR.startswith(("https://", "http://")):
        errors.append(Error("OT24_SPID_TRUST_ANCHOR must be the federation's trust anchor URL.", id="identity.E001"))
    for name in ("OT24_SPID_RP_JWKS_FED_FILE", "OT24_SPID_RP_JWKS_CORE_FILE"):
        path = getattr(settings, name)
        if not path or not Path(path).is_file():
            errors.append(Error(f"{name} must name a readable file with the relying party's private JWKs.",
                                id="identity.E002"))
            continue
        try:
            keys = read_jwks(path)
        except (OSError, ValueError) as exc:
            errors.append(Error(f"{name}: {exc}", id="identity.E003"))
            continue
        if not all("d" in key for key in keys):
            errors.append(Error(f"{name} must hold private keys.", id="identity.E003"))
        if name.endswith("CORE_FILE") and {k.get("use") for k in keys} < {"sig", "enc"}:
            errors.append(Error(f"{name} needs a signing key (use=sig) and an encryption key (use=enc).",
                                id="identity.E003"))
    metadata = settings.OT24_SPID_RP_METADATA_FILE
    if not metadata or not Path(metadata).is_file():
        errors.append(Error("OT24_SPID_RP_METADATA_FILE must name the relying party's metadata (JSON: "
                            "organization_name, contacts, policy_uri, trust_marks).", id="identity.E004"))
    if not settings.OT24_SPID_RP_CLIENT_ID.startswith("https://"):
        errors.append(Error("OT24_SPID_RP_CLIENT_ID must be the relying party's https entity id.", id="identity.E005"))
    if not settings.OT24_SPID_PROVIDERS or not all(isinstance(p, dict) and p.get("id") for p in settings.OT24_SPID_PROVIDERS):
        errors.append(Error("OT24_SPID_PROVIDERS must list the identity providers (JSON list of {id, name, profile}).",
                            id="identity.E006"))
    return errors
