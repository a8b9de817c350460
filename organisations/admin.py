from django.contrib import admin

from .models import PAT, Company, Mandate, Membership, Site


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
