from django.urls import path

from .views import wizard

urlpatterns = [
    path("unita/<int:site_pk>/avvia/", wizard.application_start, name="application_start"),
    path("domande/<int:pk>/", wizard.application_detail, name="application_detail"),
    path("domande/<int:pk>/passo/<str:step>/", wizard.application_step, name="application_step"),
    path("domande/<int:pk>/firma-qualificata/pdf/", wizard.qualified_prepare, name="qualified_prepare"),
    path("domande/<int:pk>/firma-qualificata/invio/", wizard.qualified_upload, name="qualified_upload"),
    path("domande/<int:pk>/avvisa-firmatario/", wizard.application_notify_signatories,
         name="application_notify_signatories"),
    path("domande/<int:pk>/ritira/", wizard.application_withdraw, name="application_withdraw"),
    path("domande/<int:pk>/domanda.pdf", wizard.application_pdf, name="application_pdf"),
    path("domande/<int:pk>/passo/<str:step>/anteprima-punteggio/", wizard.section_preview, name="section_preview"),
]
