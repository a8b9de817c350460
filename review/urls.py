from django.urls import path

from . import views

urlpatterns = [
    path("istruttoria/", views.review_queue, name="review_queue"),
    path("istruttoria/assegna/", views.review_assign, name="review_assign"),
    path("istruttoria/verifica/", views.verify_document, name="verify_document"),
    path("istruttoria/<int:pk>/prendi/", views.review_take, name="review_take"),
    path("istruttoria/<int:pk>/", views.review_detail, name="review_detail"),
    path("istruttoria/<int:pk>/documenti/<int:file_pk>/anteprima/", views.evidence_preview, name="evidence_preview"),
    path("istruttoria/<int:pk>/documenti/<int:file_pk>/firmato/anteprima/", views.signed_copy_preview,
         name="signed_copy_preview"),
    path("domande/<int:pk>/chiarimenti/documento/", views.clarification_upload, name="clarification_upload"),
    path("domande/<int:pk>/chiarimenti/documento/<int:file_pk>/rimuovi/", views.clarification_file_remove,
         name="clarification_file_remove"),
    path("domande/<int:pk>/chiarimenti/risposta/", views.clarification_answer, name="clarification_answer"),
    path("domande/<int:pk>/provvedimento.pdf", views.decision_pdf, name="decision_pdf"),
]
