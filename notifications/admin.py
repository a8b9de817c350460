from django.contrib import admin

from .models import OutgoingEmail


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(admin.ModelAdmin):
    list_display = ("subject", "created_at", "sent_at", "attempts")
    list_filter = ("sent_at",)
    readonly_fields = ("recipients", "subject", "body", "html_body", "created_at", "sent_at", "attempts", "last_error")

    def has_add_permission(self, request):
        return False
