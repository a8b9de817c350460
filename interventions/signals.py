"""Every change to a catalogue row gives its edition a new revision, so each process's in-memory copy
(interventions.selectors.edition_catalogue) is rebuilt on its next read. Writes that bypass save() and
delete() (QuerySet.update, bulk_create) must call catalogue_changed() themselves."""
from __future__ import annotations

import uuid

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import Declaration, Edition, EvidenceItem, Intervention, Section, SectorPoints, SubOption


def catalogue_changed(edition_id: int | None) -> None:
    if edition_id is not None:
        Edition.objects.filter(pk=edition_id).update(revision=uuid.uuid4())


def _edition_of_intervention(intervention_id: int) -> int | None:
    return Section.objects.filter(interventions=intervention_id).values_list("edition_id", flat=True).first()


@receiver([post_save, post_delete], sender=Section)
def _section_changed(sender, instance, **kwargs):
    catalogue_changed(instance.edition_id)


@receiver([post_save, post_delete], sender=Intervention)
def _intervention_changed(sender, instance, **kwargs):
    edition_id = Section.objects.filter(pk=instance.section_id).values_list("edition_id", flat=True).first()
    catalogue_changed(edition_id)


@receiver([post_save, post_delete], sender=SectorPoints)
@receiver([post_save, post_delete], sender=SubOption)
@receiver([post_save, post_delete], sender=Declaration)
@receiver([post_save, post_delete], sender=EvidenceItem)
def _detail_changed(sender, instance, **kwargs):
    catalogue_changed(_edition_of_intervention(instance.intervention_id))
