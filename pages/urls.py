from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("aiuto/", views.help_page, name="help"),
    path("contatti/", views.contacts, name="contacts"),
    path("privacy/", views.privacy, name="privacy"),
    path("accessibilita/", views.accessibility, name="accessibility"),
    path("note-legali/", views.legal, name="legal"),
    path("amministrazione/", views.admin_landing, name="admin_landing"),
]
