from django.urls import path

from . import views

urlpatterns = [
    path("domande/<int:pk>/documenti/carica/", views.evidence_upload_json, name="evidence_upload_json"),
    path("domande/<int:pk>/documenti/carica-diretta/", views.evidence_upload_raw, name="evidence_raw_upload"),
    path("domande/<int:pk>/documenti/<int:file_pk>/", views.evidence_download, name="evidence_download"),
    path("domande/<int:pk>/documenti/<int:file_pk>/rimuovi/", views.evidence_remove, name="evidence_remove"),
    path("domande/<int:pk>/documenti/<int:file_pk>/firma/", views.evidence_sign, name="evidence_sign"),
    path("domande/<int:pk>/documenti/<int:file_pk>/firmato/", views.evidence_signed_download,
         name="evidence_signed_download"),
]
