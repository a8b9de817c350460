"""Where the apps above applications (.importlinter: evidence, review, ...) plug into it, so that applications
never imports them. Each higher app connects from its AppConfig.ready():

- a wizard step: `applications.wizard.register(Step(...), before=...)` (evidence adds "Documentazione");
- the evidence checklist that the score bar, the review step, submission and the dashboard show:
  `register_evidence_checklist(...)` below (evidence.apps);
- `selections_removed`, a Django signal sent when interventions leave a draft: evidence removes their files.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import django.dispatch
from django.core.exceptions import ImproperlyConfigured

# Sent by applications.services.application_save_section_scored inside its transaction, before the Selection
# rows go: sender=Application, application=the locked draft, intervention_ids=[the removed interventions' ids].
selections_removed = django.dispatch.Signal()


@dataclass(frozen=True)
class EvidenceChecklist:
    # (application, selections) -> one row per selected intervention, in the catalogue's order, each with
    # .intervention and .status (.complete, .missing_item_ids): what ApplicationOverview.evidence lists.
    rows: Callable
    # (application, selections, catalogue) -> how many of the selections still lack evidence, from rows already
    # in memory (the dashboard's prefetched files).
    missing: Callable
    # (application) -> how many generated documents are attached but not signed yet (they document nothing),
    # from the files already in memory.
    unsigned: Callable


_checklist: EvidenceChecklist | None = None


def register_evidence_checklist(*, rows: Callable, missing: Callable, unsigned: Callable) -> None:
    global _checklist
    _checklist = EvidenceChecklist(rows=rows, missing=missing, unsigned=unsigned)


def evidence_checklist() -> EvidenceChecklist:
    if _checklist is None:
        raise ImproperlyConfigured("No evidence checklist registered: is the evidence app installed?")
    return _checklist
