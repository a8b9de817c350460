from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from accounts.forms import LoginForm
from accounts.views import PasswordResetConfirmView

urlpatterns = [
    path("", include("applications.urls")),
    path("", include("organisations.urls")),
    path("", include("evidence.urls")),
    path("", include("review.urls")),
    path("", include("stress.urls")),
    path("accesso/", auth_views.LoginView.as_view(redirect_authenticated_user=True, authentication_form=LoginForm),
         name="login"),
    path("uscita/", auth_views.LogoutView.as_view(), name="logout"),
    # Password reset (Django's views, the portal's templates): the same answer whether or not the address
    # is registered.
    path("account/password-reset/", auth_views.PasswordResetView.as_view(), name="password_reset"),
    path("account/password-reset/inviata/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("account/password-reset/<uidb64>/<token>/", PasswordResetConfirmView.as_view(), name="password_reset_confirm"),
    path("account/password-reset/fatto/", auth_views.PasswordResetCompleteView.as_view(),
         name="password_reset_complete"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
