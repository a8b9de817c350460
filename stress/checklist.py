"""The work-related stress check-list (Spisal Verona, as transcribed from shared/seeds/003) as plain data.

`load_checklist()` reads fixtures/stress/checklist.json into frozen dataclasses, checking its shape, and
caches the result per process. Pure Python: no ORM, no settings. The choices and reasons behind the data
are in docs/domain.md, section "Stress assessment".

The words the portal shows around the check-list (the areas' and families' titles, the risk levels' titles,
reading notes and follow-ups) are translatable: they are lazy texts (`shown`), put into the reader's language
when shown; their English is in the catalogue. The items and the proposed measures are the check-list's own
words and stay as published (Italian), like the catalogue of interventions.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from pathlib import Path

from django.utils.translation import gettext_lazy

DEFAULT_PATH = Path(__file__).resolve().parent.parent / "fixtures" / "stress" / "checklist.json"
LEVEL_KEYS = ("basso", "medio", "alto")


def shown(text: str):
    """A text of the check-list file shown to people: translated when it is shown (a lazy text)."""
    return gettext_lazy(text)


class ChecklistError(ValueError):
    """The check-list file itself is malformed (a programming error, not user input)."""


@dataclass(frozen=True)
class Choice:
    value: str
    score: int
    risk: bool


@dataclass(frozen=True)
class Item:
    id: str
    label: str
    choices: tuple[Choice, ...]
    indicator: str = ""  # area A: the key of the figure computed by scoring.indicator_values
    formula: str = ""  # area A: the seed's formula, as text

    @property
    def risk_choice(self) -> Choice:
        return next(c for c in self.choices if c.risk)

    @property
    def values(self) -> tuple[str, ...]:
        return tuple(c.value for c in self.choices)

    def choice(self, value: str) -> Choice | None:
        return next((c for c in self.choices if c.value == value), None)


@dataclass(frozen=True)
class Band:
    level: str
    start: int
    end: int
    points: int | None = None  # area A only: the value that enters the total


@dataclass(frozen=True)
class Family:
    key: str
    title: str
    items: tuple[Item, ...]
    bands: tuple[Band, ...] = ()
    # The home-work interface rule: a family total of 0 enters as `zero_points`, above 0 as
    # `above_zero_points`. None for every other family (its score enters as it is).
    zero_points: int | None = None
    above_zero_points: int | None = None

    @property
    def has_rule(self) -> bool:
        return self.zero_points is not None


@dataclass(frozen=True)
class Area:
    key: str
    title: str
    families: tuple[Family, ...]
    bands: tuple[Band, ...]

    def items(self) -> list[Item]:
        return [item for family in self.families for item in family.items]


@dataclass(frozen=True)
class Level:
    level: str
    title: str
    start: int
    end: int
    note: str
    follow_up: str
    reassess_months: int
    perception_survey: bool


@dataclass(frozen=True)
class Measure:
    number: int
    title: str
    objective: str
    months: int


@dataclass(frozen=True)
class Checklist:
    title: str
    source: str
    areas: tuple[Area, ...]
    levels: tuple[Level, ...]
    measures: tuple[Measure, ...]

    def __post_init__(self):
        object.__setattr__(self, "_items", {i.id: i for a in self.areas for i in a.items()})

    def area(self, key: str) -> Area:
        return next(a for a in self.areas if a.key == key)

    def families(self) -> list[Family]:
        return [f for a in self.areas for f in a.families]

    def family(self, key: str) -> Family:
        return next(f for f in self.families() if f.key == key)

    def items(self) -> list[Item]:
        return list(self._items.values())  # type: ignore[attr-defined]

    def item(self, item_id: str) -> Item | None:
        return self._items.get(item_id)  # type: ignore[attr-defined]

    def level(self, key: str) -> Level:
        return next(lv for lv in self.levels if lv.level == key)

    def export(self) -> dict:
        """The check-list as `manage.py stress export` prints it (keys agreed with the scripts)."""
        return {
            "areas": [
                {
                    "key": area.key,
                    "title": str(area.title),
                    "families": [
                        {
                            "key": family.key,
                            "title": str(family.title),
                            "items": [
                                {
                                    "id": item.id,
                                    "label": item.label,
                                    "choices": [{"value": c.value, "score": c.score} for c in item.choices],
                                }
                                for item in family.items
                            ],
                        }
                        for family in area.families
                    ],
                }
                for area in self.areas
            ],
            "levels": [{"level": lv.level, "from": lv.start, "to": lv.end} for lv in self.levels],
        }


def _bands(rows, where) -> tuple[Band, ...]:
    bands = tuple(Band(r["level"], int(r["from"]), int(r["to"]), r.get("points")) for r in rows)
    if bands and [b.level for b in bands] != list(LEVEL_KEYS):
        raise ChecklistError(f"{where}: bands must be basso, medio, alto")
    for low, high in zip(bands, bands[1:]):
        if not (low.start <= low.end < high.start <= high.end):
            raise ChecklistError(f"{where}: bands overlap or are out of order")
    return bands


def _item(row) -> Item:
    choices = tuple(Choice(c["value"], int(c["score"]), bool(c["risk"])) for c in row["choices"])
    if sum(c.risk for c in choices) != 1:
        raise ChecklistError(f"{row['id']}: exactly one choice must mean risk")
    if len({c.value for c in choices}) != len(choices):
        raise ChecklistError(f"{row['id']}: repeated choice")
    if max(choices, key=lambda c: c.score) is not next(c for c in choices if c.risk):
        raise ChecklistError(f"{row['id']}: the risk choice must have the highest score")
    return Item(row["id"], row["label"], choices, row.get("indicator", ""), row.get("formula", ""))


def parse_checklist(document: dict) -> Checklist:
    areas = []
    for a in document["areas"]:
        families = []
        for f in a["families"]:
            items = tuple(_item(i) for i in f["items"])
            for n, item in enumerate(items, 1):
                if item.id != f"{f['key']}.{n}":
                    raise ChecklistError(f"{item.id}: ids must be FAMILY.N in order")
            families.append(
                Family(f["key"], shown(f["title"]), items, _bands(f.get("bands", []), f["key"]),
                       f.get("zero_points"), f.get("above_zero_points"))
            )
        areas.append(Area(a["key"], shown(a["title"]), tuple(families), _bands(a["bands"], a["key"])))
    levels = tuple(
        Level(lv["level"], shown(lv["title"]), int(lv["from"]), int(lv["to"]), shown(lv["note"]), shown(lv["follow_up"]),
              int(lv["reassess_months"]), bool(lv["perception_survey"]))
        for lv in document["levels"]
    )
    _bands([{"level": lv.level, "from": lv.start, "to": lv.end} for lv in levels], "levels")
    measures = tuple(Measure(int(m["number"]), m["title"], m["objective"], int(m["months"]))
                     for m in document["measures"])
    checklist = Checklist(document["title"], document["source"], tuple(areas), levels, measures)
    if len(checklist.items()) != sum(len(a.items()) for a in checklist.areas):
        raise ChecklistError("repeated item id")
    return checklist


@lru_cache(maxsize=4)
def load_checklist(path: str | Path = DEFAULT_PATH) -> Checklist:
    with open(path, encoding="utf-8") as fh:
        return parse_checklist(json.load(fh))


def as_number(value: Fraction | int) -> int | float:
    """A score as JSON shows it: an integer when whole, otherwise a float (scores move by halves)."""
    value = Fraction(value)
    return int(value) if value.denominator == 1 else float(value)
