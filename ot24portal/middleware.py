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


class SessionAbsoluteLifetimeMiddleware:
    """A session ends OT24_SESSION_ABSOLUTE_SECONDS after its log-in, however active it has been (the idle
    timeout above keeps an active session alive for ever otherwise). The log-in time is stored in the
    session by accounts.signals at every log-in; an authenticated session without it (made before this
    rule existed) is ended too. Placed before AuthenticationMiddleware, so the request is anonymous at once."""

    KEY = "_login_at"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings
        from django.contrib.auth import SESSION_KEY

        session = getattr(request, "session", None)
        # A request without a session cookie reads nothing here; with one, the session is read anyway
        # (AuthenticationMiddleware needs it).
        if session is not None and session.session_key is not None:
            login_at = session.get(self.KEY)
            authenticated = SESSION_KEY in session
            if authenticated and (login_at is None
                                  or time.time() - login_at >= settings.OT24_SESSION_ABSOLUTE_SECONDS):
                session.flush()
        return self.get_response(request)


class NoStoreMiddleware:
    """Nothing a logged-in user sees, and no downloaded file, is kept by the browser or any cache on the
    way: `Cache-Control: no-store` (with Django's never-cache set) on every response to an authenticated
    user and on every file response (attachment or streamed file). Static files are served before this
    (WhiteNoise) and keep their long cache."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.http import FileResponse
        from django.utils.cache import add_never_cache_headers

        response = self.get_response(request)
        user = getattr(request, "user", None)
        if (isinstance(response, FileResponse) or response.has_header("Content-Disposition")
                or (user is not None and user.is_authenticated)):
            add_never_cache_headers(response)
        return response
