"""The portal's URLs plus the load test's baselines, served by the same gunicorn:
- the smallest Django view (the issue's baseline);
- a floor page: what any wizard page must do before its own work (session, user, the application
  looked up and permission-checked as the wizard does, the portal's layout rendered), to show how much
  of a wizard page's cost is the page itself."""
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path

from applications.views.common import get_application
from ot24portal.urls import urlpatterns as portal


def minimal(request):
    return HttpResponse("ok", content_type="text/plain")


@login_required
def floor(request, pk: int):
    return render(request, "base.html", {"application": get_application(request, pk)})


urlpatterns = [
    path("bench/minimal/", minimal, name="bench_minimal"),
    path("bench/floor/<int:pk>/", floor, name="bench_floor"),
    *portal,
]
