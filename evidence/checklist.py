"""Evidence completeness: pure functions, no ORM.

An intervention's evidence items form one or more alternative sets (the form's "in alternativa").
The evidence is complete when every required item of at least one set has a file; items with a
condition ("nel caso di DL SPP") are shown but never block. A document the portal generated counts only
once signed: `files` counts the files that document the item, `unsigned` those still "da firmare"."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable


@dataclass(frozen=True)
class ItemState:
    item_id: int
    alternative: int
    conditional: bool
    files: int
    unsigned: int = 0


@dataclass(frozen=True)
class InterventionEvidence:
    complete: bool
    missing_item_ids: tuple[int, ...]  # required items still without a file, in the closest set
    needs_no_evidence: bool
    # Of missing_item_ids, those that have a generated document waiting for its signature: signing it,
    # rather than uploading anything, completes them.
    unsigned_item_ids: tuple[int, ...] = ()

    @property
    def awaiting_signature(self) -> bool:
        return bool(self.unsigned_item_ids)


def evidence_status(items: Iterable[ItemState]) -> InterventionEvidence:
    items = list(items)
    if not items:
        return InterventionEvidence(complete=True, missing_item_ids=(), needs_no_evidence=True)
    sets: dict[int, list[ItemState]] = {}
    for item in items:
        sets.setdefault(item.alternative, []).append(item)
    best: tuple[ItemState, ...] | None = None
    for members in sets.values():
        missing = tuple(i for i in members if not i.conditional and i.files == 0)
        if not missing:
            return InterventionEvidence(complete=True, missing_item_ids=(), needs_no_evidence=False)
        # The closest set: fewest items missing, then most of them only waiting for a signature.
        if best is None or (len(missing), -_unsigned(missing)) < (len(best), -_unsigned(best)):
            best = missing
    best = best or ()
    return InterventionEvidence(complete=False, missing_item_ids=tuple(i.item_id for i in best), needs_no_evidence=False,
                                unsigned_item_ids=tuple(i.item_id for i in best if i.unsigned))


def _unsigned(items: tuple[ItemState, ...]) -> int:
    return sum(1 for i in items if i.unsigned)
