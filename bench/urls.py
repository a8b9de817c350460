"""The portal's URLs plus the load test's baseline: the smallest Django view the same gunicorn serves."""
from django.http import HttpResponse
from django.urls import path

from ot24portal.urls import urlpatterns as portal


def minimal(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/minimal/", minimal, name="bench_minimal"), *portal]
