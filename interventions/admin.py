from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from .models import Declaration, Edition, EvidenceItem, Intervention, Section, SectorPoints, SubOption
from .services import edition_clone


class SectionInline(admin.TabularInline):
    model = Section
    extra = 0


@admin.register(Edition)
class EditionAdmin(admin.ModelAdmin):
    list_display = ("code", "title", "threshold")
    search_fields = ("code", "title")
    inlines = [SectionInline]
    actions = ["clone_editions"]

    @admin.action(description=_("Clona le edizioni selezionate per un nuovo anno"))
    def clone_editions(self, request, queryset):
        for edition in queryset:
            code = f"{edition.code}-copia"
            n = 2
            while Edition.objects.filter(code=code).exists():
                code = f"{edition.code}-copia{n}"
                n += 1
            clone = edition_clone(source=edition, code=code, title=f"{edition.title} (copia)")
            self.message_user(
                request,
                _("Edizione %(src)s clonata come %(dst)s: modificare codice e titolo.") % {"src": edition.code, "dst": clone.code},
                messages.SUCCESS,
            )


class SectorPointsInline(admin.TabularInline):
    model = SectorPoints
    extra = 0


class SubOptionInline(admin.TabularInline):
    model = SubOption
    extra = 0


class DeclarationInline(admin.TabularInline):
    model = Declaration
    extra = 0


class EvidenceItemInline(admin.TabularInline):
    model = EvidenceItem
    extra = 0


@admin.register(Intervention)
class InterventionAdmin(admin.ModelAdmin):
    list_display = ("code", "section", "points", "min_suboptions", "max_workers", "alternative_group")
    list_filter = ("section__edition", "section__letter")
    search_fields = ("code", "text")
    ordering = ("section__edition", "order")
    inlines = [SectorPointsInline, SubOptionInline, DeclarationInline, EvidenceItemInline]
