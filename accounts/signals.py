"""At every log-in: the session's start time for its absolute lifetime, and the account's failed
attempts cleared (only the account's own: see AXES_RESET_ON_SUCCESS in settings)."""
import time

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from ot24portal.middleware import SessionAbsoluteLifetimeMiddleware

from .throttling import normalise_username


@receiver(user_logged_in, dispatch_uid="ot24_login_stamp")
def on_login(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[SessionAbsoluteLifetimeMiddleware.KEY] = time.time()
    clear_failures(user)


def clear_failures(user) -> None:
    from axes.utils import reset

    username = normalise_username(user.get_username())
    if username:  # reset() without a username would clear every attempt
        reset(username=username)
