"""The locked-out page and the end of a password reset."""
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.shortcuts import render

from .signals import clear_failures


def locked_out(request, original_response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE: what a locked-out user can do now (reset the password, call support)."""
    from axes.helpers import get_cool_off

    cool_off = get_cool_off(request)
    context = {
        "cooloff_minutes": int(cool_off.total_seconds() // 60) if cool_off else None,
        "support_email": settings.OT24_SUPPORT_EMAIL,
        "support_phone": settings.OT24_SUPPORT_PHONE,
    }
    return render(request, "registration/locked_out.html", context, status=settings.AXES_HTTP_RESPONSE_CODE)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Django's view; a new password also lifts the account's lock-out (its failed attempts are cleared),
    so the locked-out page's "reset your password" lets the owner in at once. A lock on the address stays."""

    def form_valid(self, form):
        response = super().form_valid(form)
        clear_failures(form.user)
        return response
