from django.urls import path

from . import views

urlpatterns = [
    path("indici/", views.portfolio_page, name="indicators_portfolio"),
    path("indici/export.csv", views.portfolio_csv, name="indicators_portfolio_csv"),
    path("indici/aziende/<int:company_pk>/", views.company_page, name="indicators_company"),
    path("indici/unita/<int:site_pk>/", views.site_page, name="indicators_site"),
    path("indici/unita/<int:site_pk>/ore/", views.hours_page, name="indicators_hours"),
    path("indici/unita/<int:site_pk>/infortuni/nuovo/", views.injury_create, name="indicators_injury_create"),
    path("indici/infortuni/<int:pk>/", views.injury_edit, name="indicators_injury_edit"),
    path("indici/infortuni/<int:pk>/elimina/", views.injury_delete, name="indicators_injury_delete"),
    path("indici/unita/<int:site_pk>/importa/", views.import_page, name="indicators_import"),
    path("indici/unita/<int:site_pk>/importa/conferma/", views.import_confirm, name="indicators_import_confirm"),
    path("indici/unita/<int:site_pk>/registro.csv", views.export_register, name="indicators_export"),
    path("indici/unita/<int:site_pk>/elaborazione.pdf", views.analysis_pdf, name="indicators_pdf"),
    path("indici/unita/<int:site_pk>/elaborazione-eventi-<str:code>.pdf", views.events_pdf,
         name="indicators_events_pdf"),
    path("indici/unita/<int:site_pk>/allega/", views.attach, name="indicators_attach"),
    path("indici/unita/<int:site_pk>/appaltatori/", views.contractors_page, name="indicators_contractors"),
    path("indici/appaltatori/<int:pk>/elimina/", views.contractor_delete, name="indicators_contractor_delete"),
]
