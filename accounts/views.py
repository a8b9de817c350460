"""The portal's own account pages around allauth's: the locked-out page, the profile, the page an invited
INAIL staff member opens to choose a password, and the "too many requests" page of the rate limits."""
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from . import invitations
from .adapter import set_language_cookie
from .forms import ProfileForm


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


@never_cache
def admin_login(request, extra_context=None):
    """The administration's log-in page (admin.site.login): it never checks a password itself, so nobody
    enters /admin/ with the password alone. Anonymous visitors go to the portal's log-in (allauth's flow,
    which asks for the second factor) and come back to `next`; a logged-in administrator goes on to `next`;
    anybody else logged in is refused."""
    from django.contrib import admin

    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()) \
            or next_url.split("?", 1)[0] == request.path:  # never back to this page: a loop
        next_url = reverse("admin:index")
    if request.user.is_authenticated:
        if not admin.site.has_permission(request):
            raise PermissionDenied
        return redirect(next_url)
    return redirect(f"{resolve_url(settings.LOGIN_URL)}?{urlencode({'next': next_url})}")


def too_many_requests(request, exception=None):
    """handler429 (allauth's rate limits): a page in the portal's look instead of a bare error."""
    return render(request, "account/429.html", status=429)


@login_required
def profile(request):
    """Name, codice fiscale, phone and preferred language (that of the portal and of the e-mails)."""
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        translation.activate(user.language)
        with translation.override(user.language):
            messages.success(request, _("Profilo aggiornato."))
        return set_language_cookie(redirect("account_profile"), user.language)
    return render(request, "account/profile.html", {"form": form})


@never_cache
@sensitive_post_parameters("new_password1", "new_password2")
def staff_invitation_accept(request, token):
    """An invited reviewer or supervisor chooses a password. The link works once and for
    OT24_STAFF_INVITATION_DAYS days; a used, expired or unknown link gets a page saying so."""
    invitation = invitations.find(token)
    if invitation is None or not invitation.is_usable:
        reason = "unknown" if invitation is None else ("used" if invitation.used_at else "expired")
        return render(request, "account/staff_invitation_invalid.html", {"reason": reason}, status=410)
    if request.user.is_authenticated:
        return render(request, "account/staff_invitation_invalid.html", {"reason": "logged_in"}, status=409)
    form = invitations.AcceptForm(invitation.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitations.accept(invitation, form.cleaned_data["new_password1"])
        except ValueError:  # used meanwhile, in another tab
            return render(request, "account/staff_invitation_invalid.html", {"reason": "used"}, status=410)
        messages.success(request, _("Password impostata. Accedi con l'e-mail e la nuova password: al primo accesso "
                                    "attiverai la verifica in due passaggi."))
        return redirect("login")
    return render(request, "account/staff_invitation_accept.html", {"form": form, "invitation": invitation})
