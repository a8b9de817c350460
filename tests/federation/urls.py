"""The local federation's URLs: the trust anchor's federation API at the root, an OpenID provider under
/oidc/op (as in spid-cie-oidc's example projects)."""
from django.urls import path
from spid_cie_oidc.authority.urls import urlpatterns as authority_urls
from spid_cie_oidc.entity.urls import urlpatterns as entity_urls
from spid_cie_oidc.entity.views import entity_configuration, resolve_entity_statement
from spid_cie_oidc.provider.urls import urlpatterns as provider_urls

urlpatterns = [
    *entity_urls,
    *authority_urls,
    *provider_urls,
    path("oidc/op/.well-known/openid-federation", entity_configuration, name="op_entity_configuration"),
    path("oidc/op/resolve", resolve_entity_statement, name="op_entity_resolve"),
]
