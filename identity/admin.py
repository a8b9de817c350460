from django.contrib import admin

from .models import FederatedIdentity


@admin.register(FederatedIdentity)
class FederatedIdentityAdmin(admin.ModelAdmin):
    """Read-only: links are made only by a SPID/CIE log-in (identity.services); deleting one unlinks it."""

    list_display = ("user", "profile", "provider", "created", "last_login")
    list_filter = ("profile",)
    search_fields = ("user__email", "user__codice_fiscale", "subject")
    readonly_fields = ("user", "provider", "profile", "subject", "created", "last_login")

    def has_add_permission(self, request):
        return False
