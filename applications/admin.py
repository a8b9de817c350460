from django.contrib import admin

from evidence.models import EvidenceFile

from .models import Application, Campaign, Selection


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ("filing_year", "edition", "is_open", "deadline", "reference_year")


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
