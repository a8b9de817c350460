"""A line chart of IF and IG over the years, drawn on the server as SVG. Pure: no ORM, no JavaScript.

Accessible: role="img" labelled by its <title> and a <desc> that reads every value; axis titles and every
value written as text beside its point; the two series differ by line pattern and marker shape, not only
by colour (IF: solid line, round markers, left axis; IG: dashed line, square markers, right axis: the two
indices have different scales). The returned string is markup: a template includes it with |safe (every
text inside is escaped here)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Iterable, Sequence
from xml.sax.saxutils import escape

from .rules import round2
from .text import _, number

WIDTH, HEIGHT = 640, 340
LEFT, RIGHT, TOP, BOTTOM = 70, 70, 50, 60
IF_COLOUR = "#0066cc"  # Bootstrap Italia primary; 5.6:1 on white
IG_COLOUR = "#a61919"  # 7.4:1 on white
ID_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")


@dataclass(frozen=True)
class ChartPoint:
    year: int
    frequency: Decimal | None
    severity: Decimal | None


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


def _text(x, y, content, *, anchor="middle", cls="", extra=""):
    attrs = f' class="{cls}"' if cls else ""
    return (f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}"{attrs}{extra}>'
            f"{escape(str(content))}</text>")


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


def chart_svg(points: Iterable[ChartPoint], *, title: str | None = None, id_prefix: str = "grafico-indici") -> str:
    if not ID_RE.match(id_prefix):
        raise ValueError("id_prefix must be a plain identifier")
    points = sorted(points, key=lambda p: p.year)
    title = title or _("Indici di frequenza e di gravità per anno")
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
        # The upper point's label goes above it, the lower one's below it; near the x axis both go
        # above, stacked, clear of the years.
        upper, lower = sorted(ys, key=lambda attr: ys[attr])
        if ys[lower] + 18 < bottom - 2 and ys[lower] - ys[upper] > 4:
            label_y[(upper, index)] = ys[upper] - 10
            label_y[(lower, index)] = ys[lower] + 18
        else:
            label_y[(lower, index)] = ys[lower] - 10
            label_y[(upper, index)] = min(ys[upper] - 10, ys[lower] - 24)

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" '
        f'role="img" aria-labelledby="{id_prefix}-title {id_prefix}-desc" class="grafico-indici" '
        f'font-family="Titillium Web, Geneva, Tahoma, sans-serif" font-size="12">',
        f'<title id="{id_prefix}-title">{escape(str(title))}</title>',
        f'<desc id="{id_prefix}-desc">{escape(_describe(points))}</desc>',
    ]
    # Grid and axis ticks: five steps on each axis.
    for step in range(5):
        fraction = Decimal(step) / 4
        y = TOP + plot_h - float(fraction) * plot_h
        out.append(f'<line x1="{LEFT}" y1="{y:.1f}" x2="{LEFT + plot_w}" y2="{y:.1f}" stroke="#d9dadb"/>')
        out.append(_text(LEFT - 8, y + 4, format_number(if_top * fraction), anchor="end", cls="tick-if"))
        out.append(_text(LEFT + plot_w + 8, y + 4, format_number(ig_top * fraction), anchor="start", cls="tick-ig"))
    out.append(f'<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{TOP + plot_h}" stroke="#5c6f82"/>')
    out.append(f'<line x1="{LEFT + plot_w}" y1="{TOP}" x2="{LEFT + plot_w}" y2="{TOP + plot_h}" stroke="#5c6f82"/>')
    out.append(f'<line x1="{LEFT}" y1="{TOP + plot_h}" x2="{LEFT + plot_w}" y2="{TOP + plot_h}" stroke="#5c6f82"/>')
    for index, point in enumerate(points):
        out.append(_text(x_of(index), TOP + plot_h + 18, point.year, cls="anno"))
    # Axis titles.
    out.append(_text(LEFT + plot_w / 2, HEIGHT - 12, _("Anno"), cls="asse"))
    out.append(_text(14, TOP + plot_h / 2, _("IF (infortuni per milione di ore)"), cls="asse",
                     extra=f' transform="rotate(-90 14 {TOP + plot_h / 2:.1f})" fill="{IF_COLOUR}"'))
    out.append(_text(WIDTH - 14, TOP + plot_h / 2, _("IG (giornate per mille ore)"), cls="asse",
                     extra=f' transform="rotate(90 {WIDTH - 14} {TOP + plot_h / 2:.1f})" fill="{IG_COLOUR}"'))
    # Legend.
    out.append(f'<line x1="{LEFT}" y1="18" x2="{LEFT + 30}" y2="18" stroke="{IF_COLOUR}" stroke-width="2"/>')
    out.append(_text(LEFT + 36, 22, _("Indice di frequenza (IF)"), anchor="start"))
    out.append(f'<line x1="{LEFT + 250}" y1="18" x2="{LEFT + 280}" y2="18" stroke="{IG_COLOUR}" '
               f'stroke-width="2" stroke-dasharray="6 4"/>')
    out.append(_text(LEFT + 286, 22, _("Indice di gravità (IG)"), anchor="start"))

    def series(attr, top, colour, cls, dashed, marker):
        coords = [(x_of(i), y_of(getattr(p, attr), top), getattr(p, attr)) if getattr(p, attr) is not None
                  else None for i, p in enumerate(points)]
        # One polyline per run of consecutive known values: a missing year breaks the line.
        run: list[tuple[float, float]] = []
        for item in coords + [None]:
            if item is not None:
                run.append(item[:2])
                continue
            if len(run) > 1:
                dash = ' stroke-dasharray="6 4"' if dashed else ""
                pts = " ".join(f"{x:.1f},{y:.1f}" for x, y in run)
                out.append(f'<polyline class="{cls}" points="{pts}" fill="none" stroke="{colour}" '
                           f'stroke-width="2"{dash}/>')
            run = []
        for index, item in enumerate(coords):
            if item is None:
                continue
            x, y, value = item
            out.append(marker(x, y))
            out.append(_text(x, label_y[(attr, index)], format_number(value), cls=f"valore-{cls[-2:]}",
                             extra=f' fill="{colour}"'))

    series("frequency", if_top, IF_COLOUR, "serie-if", False,
           lambda x, y: f'<circle class="punto-if" cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{IF_COLOUR}"/>')
    series("severity", ig_top, IG_COLOUR, "serie-ig", True,
           lambda x, y: f'<rect class="punto-ig" x="{x - 4:.1f}" y="{y - 4:.1f}" width="8" height="8" '
                        f'fill="{IG_COLOUR}"/>')
    out.append("</svg>")
    return "\n".join(out)
