"""The OT24 scoring engine: pure Python, no ORM.

From a catalogue (an edition's interventions as plain data), the company's facts (sector, number of
workers, confirmed declarations) and its selections (codes with ticked sub-options), compute one
result that explains every line. The wizard, the PDF, the CLI and the reviewers all call `score()`.

The rules, all read from the catalogue data:
- an intervention's points depend on the sector (section D); other sections have one value;
- at least `min_suboptions` of its sub-options must be ticked ("almeno uno / due / tre / quattro");
- `max_workers` limits who may claim it (C1: up to 15 workers, C2: under 10);
- its declarations must be confirmed (C3, C12);
- options of one numbered intervention that describe the same management system (A1 a-d, A5 a-g)
  share an `alternative_group`: only the first valid one, in catalogue order, is counted.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Iterable, Mapping

from django.utils.translation import gettext, ngettext

from .sectors import check_sector


class ScoringInputError(ValueError):
    """Input that cannot be scored at all (unknown code or sector, negative workers)."""


@dataclass(frozen=True)
class CatalogueItem:
    code: str
    section: str
    title: str
    points: Mapping[str, int]  # sector key -> points, for every sector
    suboptions: tuple[str, ...] = ()
    min_suboptions: int = 0
    max_workers: int | None = None
    declarations: tuple[str, ...] = ()
    alternative_group: str = ""

    def points_for(self, sector: str) -> int:
        return self.points[sector]


@dataclass(frozen=True)
class Catalogue:
    edition: str
    threshold: int
    items: tuple[CatalogueItem, ...]

    def __post_init__(self):
        object.__setattr__(self, "_by_code", {item.code: item for item in self.items})

    def get(self, code: str) -> CatalogueItem:
        try:
            return self._by_code[code]  # type: ignore[attr-defined]
        except KeyError:
            raise ScoringInputError(f"Intervento sconosciuto: {code!r}.") from None

    def __contains__(self, code: str) -> bool:
        return code in self._by_code  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Selection:
    """One declared intervention and the numbers (1-based) of the sub-options ticked."""

    code: str
    suboptions: frozenset[int] = field(default_factory=frozenset)


@dataclass(frozen=True)
class Line:
    code: str
    points: int  # the points this intervention is worth for the sector
    counted: bool
    errors: tuple[str, ...] = ()

    @property
    def counted_points(self) -> int:
        return self.points if self.counted else 0


@dataclass(frozen=True)
class ScoreResult:
    edition: str
    sector: str
    workers: int
    lines: tuple[Line, ...]
    threshold: int

    @property
    def total(self) -> int:
        return sum(line.counted_points for line in self.lines)

    @property
    def eligible(self) -> bool:
        return self.total >= self.threshold

    @property
    def missing(self) -> int:
        return max(0, self.threshold - self.total)

    @property
    def percent_of_threshold(self) -> int:
        """The total as a share of the threshold, 0-100 (a full bar once reached; 0 without a threshold)."""
        if self.threshold <= 0:
            return 0
        return min(100, max(0, round(self.total * 100 / self.threshold)))

    def line(self, code: str) -> Line | None:
        return next((line for line in self.lines if line.code == code), None)

    def as_dict(self) -> dict:
        return {
            "total": self.total,
            "threshold": self.threshold,
            "eligible": self.eligible,
            "lines": [
                {"code": l.code, "points": l.points, "counted": l.counted, "errors": list(l.errors)}
                for l in self.lines
            ],
        }


def _merge(selections: Iterable[Selection]) -> dict[str, frozenset[int]]:
    """One entry per code; the same code given twice ticks the union of its sub-options."""
    merged: dict[str, frozenset[int]] = {}
    for sel in selections:
        merged[sel.code] = merged.get(sel.code, frozenset()) | frozenset(sel.suboptions)
    return merged


def _own_errors(item: CatalogueItem, ticked: frozenset[int], *, workers: int, declared: bool) -> list[str]:
    """Reasons an intervention cannot count by itself (before looking at alternatives)."""
    errors = []
    unknown = sorted(n for n in ticked if not 1 <= n <= len(item.suboptions))
    if unknown:
        errors.append(
            gettext("Opzione inesistente: %(numbers)s (le opzioni vanno da 1 a %(last)s).")
            % {"numbers": ", ".join(map(str, unknown)), "last": len(item.suboptions)}
            if item.suboptions
            else gettext("Questo intervento non prevede opzioni da selezionare.")
        )
    valid_ticked = len([n for n in ticked if 1 <= n <= len(item.suboptions)])
    if item.min_suboptions and valid_ticked < item.min_suboptions:
        errors.append(
            ngettext("Selezionare almeno %(n)s opzione tra quelle previste (selezionate: %(ticked)s).",
                     "Selezionare almeno %(n)s opzioni tra quelle previste (selezionate: %(ticked)s).",
                     item.min_suboptions) % {"n": item.min_suboptions, "ticked": valid_ticked}
        )
    if item.max_workers is not None and workers > item.max_workers:
        errors.append(
            gettext("Intervento riservato alle aziende con non più di %(max)s lavoratori (lavoratori dichiarati: "
                    "%(workers)s).") % {"max": item.max_workers, "workers": workers}
        )
    if item.declarations and not declared:
        errors.append(gettext("Occorre confermare la dichiarazione: %(text)s") % {"text": " ".join(item.declarations)})
    return errors


def score(
    catalogue: Catalogue,
    *,
    sector: str,
    workers: int,
    declarations: Iterable[str] = (),
    selections: Iterable[Selection],
) -> ScoreResult:
    """Score the selections. Lines come in catalogue order, so the result never depends on the
    order of the selections. `declarations` holds the codes whose declarations are confirmed."""
    try:
        check_sector(sector)
    except ValueError as exc:
        raise ScoringInputError(str(exc)) from None
    if workers < 0:
        raise ScoringInputError("Il numero di lavoratori non può essere negativo.")
    ticked_by_code = _merge(selections)
    for code in ticked_by_code:
        catalogue.get(code)  # raises on unknown codes
    declared = set(declarations)

    lines: list[Line] = []
    counted_groups: dict[str, str] = {}
    for item in catalogue.items:
        if item.code not in ticked_by_code:
            continue
        errors = _own_errors(item, ticked_by_code[item.code], workers=workers, declared=item.code in declared)
        if not errors and item.alternative_group:
            first = counted_groups.get(item.alternative_group)
            if first:
                errors.append(
                    gettext("Alternativo a %(first)s: il sistema di gestione è già conteggiato una volta.") % {"first": first}
                )
            else:
                counted_groups[item.alternative_group] = item.code
        lines.append(Line(code=item.code, points=item.points_for(sector), counted=not errors, errors=tuple(errors)))
    return ScoreResult(
        edition=catalogue.edition, sector=sector, workers=workers, lines=tuple(lines), threshold=catalogue.threshold
    )


# --- The benefit: D.M. 3/3/2015, reduction of the average rate by lavoratori-anno of the PAT ---

REDUCTION_BANDS: tuple[tuple[Decimal | None, Decimal], ...] = (
    (Decimal("10"), Decimal("28")),
    (Decimal("50"), Decimal("18")),
    (Decimal("200"), Decimal("10")),
    (None, Decimal("5")),
)


@dataclass(frozen=True)
class Benefit:
    lavoratori_anno: Decimal
    rate_percent: Decimal
    premium: Decimal | None
    saving: Decimal | None


def reduction_rate(lavoratori_anno: Decimal | int | float | str) -> Decimal:
    """The reduction in percent: up to 10 lavoratori-anno 28%, up to 50 18%, up to 200 10%, then 5%."""
    value = Decimal(str(lavoratori_anno))
    if value < 0:
        raise ScoringInputError("I lavoratori-anno non possono essere negativi.")
    for upper, rate in REDUCTION_BANDS:
        if upper is None or value <= upper:
            return rate
    raise AssertionError("unreachable")


def benefit(lavoratori_anno, premium=None) -> Benefit:
    """The reduction rate and, when the yearly premium is known, the estimated saving in euro."""
    rate = reduction_rate(lavoratori_anno)
    premium_dec = None if premium in (None, "") else Decimal(str(premium))
    saving = None
    if premium_dec is not None:
        saving = (premium_dec * rate / Decimal(100)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return Benefit(
        lavoratori_anno=Decimal(str(lavoratori_anno)), rate_percent=rate, premium=premium_dec, saving=saving
    )
