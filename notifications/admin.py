from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import OutgoingEmail
from .services import attempts_limit


class DeliveryFilter(admin.SimpleListFilter):
    """Sent, waiting (for its first try or a retry), or in error: its attempts are used up and nobody will
    try again unless an administrator runs `manage.py send_pending_mail` after fixing the cause."""

    title = _("stato dell'invio")
    parameter_name = "consegna"

    def lookups(self, request, model_admin):
        return [("inviata", _("inviata")), ("in_attesa", _("in attesa")), ("in_errore", _("in errore"))]

    def queryset(self, request, queryset):
        if self.value() == "inviata":
            return queryset.filter(sent_at__isnull=False)
        if self.value() == "in_attesa":
            return queryset.filter(sent_at__isnull=True, attempts__lt=attempts_limit())
        if self.value() == "in_errore":
            return queryset.filter(sent_at__isnull=True, attempts__gte=attempts_limit())
        return queryset


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(admin.ModelAdmin):
    list_display = ("subject", "created_at", "sent_at", "attempts", "delivery")
    list_filter = (DeliveryFilter, "sent_at")
    readonly_fields = ("recipients", "subject", "body", "html_body", "created_at", "sent_at", "attempts", "last_error")

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("stato dell'invio"))
    def delivery(self, obj):
        if obj.sent_at:
            return _("inviata")
        return _("in errore") if obj.attempts >= attempts_limit() else _("in attesa")
