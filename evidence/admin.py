"""The evidence files in the admin: read-only, inline on the application's page. applications sits below
evidence (.importlinter), so evidence adds its inline by registering the application's admin again with it."""
from django.contrib import admin

from applications.admin import ApplicationAdmin, ReadOnlyInline
from applications.models import Application

from .models import EvidenceFile


class EvidenceFileInline(ReadOnlyInline):
    model = EvidenceFile
    fields = ("evidence_item", "original_name", "size", "sha256", "uploaded_by", "uploaded_at")
    readonly_fields = fields


admin.site.unregister(Application)


@admin.register(Application)
class ApplicationWithEvidenceAdmin(ApplicationAdmin):
    inlines = [*ApplicationAdmin.inlines, EvidenceFileInline]
