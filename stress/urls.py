from django.urls import path

from . import views

urlpatterns = [
    path("stress/", views.stress_list, name="stress_list"),
    path("stress/aziende/<int:company_pk>/nuova/", views.stress_create, name="stress_create"),
    path("stress/<int:pk>/", views.stress_detail, name="stress_detail"),
    path("stress/<int:pk>/modifica/", views.stress_edit, name="stress_edit"),
    path("stress/<int:pk>/elimina/", views.stress_delete, name="stress_delete"),
    path("stress/<int:pk>/indicatori/", views.stress_figures, name="stress_figures"),
    path("stress/<int:pk>/compilazioni/nuova/", views.stress_compilation_add, name="stress_compilation_add"),
    path("stress/<int:pk>/compilazioni/<int:compilation_pk>/area/<str:area>/", views.stress_checklist,
         name="stress_checklist"),
    path("stress/<int:pk>/compilazioni/<int:compilation_pk>/elimina/", views.stress_compilation_delete,
         name="stress_compilation_delete"),
    path("stress/<int:pk>/piano/", views.stress_plan, name="stress_plan"),
    path("stress/<int:pk>/piano/<int:measure_pk>/elimina/", views.stress_measure_delete, name="stress_measure_delete"),
    path("stress/<int:pk>/relazione.pdf", views.stress_pdf, name="stress_pdf"),
    path("stress/<int:pk>/allega/", views.stress_attach, name="stress_attach"),
]
