"""The history of a scope's assessments, area by area, drawn on the server as SVG. Pure: no ORM, no JS.

Accessible like indicators/chart.py: role="img" labelled by its <title> and a <desc> that reads every
value; every value is written beside its point; the three areas differ by line pattern and marker shape
(A: solid, circles; B: dashed, squares; C: dotted, triangles), not only by colour. One axis, 0-40 (the
highest area score, area A's). The returned string is markup: templates include it with |safe (every text
inside is escaped here)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Mapping, Sequence
from xml.sax.saxutils import escape

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


def number_text(value: float) -> str:
    """A score with two decimals in the active language's notation (10,50 in Italian, 10.50 in English)."""
    return number(Decimal(f"{value:.2f}"))


def _text(x, y, content, *, anchor="middle", cls="", extra=""):
    attrs = f' class="{cls}"' if cls else ""
    return f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}"{attrs}{extra}>{escape(str(content))}</text>'


def describe(points: Sequence[HistoryPoint]) -> str:
    if not points:
        return _("Nessuna valutazione completa da confrontare.")
    return "; ".join(
        _("%(date)s: area A %(a)s, area B %(b)s, area C %(c)s") % {
            "date": f"{p.date:%d/%m/%Y}", **{k.lower(): number_text(p.scores.get(k, 0)) for k in "ABC"}}
        for p in points) + "."


def _marker(area, x, y, colour):
    if area == "A":
        return f'<circle class="punto-{area}" cx="{x:.1f}" cy="{y:.1f}" r="4.5" fill="{colour}"/>'
    if area == "B":
        return f'<rect class="punto-{area}" x="{x - 4:.1f}" y="{y - 4:.1f}" width="8" height="8" fill="{colour}"/>'
    return (f'<polygon class="punto-{area}" points="{x:.1f},{y - 5:.1f} {x + 5:.1f},{y + 4:.1f} {x - 5:.1f},{y + 4:.1f}" '
            f'fill="{colour}"/>')


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


def history_svg(points: Sequence[HistoryPoint], *, title: str | None = None, id_prefix: str = "storico-stress") -> str:
    points = sorted(points, key=lambda p: p.date)
    title = title or _("Confronto delle valutazioni, area per area")
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    inner = 40

    def x_of(index, area=None):
        if len(points) == 1:  # one assessment: the three areas side by side, their values never on each other
            return LEFT + plot_w / 2 + SINGLE_SPREAD * ("ABC".index(area) - 1 if area else 0)
        return LEFT + inner + (plot_w - 2 * inner) * index / (len(points) - 1)

    def y_of(value):
        return TOP + plot_h - max(0.0, min(float(value), AXIS_TOP)) / AXIS_TOP * plot_h

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" role="img" '
        f'aria-labelledby="{id_prefix}-title {id_prefix}-desc" class="grafico-stress" '
        f'font-family="Titillium Web, Geneva, Tahoma, sans-serif" font-size="14">',
        f'<title id="{id_prefix}-title">{escape(str(title))}</title>',
        f'<desc id="{id_prefix}-desc">{escape(describe(points))}</desc>',
    ]
    for step in range(5):
        value = AXIS_TOP * step / 4
        y = y_of(value)
        out.append(f'<line x1="{LEFT}" y1="{y:.1f}" x2="{LEFT + plot_w}" y2="{y:.1f}" stroke="#d9dadb"/>')
        out.append(_text(LEFT - 8, y + 4, int(value), anchor="end", cls="tick"))
    out.append(f'<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{TOP + plot_h}" stroke="#5c6f82"/>')
    out.append(f'<line x1="{LEFT}" y1="{TOP + plot_h}" x2="{LEFT + plot_w}" y2="{TOP + plot_h}" stroke="#5c6f82"/>')
    for index, point in enumerate(points):
        out.append(_text(x_of(index), TOP + plot_h + 18, f"{point.date:%d/%m/%Y}", cls="data"))
    out.append(_text(LEFT + plot_w / 2, HEIGHT - 10, _("Data della valutazione"), cls="asse"))
    out.append(_text(14, TOP + plot_h / 2, _("Punteggio"), cls="asse",
                     extra=f' transform="rotate(-90 14 {TOP + plot_h / 2:.1f})"'))
    for n, (area, colour, dash, _offset) in enumerate(SERIES):
        x0 = LEFT + n * 190
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        out.append(f'<line x1="{x0}" y1="18" x2="{x0 + 30}" y2="18" stroke="{colour}" stroke-width="2"{dash_attr}/>')
        out.append(_marker(area, x0 + 15, 18, colour))
        out.append(_text(x0 + 36, 22, _("Area %(area)s") % {"area": area}, anchor="start"))
    label_y = {}  # (index, area): the baseline of the value's label, the three of a date kept apart
    for index, point in enumerate(points):
        wanted = {area: y_of(point.scores.get(area, 0)) - 9 for area, *_rest in SERIES}
        label_y.update({(index, area): y for area, y in _apart(wanted).items()} if len(points) > 1 else
                       {(index, area): y for area, y in wanted.items()})
    for area, colour, dash, offset in SERIES:
        coords = [(x_of(i, area), y_of(p.scores.get(area, 0)), p.scores.get(area, 0)) for i, p in enumerate(points)]
        if len(coords) > 1:
            dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
            pts = " ".join(f"{x:.1f},{y:.1f}" for x, y, _v in coords)
            out.append(f'<polyline class="serie-{area}" points="{pts}" fill="none" stroke="{colour}" '
                       f'stroke-width="2"{dash_attr}/>')
        for index, (x, y, value) in enumerate(coords):
            out.append(_marker(area, x, y, colour))
            label_x = x if len(points) == 1 else x + offset
            out.append(_text(label_x, label_y[(index, area)], number_text(value), cls=f"valore-{area}",
                             extra=f' fill="{colour}"'))
    out.append("</svg>")
    return "\n".join(out)
