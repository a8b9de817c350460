from allauth.account import views as allauth_views
from django.contrib import admin
from django.urls import include, path

# Log-in and log-out keep their Italian paths and the names the portal uses ("login", "logout"); the same
# views are also allauth's "account_login" / "account_logout" at /account/login/ and /account/logout/.
urlpatterns = [
    path("", include("pages.urls")),
    path("", include("applications.urls")),
    path("", include("organisations.urls")),
    path("", include("evidence.urls")),
    path("", include("review.urls")),
    path("", include("indicators.urls")),
    path("", include("stress.urls")),
    path("accesso/", allauth_views.login, name="login"),
    path("uscita/", allauth_views.logout, name="logout"),
    path("account/", include("accounts.urls")),
    path("account/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("", include("operations.urls")),  # /healthz, /readyz, /metrics (docs/operations.md)
]

handler429 = "accounts.views.too_many_requests"  # allauth's rate limits answer with this page
