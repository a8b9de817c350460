"""One process of the local federation: `python -m tests.federation.server PLAN.json` migrates its own SQLite
database, writes the entities and test users the plan describes (made by tests/federation/conftest.py),
and serves spid-cie-oidc's views on 127.0.0.1 with Django's development server."""
import json
import os
import sys


def op_metadata(base: str, sub: str, core_public: list, profile: str) -> dict:
    op = sub
    return {
        "federation_entity": {
            "federation_resolve_endpoint": f"{op}/resolve",
            "organization_name": "Test " + profile.upper() + " identity provider",
            "homepage_uri": base, "policy_uri": f"{base}/", "contacts": ["tech@example.it"],
        },
        "openid_provider": {
            "issuer": op,
            "authorization_endpoint": f"{op}/authorization",
            "token_endpoint": f"{op}/token",
            "userinfo_endpoint": f"{op}/userinfo",
            "introspection_endpoint": f"{op}/introspection",
            "revocation_endpoint": f"{op}/revocation",
            "jwks": {"keys": core_public},
            "claims_parameter_supported": True,
            "contacts": ["ops@example.it"],
            "client_registration_types_supported": ["automatic"],
            "code_challenge_methods_supported": ["S256"],
            "request_authentication_methods_supported": {"ar": ["request_object"]},
            "acr_values_supported": ["https://www.spid.gov.it/SpidL1", "https://www.spid.gov.it/SpidL2",
                                     "https://www.spid.gov.it/SpidL3"],
            "claims_supported": ["given_name", "family_name", "email", "https://attributes.eid.gov.it/fiscal_number"],
            "grant_types_supported": ["authorization_code", "refresh_token"],
            "id_token_signing_alg_values_supported": ["RS256", "ES256"],
            "id_token_encryption_alg_values_supported": ["RSA-OAEP"],
            "id_token_encryption_enc_values_supported": ["A128CBC-HS256"],
            "scopes_supported": ["openid", "offline_access"],
            "logo_uri": f"{base}/static/logo.svg",
            "organization_name": "Test " + profile.upper() + " identity provider",
            "op_policy_uri": f"{base}/",
            "request_parameter_supported": True,
            "request_uri_parameter_supported": True,
            "require_request_uri_registration": True,
            "response_types_supported": ["code"],
            "response_modes_supported": ["query", "form_post"],
            "subject_types_supported": ["pairwise", "public"],
            "token_endpoint_auth_methods_supported": ["private_key_jwt"],
            "token_endpoint_auth_signing_alg_values_supported": ["RS256", "RS384", "RS512", "ES256", "ES384", "ES512"],
            "userinfo_encryption_alg_values_supported": ["RSA-OAEP", "RSA-OAEP-256"],
            "userinfo_encryption_enc_values_supported": ["A128CBC-HS256", "A192CBC-HS384", "A256CBC-HS512",
                                                         "A128GCM", "A192GCM", "A256GCM"],
            "userinfo_signing_alg_values_supported": ["RS256", "RS384", "RS512", "ES256", "ES384", "ES512"],
            "request_object_encryption_alg_values_supported": ["RSA-OAEP", "RSA-OAEP-256"],
            "request_object_encryption_enc_values_supported": ["A128CBC-HS256", "A192CBC-HS384", "A256CBC-HS512",
                                                               "A128GCM", "A192GCM", "A256GCM"],
            "request_object_signing_alg_values_supported": ["RS256", "RS384", "RS512", "ES256", "ES384", "ES512"],
        },
    }


def populate(plan: dict) -> None:
    from spid_cie_oidc.accounts.models import User
    from spid_cie_oidc.authority.models import FederationDescendant
    from spid_cie_oidc.entity.jwks import public_jwk_from_private_jwk
    from spid_cie_oidc.entity.models import FederationEntityConfiguration

    base = plan["base"]
    if plan["role"] == "ta":
        FederationEntityConfiguration.objects.create(
            sub=base, entity_type="federation_entity", default_signature_alg="RS256", authority_hints=[],
            jwks_fed=plan["fed_keys"], jwks_core=plan["fed_keys"], constraints={"max_path_length": 1}, is_active=True,
            metadata={"federation_entity": {
                "contacts": ["ops@localhost"], "organization_name": "Test trust anchor", "homepage_uri": base,
                "federation_fetch_endpoint": f"{base}/fetch", "federation_resolve_endpoint": f"{base}/resolve",
                "federation_list_endpoint": f"{base}/list",
                "federation_trust_mark_status_endpoint": f"{base}/trust_mark_status",
            }},
        )
        for descendant in plan["descendants"]:
            FederationDescendant.objects.create(
                name=descendant["sub"], sub=descendant["sub"], type=descendant["type"],
                jwks=descendant["jwks"], metadata_policy={}, constraints={}, extended_claims={},
                status="valid", is_active=True,
            )
    else:
        sub = f"{base}/oidc/op"
        core_public = []
        for key in plan["core_keys"]:
            public = public_jwk_from_private_jwk(key)
            public["use"] = key["use"]
            core_public.append(public)
        FederationEntityConfiguration.objects.create(
            sub=sub, entity_type="openid_provider", default_signature_alg="RS256",
            authority_hints=[plan["trust_anchor"]], jwks_fed=plan["fed_keys"], jwks_core=plan["core_keys"],
            metadata=op_metadata(base, sub, core_public, plan["profile"]), is_active=True,
        )
        for person in plan["users"]:
            user = User(username=person["username"], email=person["email"],
                        first_name=person["given_name"], last_name=person["family_name"],
                        attributes={
                            "given_name": person["given_name"], "family_name": person["family_name"],
                            "email": person["email"],
                            "https://attributes.eid.gov.it/fiscal_number": person["fiscal_number"],
                            "fiscal_number": person["fiscal_number"],
                        })
            user.set_password(person["password"])
            user.save()


def main(plan_path: str) -> None:
    with open(plan_path) as fh:
        plan = json.load(fh)
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.federation.settings"
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)
    populate(plan)
    call_command("runserver", f"127.0.0.1:{plan['port']}", use_reloader=False, use_threading=True,
                 skip_checks=True, verbosity=1)


if __name__ == "__main__":
    main(sys.argv[1])
