from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _gettext
from django.utils.translation import gettext_lazy as _

from . import invitations
from .forms import StaffInvitationForm
from .models import StaffInvitation, User
from .views import admin_login

# The administration has no log-in of its own: /admin/login/ sends to the portal's (password, then the
# second factor), so every way into a session passes the same authentication.
admin.site.login = admin_login


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ("email",)
    list_display = ("email", "first_name", "last_name", "role", "is_active", "is_staff")
    list_filter = ("role", "is_active", "is_staff")
    search_fields = ("email", "first_name", "last_name", "codice_fiscale")  # also feeds autocomplete
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Dati personali"), {"fields": ("first_name", "last_name", "codice_fiscale", "phone", "language", "role")}),
        (_("Permessi"), {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        (_("Date"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "role", "password1", "password2")}),)


@admin.register(StaffInvitation)
class StaffInvitationAdmin(admin.ModelAdmin):
    """"Invita personale INAIL": the add button opens the invitation page (e-mail + role); invitations are
    then read-only (the token is never shown: only its hash is stored)."""

    list_display = ("email", "role", "created_at", "expires_at", "used_at", "invited_by")
    list_filter = ("role",)
    search_fields = ("email",)
    readonly_fields = ("email", "role", "created_at", "expires_at", "used_at", "invited_by", "user")
    fields = readonly_fields

    def get_urls(self):
        return [path("invita/", self.admin_site.admin_view(self.invite_view), name="accounts_staffinvitation_invite"),
                *super().get_urls()]

    def has_change_permission(self, request, obj=None):
        return False

    def add_view(self, request, form_url="", extra_context=None):
        return redirect("admin:accounts_staffinvitation_invite")

    def invite_view(self, request):
        if not self.has_add_permission(request):
            return redirect("admin:index")
        form = StaffInvitationForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                invitation = invitations.invite(request=request, email=form.cleaned_data["email"],
                                                role=form.cleaned_data["role"], invited_by=request.user)
            except invitations.InvitationRateLimited:
                form.add_error(None, _gettext("Troppi inviti in poco tempo: riprova più tardi."))
            else:
                self.log_addition(request, invitation, [{"added": {}}])
                messages.success(request, _gettext("Invito inviato a %(email)s: il link vale %(days)s giorni e "
                                                   "funziona una sola volta.")
                                 % {"email": invitation.email, "days": invitations.settings.OT24_STAFF_INVITATION_DAYS})
                return redirect(reverse("admin:accounts_staffinvitation_changelist"))
        context = {**self.admin_site.each_context(request), "form": form, "opts": self.model._meta,
                   "title": _gettext("Invita personale INAIL")}
        return TemplateResponse(request, "account/admin_staff_invitation.html", context)
