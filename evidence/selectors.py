"""Reads: which documents each selected intervention needs and has (the rules are in checklist.py)."""
from __future__ import annotations

import functools
from dataclasses import dataclass

from interventions.models import Intervention
from interventions.selectors import EditionCatalogue, edition_catalogue

from .checklist import InterventionEvidence, ItemState, evidence_status
from .models import EvidenceFile


@dataclass
class EvidenceRow:
    intervention: Intervention
    items: list  # [(EvidenceItem, [EvidenceFile])]
    status: InterventionEvidence


def evidence_checklist(application, selections) -> list[EvidenceRow]:
    """For every selected intervention (selections: the application's Selection rows), its evidence items
    with their files and completeness."""
    selected_ids = {s.intervention_id for s in selections}
    files_by_item: dict[int, list[EvidenceFile]] = {}
    for f in application.evidence_files.order_by("uploaded_at"):
        files_by_item.setdefault(f.evidence_item_id, []).append(f)
    rows = []
    catalogue = edition_catalogue(application.campaign.edition)
    for intervention in (i for i in catalogue.interventions if i.pk in selected_ids):
        items = [(item, files_by_item.get(item.pk, [])) for item in intervention.evidence_items.all()]
        status = evidence_status(item_state(item.pk, item.alternative, bool(item.condition), files)
                                 for item, files in items)
        rows.append(EvidenceRow(intervention=intervention, items=items, status=status))
    return rows


def item_state(item_id: int, alternative: int, conditional: bool, files) -> ItemState:
    """An item's state from its files: a generated document still "da firmare" does not document it."""
    unsigned = sum(1 for f in files if f.awaiting_signature)
    return ItemState(item_id, alternative, conditional, len(files) - unsigned, unsigned)


def evidence_items_by_intervention(catalogue: EditionCatalogue) -> dict[int, tuple[tuple[int, int, bool], ...]]:
    """Intervention id -> its evidence items as (id, alternative, conditional), worked out once per cached
    catalogue (shared between requests: read it, never change it)."""
    def build():
        items = {}
        for item in catalogue.evidence_items.values():
            items.setdefault(item.intervention_id, []).append((item.pk, item.alternative, bool(item.condition)))
        return {intervention_id: tuple(rows) for intervention_id, rows in items.items()}

    return catalogue.fragment("evidence_items_by_intervention", build)


def missing_evidence(application, selections, catalogue: EditionCatalogue) -> int:
    """How many selected interventions of the application still lack evidence, from its files already read
    (the dashboard prefetches them: Application.objects.for_dashboard)."""
    return missing_evidence_count(selections, application.evidence_files.all(), evidence_items_by_intervention(catalogue))


def unsigned_documents(application) -> int:
    """How many generated documents of the application are attached but not signed yet, from its files already
    read (the dashboard prefetches them)."""
    return sum(1 for f in application.evidence_files.all() if f.awaiting_signature)


def missing_evidence_count(selections, files, items_by_intervention) -> int:
    """How many selected interventions still lack evidence, from rows already in memory (a generated
    document waiting for its signature is not evidence yet)."""
    counts: dict[int, tuple[int, int]] = {}  # item id -> (files documenting it, files waiting for a signature)
    for f in files:
        documenting, unsigned = counts.get(f.evidence_item_id, (0, 0))
        counts[f.evidence_item_id] = (documenting, unsigned + 1) if f.awaiting_signature else (documenting + 1, unsigned)
    missing = 0
    for s in selections:
        items = items_by_intervention.get(s.intervention_id, ())
        if not _complete(items, tuple(counts.get(item_id, (0, 0)) for item_id, _, _ in items)):
            missing += 1
    return missing


@functools.lru_cache(maxsize=4096)
def _complete(items: tuple[tuple[int, int, bool], ...], counts: tuple[tuple[int, int], ...]) -> bool:
    """evidence_status(...).complete for one intervention's items and their files' counts. Remembered: a
    portfolio repeats the same few situations (no file, every file), and working each one out again was a
    third of a 5,000-site CSV export (bench: csv)."""
    return evidence_status(ItemState(item_id, alternative, conditional, documenting, unsigned)
                           for (item_id, alternative, conditional), (documenting, unsigned) in zip(items, counts)).complete
