"""Writes to the catalogue."""
from __future__ import annotations

from django.db import transaction

from .models import Edition


@transaction.atomic
def edition_clone(*, source: Edition, code: str, title: str | None = None) -> Edition:
    """Copy an edition with all its sections, interventions, sector points, sub-options,
    declarations and evidence items, so a new year's form starts from the last one."""
    if Edition.objects.filter(code=code).exists():
        raise ValueError(f"Esiste già un'edizione con codice {code!r}.")
    clone = Edition.objects.create(
        code=code, title=title or source.title, threshold=source.threshold, notes=source.notes
    )
    for section in source.sections.prefetch_related(
        "interventions__sector_points",
        "interventions__suboptions",
        "interventions__declarations",
        "interventions__evidence_items",
    ):
        interventions = list(section.interventions.all())
        section.pk = None
        section.edition = clone
        section.save()
        for intervention in interventions:
            children = {
                "sector_points": list(intervention.sector_points.all()),
                "suboptions": list(intervention.suboptions.all()),
                "declarations": list(intervention.declarations.all()),
                "evidence_items": list(intervention.evidence_items.all()),
            }
            intervention.pk = None
            intervention.section = section
            intervention.save()
            for rows in children.values():
                for row in rows:
                    row.pk = None
                    row.intervention = intervention
                    row.save()
    return clone
