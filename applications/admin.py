from django.contrib import admin

from .models import PAT, Application, Campaign, Company, EvidenceFile, Mandate, Membership, Selection, Site


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ("filing_year", "edition", "is_open", "deadline", "reference_year")


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


class MandateInline(admin.TabularInline):
    model = Mandate
    extra = 0
    autocomplete_fields = ["consultant"]


class SiteInline(admin.TabularInline):
    model = Site
    extra = 0
    show_change_link = True
    fields = ("name", "city", "province", "workers", "sector")


@admin.register(Company)
class CompanyAdmin(admin.ModelAdmin):
    list_display = ("ragione_sociale", "codice_fiscale", "codice_ditta", "city", "province")
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
    list_display = ("consultant", "company", "start_date", "end_date")
    search_fields = ("consultant__email", "company__ragione_sociale")


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class SelectionInline(ReadOnlyInline):
    model = Selection


class EvidenceFileInline(ReadOnlyInline):
    model = EvidenceFile
    fields = ("evidence_item", "original_name", "size", "sha256", "uploaded_by", "uploaded_at")
    readonly_fields = fields


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    """Read-only: applications change only through the portal's services."""

    list_display = ("__str__", "status", "receipt_number", "submitted_at")
    list_filter = ("status", "campaign")
    search_fields = ("receipt_number", "site__company__ragione_sociale", "site__name")
    inlines = [SelectionInline, EvidenceFileInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
