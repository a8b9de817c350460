"""The portal's own account pages; allauth's (sign-up, e-mail, password, two-factor) are included by
ot24portal/urls.py under /account/."""
from django.urls import path

from . import views

urlpatterns = [
    path("profilo/", views.profile, name="account_profile"),
    path("invito/<str:token>/", views.staff_invitation_accept, name="staff_invitation_accept"),
]
