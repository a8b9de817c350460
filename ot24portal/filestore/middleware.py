"""Answers 503 with an Italian page when the file store does not answer (storage.StorageUnavailable),
for every view that reads or writes stored documents: downloads, previews, the wizard's form uploads, answers to
clarification requests, sealing. The views' own transactions have rolled back by then. The upload endpoints that
the page's script calls answer the same in JSON themselves (evidence.views)."""
from django.template.response import TemplateResponse

from .storage import StorageUnavailable


class StorageUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, StorageUnavailable):
            return None
        response = TemplateResponse(request, "evidence/store_unavailable.html", status=503)
        response["Retry-After"] = "60"
        return response.render()
