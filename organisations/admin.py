"""The admin stays for INAIL staff and edge cases: companies with their sites, people and mandates; firms with
their consultants; invitations, join requests and the organisations' history (read only)."""
from django.contrib import admin

from .models import (PAT, Company, Firm, FirmMembership, Invitation, JoinRequest, Mandate, Membership, OrganisationEvent,
                     Site)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]
    fields = ("user", "role")


class MandateInline(admin.TabularInline):
    model = Mandate
    fk_name = "company"
    extra = 0
    autocomplete_fields = ["consultant", "firm"]
    fields = ("firm", "consultant", "start_date", "end_date", "status", "all_sites", "can_submit")


class SiteInline(admin.TabularInline):
    model = Site
    extra = 0
    show_change_link = True
    fields = ("name", "city", "province", "workers", "sector")


@admin.register(Company)
class CompanyAdmin(admin.ModelAdmin):
    list_display = ("ragione_sociale", "codice_fiscale", "codice_ditta", "city", "province", "legal_rep_confirmed")
    list_filter = ("legal_rep_confirmed",)
    search_fields = ("ragione_sociale", "codice_fiscale", "partita_iva", "codice_ditta")
    autocomplete_fields = ["legal_representative"]
    inlines = [SiteInline, MembershipInline, MandateInline]


class PATInline(admin.TabularInline):
    model = PAT
    extra = 0


@admin.register(Site)
class SiteAdmin(admin.ModelAdmin):
    list_display = ("name", "company", "city", "province", "workers", "sector")
    list_filter = ("sector", "province")
    search_fields = ("name", "company__ragione_sociale", "city")
    inlines = [PATInline]


@admin.register(Mandate)
class MandateAdmin(admin.ModelAdmin):
    list_display = ("company", "firm", "consultant", "status", "start_date", "end_date", "all_sites", "can_submit")
    list_filter = ("status", "all_sites", "can_submit")
    search_fields = ("consultant__email", "firm__name", "company__ragione_sociale")
    autocomplete_fields = ["consultant", "firm", "company", "sites"]
    readonly_fields = ("requested_by", "requested_at", "granted_by", "granted_at", "revoked_by", "revoked_at")


class FirmMembershipInline(admin.TabularInline):
    model = FirmMembership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Firm)
class FirmAdmin(admin.ModelAdmin):
    list_display = ("name", "codice_fiscale", "created_at")
    search_fields = ("name", "codice_fiscale")
    inlines = [FirmMembershipInline]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    """Invitations can be looked at (and revoked by deleting them); the token is never shown, only its hash exists."""

    list_display = ("email", "company", "firm", "role", "created_at", "expires_at", "accepted_at", "revoked_at")
    search_fields = ("email", "company__ragione_sociale", "firm__name")
    exclude = ("token_hash",)
    readonly_fields = ("company", "firm", "email", "role", "mandate", "created_by", "expires_at", "accepted_by",
                       "accepted_at", "revoked_by", "revoked_at")

    def has_add_permission(self, request):
        return False


@admin.register(JoinRequest)
class JoinRequestAdmin(admin.ModelAdmin):
    list_display = ("user", "company", "status", "created_at", "decided_by", "decided_at")
    list_filter = ("status",)
    search_fields = ("user__email", "company__ragione_sociale")
    autocomplete_fields = ["user", "company", "decided_by"]


@admin.register(OrganisationEvent)
class OrganisationEventAdmin(admin.ModelAdmin):
    """The history is append-only: read it, never change it."""

    list_display = ("created_at", "company", "firm", "actor", "action", "message")
    list_filter = ("action",)
    search_fields = ("company__ragione_sociale", "firm__name", "actor__email", "message")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
