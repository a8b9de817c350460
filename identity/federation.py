"""The portal as a relying party of the SPID/CIE OpenID Connect Federation: its entity configuration (the
row spid-cie-oidc's views read) built from the settings, never from data in the repository. The private keys
come from files (OT24_SPID_RP_JWKS_FED_FILE, OT24_SPID_RP_JWKS_CORE_FILE); `manage.py spid_keys` writes a
fresh set for development and the tests."""
import json
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from spid_cie_oidc.entity.jwks import create_jwk, public_jwk_from_private_jwk
from spid_cie_oidc.entity.models import FederationEntityConfiguration

RP_ENTITY_TYPE = "openid_relying_party"


def client_id() -> str:
    """The relying party's entity id (its client_id and its `sub` in the federation), no trailing slash."""
    return (settings.OT24_SPID_RP_CLIENT_ID or settings.OT24_PUBLIC_URL + "/oidc/rp").rstrip("/")


def _base_url() -> str:
    """The portal's address as the providers reach it: the client_id without its /oidc/rp path."""
    cid = client_id()
    suffix = reverse("identity:entity_configuration").split(".well-known")[0].rstrip("/")  # "/oidc/rp"
    return cid[: -len(suffix)] if cid.endswith(suffix) else cid


def read_jwks(path: str) -> list[dict]:
    """A JSON file with a list of private JWKs (or {"keys": [...]})."""
    data = json.loads(Path(path).read_text())
    keys = data.get("keys") if isinstance(data, dict) else data
    if not isinstance(keys, list) or not keys or not all(isinstance(k, dict) and k.get("kid") for k in keys):
        raise ValueError(f"{path}: not a list of JWKs with a kid")
    return keys


def generate_keys() -> dict[str, list[dict]]:
    """A new key set: one federation signing key, one core signing key and one core encryption key (the
    providers encrypt the userinfo response to it)."""
    fed = create_jwk()
    fed["use"] = "sig"
    sig = create_jwk()
    sig["use"] = "sig"
    enc = create_jwk()
    enc["use"] = "enc"
    return {"fed": [fed], "core": [sig, enc]}


def write_keys(directory) -> tuple[Path, Path]:
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    keys = generate_keys()
    fed, core = directory / "rp-jwks-fed.json", directory / "rp-jwks-core.json"
    for path, value in ((fed, keys["fed"]), (core, keys["core"])):
        path.write_text(json.dumps(value))
        path.chmod(0o600)
    return fed, core


def metadata(core_keys: list[dict]) -> dict:
    base, cid = _base_url(), client_id()
    extra = {}
    if settings.OT24_SPID_RP_METADATA_FILE:
        extra = json.loads(Path(settings.OT24_SPID_RP_METADATA_FILE).read_text())
    name = extra.get("organization_name", "INAIL - Portale OT24")
    contacts = extra.get("contacts", [settings.OT24_SUPPORT_EMAIL])
    public = []
    for key in core_keys:
        jwk = public_jwk_from_private_jwk(key)
        jwk["use"] = key.get("use", "sig")
        public.append(jwk)
    return {
        "federation_entity": {
            "federation_resolve_endpoint": base + reverse("identity:resolve"),
            "organization_name": name,
            "homepage_uri": base,
            "policy_uri": extra.get("policy_uri", base + "/"),
            "contacts": contacts,
        },
        RP_ENTITY_TYPE: {
            "application_type": "web",
            "organization_name": name,
            "client_id": cid,
            "client_name": extra.get("client_name", name),
            "client_registration_types": ["automatic"],
            "jwks": {"keys": public},
            "contacts": contacts,
            "grant_types": ["refresh_token", "authorization_code"],
            "redirect_uris": [base + reverse("identity:callback")],
            "response_types": ["code"],
            "subject_type": "pairwise",
            "id_token_signed_response_alg": "RS256",
            "userinfo_signed_response_alg": "RS256",
            "userinfo_encrypted_response_alg": "RSA-OAEP",
            "userinfo_encrypted_response_enc": "A128CBC-HS256",
            "token_endpoint_auth_method": "private_key_jwt",
        },
    }


def is_configured() -> bool:
    return bool(settings.OT24_SPID_TRUST_ANCHOR and settings.OT24_SPID_RP_JWKS_FED_FILE
                and settings.OT24_SPID_RP_JWKS_CORE_FILE)


@transaction.atomic
def relying_party() -> FederationEntityConfiguration | None:
    """The relying party's entity configuration, created or brought in line with the settings (keys,
    trust anchor, metadata) on every use; None when SPID/CIE is not configured."""
    if not is_configured():
        return None
    fed = read_jwks(settings.OT24_SPID_RP_JWKS_FED_FILE)
    core = read_jwks(settings.OT24_SPID_RP_JWKS_CORE_FILE)
    values = {
        "entity_type": RP_ENTITY_TYPE,
        "default_signature_alg": "RS256",
        "authority_hints": [settings.OT24_SPID_TRUST_ANCHOR],
        "jwks_fed": fed,
        "jwks_core": core,
        "metadata": metadata(core),
        "trust_marks": (json.loads(Path(settings.OT24_SPID_RP_METADATA_FILE).read_text()).get("trust_marks", [])
                        if settings.OT24_SPID_RP_METADATA_FILE else []),
        "is_active": True,
    }
    cid = client_id()
    conf = FederationEntityConfiguration.objects.select_for_update().filter(sub=cid).first()
    # Only one relying party in this portal (spid-cie-oidc's begin view takes the first): a row left by an
    # old client_id goes.
    FederationEntityConfiguration.objects.filter(entity_type=RP_ENTITY_TYPE).exclude(sub=cid).delete()
    if conf is None:
        return FederationEntityConfiguration.objects.create(sub=cid, **values)
    if any(getattr(conf, name) != value for name, value in values.items()):
        for name, value in values.items():
            setattr(conf, name, value)
        conf.save()
    return conf


def providers(profile: str) -> list[dict]:
    """The identity providers of a profile ("spid" or "cie") for the log-in buttons: id and name."""
    return [{"id": p["id"], "name": p.get("name") or p["id"]} for p in settings.OT24_SPID_PROVIDERS
            if p.get("profile", "spid") == profile]


def provider_profile(provider_id: str) -> str | None:
    for p in settings.OT24_SPID_PROVIDERS:
        if p["id"] == provider_id:
            return p.get("profile", "spid")
    return None
