"""The history chart, as its template draws it (stress/chart.py gives the geometry, templates/stress/
_history_chart.html the markup): accessible SVG, every value readable, series told apart without colour."""
import datetime as dt
from xml.etree import ElementTree

from django.template.loader import render_to_string

from stress.chart import HistoryPoint, history_data


def history_svg(points, **options):
    """The chart as the assessment's page includes it."""
    return render_to_string("stress/_history_chart.html", {"chart": history_data(points, **options)})


def test_history_svg_is_accessible_and_escaped():
    svg = history_svg([HistoryPoint(dt.date(2025, 1, 15), {"A": 10, "B": 4, "C": 6.5}),
                       HistoryPoint(dt.date(2023, 1, 15), {"A": 0, "B": 8, "C": 12})], title="Storico <&>")
    root = ElementTree.fromstring(svg)
    ns = "{http://www.w3.org/2000/svg}"
    assert root.get("role") == "img"
    assert root.find(f"{ns}title").text == "Storico <&>"
    desc = root.find(f"{ns}desc").text
    assert desc.index("15/01/2023") < desc.index("15/01/2025")
    assert "area C 6,50" in desc
    assert len(root.findall(f"{ns}circle")) == 3 and len(root.findall(f"{ns}polygon")) == 3  # A, C markers + legend
    dashes = {p.get("class"): p.get("stroke-dasharray") for p in root.findall(f"{ns}polyline")}
    assert dashes == {"serie-A": None, "serie-B": "7 4", "serie-C": "2 3"}


def test_single_point_and_empty():
    assert "<polyline" not in history_svg([HistoryPoint(dt.date(2025, 1, 15), {"A": 1, "B": 2, "C": 3})])
    assert "Nessuna valutazione completa" in history_svg([])
