from django.urls import path

from .views import dashboard, wizard

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("domande/export.csv", dashboard.dashboard_csv, name="dashboard_csv"),
    path("unita/<int:site_pk>/avvia/", wizard.application_start, name="application_start"),
    path("domande/<int:pk>/", wizard.application_detail, name="application_detail"),
    path("domande/<int:pk>/passo/<str:step>/", wizard.application_step, name="application_step"),
    path("domande/<int:pk>/documenti/<int:file_pk>/", wizard.evidence_download, name="evidence_download"),
    path("domande/<int:pk>/documenti/<int:file_pk>/rimuovi/", wizard.evidence_remove, name="evidence_remove"),
]
