"""Evidence completeness: pure functions, no ORM.

An intervention's evidence items form one or more alternative sets (the form's "in alternativa").
The evidence is complete when every required item of at least one set has a file; items with a
condition ("nel caso di DL SPP") are shown but never block."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable


@dataclass(frozen=True)
class ItemState:
    item_id: int
    alternative: int
    conditional: bool
    files: int


@dataclass(frozen=True)
class InterventionEvidence:
    complete: bool
    missing_item_ids: tuple[int, ...]  # required items still without a file, in the closest set
    needs_no_evidence: bool


def evidence_status(items: Iterable[ItemState]) -> InterventionEvidence:
    items = list(items)
    if not items:
        return InterventionEvidence(complete=True, missing_item_ids=(), needs_no_evidence=True)
    sets: dict[int, list[ItemState]] = {}
    for item in items:
        sets.setdefault(item.alternative, []).append(item)
    best: tuple[int, ...] | None = None
    for members in sets.values():
        missing = tuple(i.item_id for i in members if not i.conditional and i.files == 0)
        if not missing:
            return InterventionEvidence(complete=True, missing_item_ids=(), needs_no_evidence=False)
        if best is None or len(missing) < len(best):
            best = missing
    return InterventionEvidence(complete=False, missing_item_ids=best or (), needs_no_evidence=False)
