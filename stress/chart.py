"""The history of a scope's assessments, area by area, drawn on the server as SVG. Pure: no ORM, no JS.

This module keeps the geometry only (scale, coordinates, ticks, label positions kept apart, colours) and
returns a view-model, `HistoryChart`; the markup lives in templates/stress/_history_chart.html. It reuses
the drawing parts of indicators/chart.py (Text, Line, Marker: coordinates as strings in '.' notation,
values written in the active language's notation through Django's localisation).

Accessible like the indices chart: role="img" labelled by its <title> and a <desc> that reads every
value; every value is written beside its point; the three areas differ by line pattern and marker shape
(A: solid, circles; B: dashed, squares; C: dotted, triangles), not only by colour. One axis, 0-40 (the
highest area score, area A's)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Mapping, Sequence

from indicators.chart import AXIS_COLOUR, GRID_COLOUR, ID_RE, Line, Marker, Text
from indicators.text import _, number

WIDTH, HEIGHT = 640, 320
LEFT, RIGHT, TOP, BOTTOM = 56, 24, 50, 56
AXIS_TOP = 40
SINGLE_SPREAD = 70  # px between the areas of a single assessment: wider than a value's label ("40,00")
LABEL_GAP = 15  # px between the baselines of two value labels: a 14 px line
LABEL_TOP = 40  # px: no value label above it (the legend's line)
SERIES = (  # area, colour, dash, label offset
    ("A", "#0066cc", "", -16),
    ("B", "#a61919", "7 4", 0),
    ("C", "#1a6b3c", "2 3", 16),
)


@dataclass(frozen=True)
class HistoryPoint:
    date: dt.date
    scores: Mapping[str, float]  # {"A": score, "B": ..., "C": ...}
    level: str = ""


@dataclass(frozen=True)
class AreaSeries:
    area: str
    colour: str
    dash: str
    polyline: str  # "x,y x,y ...", empty for a single assessment
    points: list[tuple[Marker, Text]]  # each assessment's marker and its value's label


@dataclass(frozen=True)
class HistoryChart:
    id_prefix: str
    title: str
    desc: str
    width: int = WIDTH
    height: int = HEIGHT
    grid: list[tuple[Line, Text]] = field(default_factory=list)
    axes: list[Line] = field(default_factory=list)
    dates: list[Text] = field(default_factory=list)
    axis_titles: list[Text] = field(default_factory=list)
    legend: list[tuple[Line, Marker, Text]] = field(default_factory=list)
    series: list[AreaSeries] = field(default_factory=list)


def number_text(value: float) -> str:
    """A score with two decimals in the active language's notation (10,50 in Italian, 10.50 in English)."""
    return number(Decimal(f"{value:.2f}"))


def _c(value: float) -> str:
    """A coordinate: one decimal, '.' notation, whatever the language."""
    return f"{value:.1f}"


def describe(points: Sequence[HistoryPoint]) -> str:
    if not points:
        return _("Nessuna valutazione completa da confrontare.")
    return "; ".join(
        _("%(date)s: area A %(a)s, area B %(b)s, area C %(c)s") % {
            "date": f"{p.date:%d/%m/%Y}", **{k.lower(): number_text(p.scores.get(k, 0)) for k in "ABC"}}
        for p in points) + "."


def _marker(area, x, y, colour) -> Marker:
    if area == "A":
        return Marker("circle", f"punto-{area}", colour, cx=_c(x), cy=_c(y), r="4.5")
    if area == "B":
        return Marker("rect", f"punto-{area}", colour, x=_c(x - 4), y=_c(y - 4), size="8")
    return Marker("polygon", f"punto-{area}", colour,
                  points=f"{_c(x)},{_c(y - 5)} {_c(x + 5)},{_c(y + 4)} {_c(x - 5)},{_c(y + 4)}")


