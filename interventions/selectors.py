"""Reads of the catalogue: the ORM rows turned into the scoring engine's plain data."""
from __future__ import annotations

import threading
import uuid
from dataclasses import dataclass, field

from django.db.models import Prefetch

from . import scoring
from .models import Edition, EvidenceItem, Intervention, Section
from .sectors import SECTOR_KEYS


class EditionNotFound(LookupError):
    pass


def edition_get(code: str) -> Edition:
    try:
        return Edition.objects.get(code=code)
    except Edition.DoesNotExist:
        raise EditionNotFound(f"Edizione sconosciuta: {code!r}. Caricare il catalogo con `loaddata {code}`.") from None


def interventions_of(edition: Edition):
    """Every intervention of an edition with everything the screens need, in form order."""
    return (
        Intervention.objects.filter(section__edition=edition)
        .select_related("section")
        .prefetch_related(
            "sector_points",
            "suboptions",
            "declarations",
            Prefetch("evidence_items", queryset=EvidenceItem.objects.order_by("order")),
        )
        .order_by("order")
    )


def points_by_sector(intervention: Intervention) -> dict[str, int]:
    overrides = {sp.sector: sp.points for sp in intervention.sector_points.all()}
    return {key: overrides.get(key, intervention.points) for key in SECTOR_KEYS}


def to_catalogue_item(intervention: Intervention) -> scoring.CatalogueItem:
    return scoring.CatalogueItem(
        code=intervention.code,
        section=intervention.section.letter,
        title=intervention.full_text,
        points=points_by_sector(intervention),
        suboptions=tuple(s.label for s in intervention.suboptions.all()),
        min_suboptions=intervention.min_suboptions,
        max_workers=intervention.max_workers,
        declarations=tuple(d.label for d in intervention.declarations.all()),
        alternative_group=intervention.alternative_group,
    )


def build_scoring_catalogue(edition: Edition, interventions) -> scoring.Catalogue:
    return scoring.Catalogue(
        edition=edition.code,
        threshold=edition.threshold,
        items=tuple(to_catalogue_item(i) for i in interventions),
    )


@dataclass(frozen=True)
class EditionCatalogue:
    """One edition's catalogue as every page needs it, read once per process and revision. The ORM rows
    inside are shared between requests: read them, never change them."""

    revision: uuid.UUID
    sections: dict[str, Section]
    interventions: tuple[Intervention, ...]
    scoring: scoring.Catalogue
    by_code: dict[str, Intervention] = field(repr=False)
    by_id: dict[int, Intervention] = field(repr=False)
    evidence_items: dict[int, EvidenceItem] = field(repr=False)
    # Rendered pieces of pages that depend only on this catalogue (keyed by their owner, e.g. the wizard's
    # section rows per section, sector and language): dropped with the catalogue when its revision changes.
    fragments: dict = field(default_factory=dict, repr=False, compare=False)

    def fragment(self, key, build):
        """fragments[key], made by build() the first time (shared between requests: read it, never change it)."""
        value = self.fragments.get(key)
        if value is None:
            value = self.fragments[key] = build()
        return value

    def of_section(self, letter: str) -> list[Intervention]:
        return [i for i in self.interventions if i.section.letter == letter]


_CATALOGUES: dict[int, EditionCatalogue] = {}
_CATALOGUES_LOCK = threading.Lock()


def edition_catalogue(edition: Edition) -> EditionCatalogue:
    """The cached catalogue of `edition`, rebuilt when the edition's revision (bumped by every catalogue
    write, see signals.py) differs from the cached one. No query when warm."""
    cached = _CATALOGUES.get(edition.pk)
    if cached is not None and cached.revision == edition.revision:
        return cached
    interventions = tuple(interventions_of(edition))
    built = EditionCatalogue(
        revision=edition.revision,
        sections={s.letter: s for s in edition.sections.all()},
        interventions=interventions,
        scoring=build_scoring_catalogue(edition, interventions),
        by_code={i.code: i for i in interventions},
        by_id={i.pk: i for i in interventions},
        evidence_items={e.pk: e for i in interventions for e in i.evidence_items.all()},
    )
    with _CATALOGUES_LOCK:
        _CATALOGUES[edition.pk] = built
    return built


def edition_catalogue_clear() -> None:
    with _CATALOGUES_LOCK:
        _CATALOGUES.clear()


def catalogue_for(edition: Edition) -> scoring.Catalogue:
    return edition_catalogue(edition).scoring


def catalogue_get(code: str) -> scoring.Catalogue:
    return catalogue_for(edition_get(code))


def edition_export(code: str) -> dict:
    """The whole edition as the JSON document printed by `catalogue export`."""
    edition = edition_get(code)
    items = []
    for i in interventions_of(edition):
        evidence = list(i.evidence_items.all())
        alternatives: dict[int, list[str]] = {}
        for e in evidence:
            alternatives.setdefault(e.alternative, []).append(e.label)
        items.append(
            {
                "code": i.code,
                "section": i.section.letter,
                "heading": i.heading,
                "title": i.full_text,
                "text": i.text,
                "points": points_by_sector(i),
                "suboptions": [s.label for s in i.suboptions.all()],
                "min_suboptions": i.min_suboptions,
                "max_workers": i.max_workers,
                "alternative_group": i.alternative_group or None,
                "declarations": [d.label for d in i.declarations.all()],
                "evidence": [e.label for e in evidence],
                "evidence_alternatives": list(alternatives.values()),
                "evidence_conditions": {e.label: e.condition for e in evidence if e.condition},
            }
        )
    return {
        "edition": edition.code,
        "title": edition.title,
        "threshold": edition.threshold,
        "sections": {s.letter: s.title for s in edition.sections.all()},
        "interventions": items,
    }
