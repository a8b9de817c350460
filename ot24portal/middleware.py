"""Italian first: the browser's Accept-Language is ignored, so the portal speaks Italian until the user
picks another language with the switch (stored in the language cookie)."""


class ItalianFirstMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)
