from django.urls import path

from . import views

urlpatterns = [
    path("istruttoria/", views.review_queue, name="review_queue"),
    path("istruttoria/assegna/", views.review_assign, name="review_assign"),
    path("istruttoria/verifica/", views.verify_document, name="verify_document"),
    path("istruttoria/<int:pk>/prendi/", views.review_take, name="review_take"),
    path("istruttoria/<int:pk>/", views.review_detail, name="review_detail"),
    path("istruttoria/<int:pk>/documenti/<int:file_pk>/anteprima/", views.evidence_preview, name="evidence_preview"),
]
