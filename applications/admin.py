from django.contrib import admin

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


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    """Read-only: applications change only through the portal's services. Apps above applications add their
    inlines by registering a subclass in its place (evidence/admin.py: the evidence files)."""

    list_display = ("__str__", "status", "receipt_number", "submitted_at")
    list_filter = ("status", "campaign")
    search_fields = ("receipt_number", "site__company__ragione_sociale", "site__name")
    inlines = [SelectionInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
