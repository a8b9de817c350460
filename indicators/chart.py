"""A line chart of IF and IG over the years, drawn on the server as SVG. Pure: no ORM, no JavaScript.

This module keeps the geometry only (scales, coordinates, ticks, label positions, colours) and returns a
view-model, `Chart`; the markup lives in templates/indicators/_chart.html, which pages and the PDF include.
Coordinates are handed over as strings in '.' notation (they are data, not text); values shown as text
are written in the active language's notation through Django's localisation.

Accessible: role="img" labelled by its <title> and a <desc> that reads every value; axis titles and every
value written as text beside its point; the two series differ by line pattern and marker shape, not only
by colour (IF: solid line, round markers, left axis; IG: dashed line, square markers, right axis: the two
indices have different scales)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Iterable, Sequence

from .rules import round2
from .text import _, number

WIDTH, HEIGHT = 640, 340
LEFT, RIGHT, TOP, BOTTOM = 70, 70, 50, 60
IF_COLOUR = "#0066cc"  # Bootstrap Italia primary; 5.6:1 on white
IG_COLOUR = "#a61919"  # 7.4:1 on white
GRID_COLOUR = "#d9dadb"
AXIS_COLOUR = "#5c6f82"
ID_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")


@dataclass(frozen=True)
class ChartPoint:
    year: int
    frequency: Decimal | None
    severity: Decimal | None


@dataclass(frozen=True)
class Text:
    """A <text>: its position (strings in '.' notation), what it reads, and how it is drawn."""
    x: str
    y: str
    text: str
    anchor: str = "middle"
    cls: str = ""
    fill: str = ""
    transform: str = ""


@dataclass(frozen=True)
class Line:
    x1: str
    y1: str
    x2: str
    y2: str
    stroke: str
    width: str = ""
    dash: str = ""


@dataclass(frozen=True)
class Marker:
    """A point's marker: a circle (cx, cy, r), a square (x, y, size) or a polygon (points)."""
    shape: str
    cls: str
    fill: str
    cx: str = ""
    cy: str = ""
    r: str = ""
    x: str = ""
    y: str = ""
    size: str = ""
    points: str = ""


@dataclass(frozen=True)
class Series:
    cls: str
    colour: str
    dash: str
    polylines: list[str]  # one "x,y x,y ..." per run of consecutive known values
    points: list[tuple[Marker, Text]]  # each known value's marker and its label


@dataclass(frozen=True)
class Chart:
    id_prefix: str
    title: str
    desc: str
    width: int = WIDTH
    height: int = HEIGHT
    grid: list[tuple[Line, Text, Text]] = field(default_factory=list)  # a grid line and its two ticks
    axes: list[Line] = field(default_factory=list)
    years: list[Text] = field(default_factory=list)
    axis_titles: list[Text] = field(default_factory=list)
    legend: list[tuple[Line, Text]] = field(default_factory=list)
    series: list[Series] = field(default_factory=list)


def points_from(results: Iterable) -> list[ChartPoint]:
    """ChartPoints from rules.YearIndicators, sorted by year."""
    return sorted((ChartPoint(r.year, r.frequency, r.severity) for r in results), key=lambda p: p.year)


def format_number(value: Decimal) -> str:
    """Two decimals, half-up, with thousands grouped, in the active language's notation (Django's localisation):
    12.5 -> '12,50' and 1234.5 -> '1.234,50' in Italian, '12.50' and '1,234.50' in English."""
    return number(round2(Decimal(value)))


def nice_max(value: Decimal) -> Decimal:
    """The top of an axis: the smallest 1, 2, 2.5 or 5 x 10^k not below the value (1 for an empty axis)."""
    if value <= 0:
        return Decimal(1)
    exponent = value.adjusted()
    for _round in range(2):
        for step in (Decimal(1), Decimal(2), Decimal("2.5"), Decimal(5)):
            top = step.scaleb(exponent)
            if top >= value:
                return top
        exponent += 1
    return Decimal(10).scaleb(exponent)  # pragma: no cover


def _c(value: float) -> str:
    """A coordinate: one decimal, '.' notation, whatever the language."""
    return f"{value:.1f}"


def _describe(points: Sequence[ChartPoint]) -> str:
    if not points:
        return _("Nessun dato da rappresentare.")
    missing = _("non disponibile")
    parts = [
        _("%(year)s: IF %(if)s, IG %(ig)s") % {
            "year": p.year,
            "if": missing if p.frequency is None else format_number(p.frequency),
            "ig": missing if p.severity is None else format_number(p.severity),
        }
        for p in points
    ]
    return "; ".join(parts) + ". " + _(
        "IF: infortuni per milione di ore lavorate; IG: giornate di assenza per mille ore lavorate."
    )


def _label_positions(points, y_of, if_top, ig_top, bottom) -> dict[tuple[str, int], float]:
    """The baseline of each value's label: the upper point's label above it, the lower one's below it; near
    the x axis both go above, stacked, clear of the years."""
    label_y: dict[tuple[str, int], float] = {}
    for index, point in enumerate(points):
        ys = {}
        if point.frequency is not None:
            ys["frequency"] = y_of(point.frequency, if_top)
        if point.severity is not None:
            ys["severity"] = y_of(point.severity, ig_top)
        if len(ys) == 1:
            ((attr, y),) = ys.items()
            label_y[(attr, index)] = y - 10
            continue
        if not ys:
            continue
        upper, lower = sorted(ys, key=lambda attr: ys[attr])
        if ys[lower] + 18 < bottom - 2 and ys[lower] - ys[upper] > 4:
            label_y[(upper, index)] = ys[upper] - 10
            label_y[(lower, index)] = ys[lower] + 18
        else:
            label_y[(lower, index)] = ys[lower] - 10
            label_y[(upper, index)] = min(ys[upper] - 10, ys[lower] - 24)
    return label_y


