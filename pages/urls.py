from django.urls import path

from . import dashboard, views

urlpatterns = [
    path("", views.home, name="home"),
    path("aiuto/", views.help_page, name="help"),
    path("contatti/", views.contacts, name="contacts"),
    path("privacy/", views.privacy, name="privacy"),
    path("accessibilita/", views.accessibility, name="accessibility"),
    path("note-legali/", views.legal, name="legal"),
    path("amministrazione/", views.admin_landing, name="admin_landing"),
    # The companies' and consultants' dashboard gathers from applications, evidence and review: it lives here,
    # above them (.importlinter).
    path("domande/", dashboard.dashboard, name="dashboard"),
    path("domande/export.csv", dashboard.dashboard_csv, name="dashboard_csv"),
    path("domande/nuova-unita/", dashboard.dashboard_add_site, name="dashboard_add_site"),
]
