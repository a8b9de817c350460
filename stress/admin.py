from django.contrib import admin

from .models import Assessment, Measure, Participant


class ParticipantInline(admin.TabularInline):
    model = Participant
    extra = 0


class MeasureInline(admin.TabularInline):
    model = Measure
    extra = 0


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    list_display = ("company", "scope", "site", "group", "date", "level", "total")
    list_filter = ("scope", "level")
    search_fields = ("company__ragione_sociale", "group")
    raw_id_fields = ("company", "site", "created_by")
    readonly_fields = ("level", "total", "area_scores")
    inlines = [ParticipantInline, MeasureInline]
