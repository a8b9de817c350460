"""The portal's own middleware: Italian first, and the idle timeout of sessions."""
import time


class ItalianFirstMiddleware:
    """The browser's Accept-Language is ignored, so the portal speaks Italian until the user picks
    another language with the switch (stored in the language cookie)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)


class SessionIdleRefreshMiddleware:
    """Sessions end after SESSION_COOKIE_AGE of inactivity. Instead of writing the session on every
    request (SESSION_SAVE_EVERY_REQUEST: one UPDATE per page), the expiry is pushed forward only when
    the last push is older than SESSION_REFRESH_SECONDS, so an idle session ends between
    SESSION_COOKIE_AGE - SESSION_REFRESH_SECONDS and SESSION_COOKIE_AGE after the last request."""

    KEY = "_refreshed_at"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is None or session.is_empty() or session.modified:
            return response
        from django.conf import settings

        now = int(time.time())
        if now - session.get(self.KEY, 0) >= settings.SESSION_REFRESH_SECONDS:
            session[self.KEY] = now  # marks the session modified: SessionMiddleware saves it with a new expiry
        return response
