from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

urlpatterns = [
    path("", include("applications.urls")),
    path("", include("organisations.urls")),
    path("", include("evidence.urls")),
    path("", include("review.urls")),
    path("accesso/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("uscita/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
