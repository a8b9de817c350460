from django.urls import path

from . import views

app_name = "identity"

# The relying party lives under /oidc/rp/ (its entity id, OT24_SPID_RP_CLIENT_ID, ends with it).
urlpatterns = [
    path("oidc/rp/.well-known/openid-federation", views.entity_configuration, name="entity_configuration"),
    path("oidc/rp/resolve", views.resolve, name="resolve"),
    path("oidc/rp/authorization", views.BeginView.as_view(), name="begin"),
    path("oidc/rp/callback", views.CallbackView.as_view(), name="callback"),
]
