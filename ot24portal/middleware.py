"""The portal's own middleware: Italian first, the idle timeout of sessions, the second factor of staff."""
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
    user, on every file response (attachment or streamed file), and on the pages an anonymous visitor opens
    by a secret link (invitations, password reset, address confirmation: who invites whom, which address).
    Static files are served before this (WhiteNoise) and keep their long cache."""

    SECRET_LINK_URL_NAMES = frozenset({"invitation_accept", "staff_invitation_accept",
                                       "account_reset_password_from_key", "account_confirm_email"})

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.http import FileResponse
        from django.utils.cache import add_never_cache_headers

        response = self.get_response(request)
        user = getattr(request, "user", None)
        match = getattr(request, "resolver_match", None)
        if (isinstance(response, FileResponse) or response.has_header("Content-Disposition")
                or (user is not None and user.is_authenticated)
                or (match is not None and match.url_name in self.SECRET_LINK_URL_NAMES)):
            add_never_cache_headers(response)
        return response


class StaffSecondFactorMiddleware:
    """INAIL staff (reviewers, supervisors) and administrators must have an authenticator app (TOTP):
    until they do, every page sends them to the set-up page, except the two-factor pages themselves,
    re-authentication, log-out, the language switch and static files. allauth asks for the code at every
    log-in of a user who has one, so "has a TOTP authenticator" means "logged in with two factors" (a test's
    force_login aside). OT24_REQUIRE_STAFF_MFA = False turns the requirement off."""

    ALLOWED_NAMES = ("mfa_index", "mfa_activate_totp", "mfa_authenticate", "mfa_reauthenticate",
                     "mfa_generate_recovery_codes", "mfa_view_recovery_codes", "mfa_download_recovery_codes",
                     "account_reauthenticate", "account_logout", "logout", "set_language",
                     "healthz", "readyz", "metrics")  # operations: answer whoever asks (metrics: by address)

    def __init__(self, get_response):
        self.get_response = get_response
        self._allowed = None

    def allowed_paths(self):
        if self._allowed is None:
            from django.conf import settings
            from django.urls import NoReverseMatch, reverse

            paths = set()
            for name in self.ALLOWED_NAMES:
                try:
                    paths.add(reverse(name))
                except NoReverseMatch:
                    pass
            self._allowed = (frozenset(paths), "/" + settings.STATIC_URL.lstrip("/"))
        return self._allowed

    def __call__(self, request):
        from django.conf import settings

        user = getattr(request, "user", None)
        if (settings.OT24_REQUIRE_STAFF_MFA and user is not None and user.is_authenticated
                and getattr(user, "requires_second_factor", False)):
            paths, static = self.allowed_paths()
            if request.path_info not in paths and not request.path_info.startswith(static) \
                    and not self.has_totp(user):
                from django.contrib import messages
                from django.shortcuts import redirect
                from django.utils.translation import gettext as _

                messages.warning(request, _("Il personale INAIL e gli amministratori accedono con la verifica in "
                                            "due passaggi: attivala con un'app di autenticazione per continuare."))
                return redirect("mfa_activate_totp")
        return self.get_response(request)

    @staticmethod
    def has_totp(user) -> bool:
        from allauth.mfa.models import Authenticator

        return Authenticator.objects.filter(user_id=user.pk, type=Authenticator.Type.TOTP).exists()
