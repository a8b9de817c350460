from django.urls import path

from . import views

urlpatterns = [
    path("aziende/<int:company_pk>/unita/nuova/", views.site_create, name="site_create"),
    path("unita/<int:site_pk>/", views.site_edit, name="site_edit"),
]