def chart_data(points: Iterable[ChartPoint], *, title: str | None = None,
               id_prefix: str = "grafico-indici") -> Chart:
    """The chart's view-model, for templates/indicators/_chart.html."""
    if not ID_RE.match(id_prefix):
        raise ValueError("id_prefix must be a plain identifier")
    points = sorted(points, key=lambda p: p.year)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    if_top = nice_max(max((p.frequency for p in points if p.frequency is not None), default=Decimal(0)))
    ig_top = nice_max(max((p.severity for p in points if p.severity is not None), default=Decimal(0)))

    inner = 36  # keeps the first and last points off the axes

    def x_of(index):
        if len(points) == 1:
            return LEFT + plot_w / 2
        return LEFT + inner + (plot_w - 2 * inner) * index / (len(points) - 1)

    def y_of(value, top):
        return TOP + plot_h - float(value / top) * plot_h

    bottom = TOP + plot_h
    label_y = _label_positions(points, y_of, if_top, ig_top, bottom)
    chart = Chart(id_prefix=id_prefix, title=str(title or _("Indici di frequenza e di gravità per anno")),
                  desc=_describe(points))
    # Grid and axis ticks: five steps on each axis.
    for step in range(5):
        fraction = Decimal(step) / 4
        y = TOP + plot_h - float(fraction) * plot_h
        chart.grid.append((
            Line(_c(LEFT), _c(y), _c(LEFT + plot_w), _c(y), GRID_COLOUR),
            Text(_c(LEFT - 8), _c(y + 4), format_number(if_top * fraction), anchor="end", cls="tick-if"),
            Text(_c(LEFT + plot_w + 8), _c(y + 4), format_number(ig_top * fraction), anchor="start", cls="tick-ig"),
        ))
    chart.axes.extend([
        Line(_c(LEFT), _c(TOP), _c(LEFT), _c(bottom), AXIS_COLOUR),
        Line(_c(LEFT + plot_w), _c(TOP), _c(LEFT + plot_w), _c(bottom), AXIS_COLOUR),
        Line(_c(LEFT), _c(bottom), _c(LEFT + plot_w), _c(bottom), AXIS_COLOUR),
    ])
    chart.years.extend(Text(_c(x_of(index)), _c(bottom + 18), str(point.year), cls="anno")
                       for index, point in enumerate(points))
    middle = TOP + plot_h / 2
    chart.axis_titles.extend([
        Text(_c(LEFT + plot_w / 2), _c(HEIGHT - 12), _("Anno"), cls="asse"),
        Text(_c(14), _c(middle), _("IF (infortuni per milione di ore)"), cls="asse", fill=IF_COLOUR,
             transform=f"rotate(-90 14 {_c(middle)})"),
        Text(_c(WIDTH - 14), _c(middle), _("IG (giornate per mille ore)"), cls="asse", fill=IG_COLOUR,
             transform=f"rotate(90 {WIDTH - 14} {_c(middle)})"),
    ])
    chart.legend.extend([
        (Line(_c(LEFT), "18", _c(LEFT + 30), "18", IF_COLOUR, width="2"),
         Text(_c(LEFT + 36), _c(22), _("Indice di frequenza (IF)"), anchor="start")),
        (Line(_c(LEFT + 250), "18", _c(LEFT + 280), "18", IG_COLOUR, width="2", dash="6 4"),
         Text(_c(LEFT + 286), _c(22), _("Indice di gravità (IG)"), anchor="start")),
    ])

    def series(attr, top, colour, cls, dash, marker) -> Series:
        coords = [(x_of(i), y_of(getattr(p, attr), top), getattr(p, attr)) if getattr(p, attr) is not None
                  else None for i, p in enumerate(points)]
        polylines, run = [], []
        # One polyline per run of consecutive known values: a missing year breaks the line.
        for item in coords + [None]:
            if item is not None:
                run.append(item[:2])
                continue
            if len(run) > 1:
                polylines.append(" ".join(f"{_c(x)},{_c(y)}" for x, y in run))
            run = []
        shown = [(marker(x, y), Text(_c(x), _c(label_y[(attr, index)]), format_number(value),
                                     cls=f"valore-{cls[-2:]}", fill=colour))
                 for index, (x, y, value) in ((i, item) for i, item in enumerate(coords) if item is not None)]
        return Series(cls=cls, colour=colour, dash=dash, polylines=polylines, points=shown)

    chart.series.append(series("frequency", if_top, IF_COLOUR, "serie-if", "",
                               lambda x, y: Marker("circle", "punto-if", IF_COLOUR, cx=_c(x), cy=_c(y), r="4")))
    chart.series.append(series("severity", ig_top, IG_COLOUR, "serie-ig", "6 4",
                               lambda x, y: Marker("rect", "punto-ig", IG_COLOUR, x=_c(x - 4), y=_c(y - 4),
                                                   size="8")))
    return chart
