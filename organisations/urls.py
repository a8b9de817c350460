from django.urls import path

from . import views

urlpatterns = [
    path("aziende/<int:company_pk>/unita/nuova/", views.site_create, name="site_create"),
    path("unita/<int:site_pk>/", views.site_edit, name="site_edit"),
    path("aziende/nuova/", views.company_register, name="company_register"),
    path("aziende/adesione/", views.company_join, name="company_join"),
    path("aziende/<int:pk>/", views.company_detail, name="company_detail"),
    path("aziende/<int:pk>/inviti/", views.company_invite, name="company_invite"),
    path("aziende/<int:pk>/deleghe/nuova/", views.mandate_grant, name="mandate_grant"),
    path("inviti/<int:pk>/revoca/", views.invitation_revoke, name="invitation_revoke"),
    path("invito/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("inviti/<int:pk>/", views.invitation_open, name="invitation_open"),
    path("persone/<int:pk>/rimuovi/", views.membership_remove, name="membership_remove"),
    path("richieste/<int:pk>/", views.join_request_decide, name="join_request_decide"),
    path("deleghe/<int:pk>/", views.mandate_decide, name="mandate_decide"),
    path("deleghe/<int:pk>/revoca/", views.mandate_revoke, name="mandate_revoke"),
    path("deleghe/richiesta/", views.mandate_request, name="mandate_request"),
    path("clienti/", views.clients, name="clients"),
    path("clienti/nuovo/", views.client_register, name="client_register"),
    path("studi/nuovo/", views.firm_create, name="firm_create"),
    path("studi/<int:pk>/", views.firm_detail, name="firm_detail"),
    path("studi/<int:pk>/inviti/", views.firm_invite, name="firm_invite"),
    path("studi/persone/<int:pk>/rimuovi/", views.firm_member_remove, name="firm_member_remove"),
]
