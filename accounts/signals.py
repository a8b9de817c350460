"""At every log-in: the session's start time for its absolute lifetime, and the account's failed
attempts cleared (only the account's own: see AXES_RESET_ON_SUCCESS in settings). A password reset also
clears them. Accounts not made by self sign-up get their address recorded as verified."""
import time

from allauth.account.signals import password_reset
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_save
from django.dispatch import receiver

from ot24portal.middleware import SessionAbsoluteLifetimeMiddleware

from .throttling import normalise_username


@receiver(user_logged_in, dispatch_uid="ot24_login_stamp")
def on_login(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[SessionAbsoluteLifetimeMiddleware.KEY] = time.time()
    clear_failures(user)


@receiver(password_reset, dispatch_uid="ot24_reset_unlocks")
def on_password_reset(sender, request, user, **kwargs):
    """A new password by the e-mailed link lifts the account's lock-out, so the locked-out page's "reset
    your password" lets the owner in at once. A lock on the client address stays."""
    clear_failures(user)


def clear_failures(user) -> None:
    from axes.utils import reset

    username = normalise_username(user.get_username())
    if username:  # reset() without a username would clear every attempt
        reset(username=username)


@receiver(post_save, sender="accounts.User", dispatch_uid="ot24_vouched_email")
def on_user_created(sender, instance, created, raw=False, **kwargs):
    """Only self sign-up (accounts.adapter marks it) has to prove its address by the link. An account
    created by an administrator, an invitation (whose link proves the address), the demo data or
    `createsuperuser` gets its address as verified and primary, or it could never log in
    (ACCOUNT_EMAIL_VERIFICATION = "mandatory")."""
    if created and not raw and not getattr(instance, "_self_signup", False):
        ensure_verified_email(instance)


def ensure_verified_email(user) -> None:
    from allauth.account.models import EmailAddress

    if not EmailAddress.objects.filter(user=user, email=user.email).exists():
        EmailAddress.objects.create(user=user, email=user.email, verified=True,
                                    primary=not EmailAddress.objects.filter(user=user, primary=True).exists())