def _apart(wanted: Mapping[str, float]) -> dict[str, float]:
    """The label baselines of one date's three values, moved the least so that no two are closer than a
    line (LABEL_GAP): upwards from the lowest, or downwards from the top of the plot when that would climb
    into the legend."""
    order = sorted(wanted, key=lambda area: wanted[area], reverse=True)  # lowest on the chart first
    placed: dict[str, float] = {}
    for area in order:
        y = wanted[area]
        if placed:
            y = min(y, min(placed.values()) - LABEL_GAP)
        placed[area] = y
    if min(placed.values()) < LABEL_TOP:
        placed = {}
        for area in reversed(order):  # highest first, downwards
            y = max(wanted[area], LABEL_TOP)
            if placed:
                y = max(y, max(placed.values()) + LABEL_GAP)
            placed[area] = y
    return placed


def history_data(points: Sequence[HistoryPoint], *, title: str | None = None,
                 id_prefix: str = "storico-stress") -> HistoryChart:
    """The chart's view-model, for templates/stress/_history_chart.html."""
    if not ID_RE.match(id_prefix):
        raise ValueError("id_prefix must be a plain identifier")
    points = sorted(points, key=lambda p: p.date)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    inner = 40

    def x_of(index, area=None):
        if len(points) == 1:  # one assessment: the three areas side by side, their values never on each other
            return LEFT + plot_w / 2 + SINGLE_SPREAD * ("ABC".index(area) - 1 if area else 0)
        return LEFT + inner + (plot_w - 2 * inner) * index / (len(points) - 1)

    def y_of(value):
        return TOP + plot_h - max(0.0, min(float(value), AXIS_TOP)) / AXIS_TOP * plot_h

    chart = HistoryChart(id_prefix=id_prefix, title=str(title or _("Confronto delle valutazioni, area per area")),
                         desc=describe(points))
    for step in range(5):
        value = AXIS_TOP * step / 4
        y = y_of(value)
        chart.grid.append((Line(_c(LEFT), _c(y), _c(LEFT + plot_w), _c(y), GRID_COLOUR),
                           Text(_c(LEFT - 8), _c(y + 4), str(int(value)), anchor="end", cls="tick")))
    chart.axes.extend([Line(_c(LEFT), _c(TOP), _c(LEFT), _c(TOP + plot_h), AXIS_COLOUR),
                       Line(_c(LEFT), _c(TOP + plot_h), _c(LEFT + plot_w), _c(TOP + plot_h), AXIS_COLOUR)])
    chart.dates.extend(Text(_c(x_of(index)), _c(TOP + plot_h + 18), f"{point.date:%d/%m/%Y}", cls="data")
                       for index, point in enumerate(points))
    middle = TOP + plot_h / 2
    chart.axis_titles.extend([
        Text(_c(LEFT + plot_w / 2), _c(HEIGHT - 10), _("Data della valutazione"), cls="asse"),
        Text(_c(14), _c(middle), _("Punteggio"), cls="asse", transform=f"rotate(-90 14 {_c(middle)})"),
    ])
    for n, (area, colour, dash, _offset) in enumerate(SERIES):
        x0 = LEFT + n * 190
        chart.legend.append((Line(_c(x0), "18", _c(x0 + 30), "18", colour, width="2", dash=dash),
                             _marker(area, x0 + 15, 18, colour),
                             Text(_c(x0 + 36), _c(22), _("Area %(area)s") % {"area": area}, anchor="start")))
    label_y = {}  # (index, area): the baseline of the value's label, the three of a date kept apart
    for index, point in enumerate(points):
        wanted = {area: y_of(point.scores.get(area, 0)) - 9 for area, *_rest in SERIES}
        label_y.update({(index, area): y for area, y in _apart(wanted).items()} if len(points) > 1 else
                       {(index, area): y for area, y in wanted.items()})
    for area, colour, dash, offset in SERIES:
        coords = [(x_of(i, area), y_of(p.scores.get(area, 0)), p.scores.get(area, 0)) for i, p in enumerate(points)]
        polyline = " ".join(f"{_c(x)},{_c(y)}" for x, y, _v in coords) if len(coords) > 1 else ""
        shown = []
        for index, (x, y, value) in enumerate(coords):
            label_x = x if len(points) == 1 else x + offset
            shown.append((_marker(area, x, y, colour),
                          Text(_c(label_x), _c(label_y[(index, area)]), number_text(value), cls=f"valore-{area}",
                               fill=colour)))
        chart.series.append(AreaSeries(area=area, colour=colour, dash=dash, polyline=polyline, points=shown))
    return chart
