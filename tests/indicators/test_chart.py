"""The server-side SVG chart of IF and IG over the years, as its template draws it (indicators/chart.py gives the
geometry, templates/indicators/_chart.html the markup): well-formed, accessible, values as text, no JS."""
import xml.etree.ElementTree as ET
from datetime import date
from decimal import Decimal

import pytest
from django.template.loader import render_to_string

from indicators.chart import ChartPoint, chart_data, points_from
from indicators.rules import Injury, compute

NS = {"svg": "http://www.w3.org/2000/svg"}


def chart_svg(points, **options):
    """The chart as the site page and the PDF include it."""
    return render_to_string("indicators/_chart.html", {"chart": chart_data(points, **options)})


def parse(svg):
    return ET.fromstring(svg)


def texts(root):
    return ["".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}text")]


POINTS = [
    ChartPoint(2022, Decimal("18.18"), Decimal("0.34")),
    ChartPoint(2023, Decimal("16.666"), Decimal("0.3416")),
    ChartPoint(2024, Decimal("0"), Decimal("0")),
]


def test_accessible_structure():
    svg = chart_svg(POINTS, id_prefix="unita-7")
    root = parse(svg)
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "unita-7-title unita-7-desc"
    title = root.find("svg:title", NS)
    desc = root.find("svg:desc", NS)
    assert title.get("id") == "unita-7-title" and title.text == "Indici di frequenza e di gravità per anno"
    assert desc.get("id") == "unita-7-desc"
    assert desc.text == ("2022: IF 18,18, IG 0,34; 2023: IF 16,67, IG 0,34; 2024: IF 0,00, IG 0,00. "
                         "IF: infortuni per milione di ore lavorate; IG: giornate di assenza per mille ore lavorate.")
    labels = texts(root)
    assert "Anno" in labels
    assert "IF (infortuni per milione di ore)" in labels
    assert "IG (giornate per mille ore)" in labels
    for value in ("18,18", "16,67", "0,34"):
        assert value in labels  # every value written next to its point
    assert {"2022", "2023", "2024"} <= set(labels)
    assert "<script" not in svg and "on" + "load" not in svg


def test_two_lines_told_apart_without_colour():
    root = parse(chart_svg(POINTS))
    lines = root.findall(".//svg:polyline", NS)
    assert len(lines) == 2
    dashes = {line.get("class"): line.get("stroke-dasharray") for line in lines}
    assert dashes["serie-if"] is None and dashes["serie-ig"]  # IG dashed
    assert len(root.findall(".//svg:circle", NS)) == 3  # IF markers
    assert len(root.findall(".//svg:rect[@class='punto-ig']", NS)) == 3  # IG markers


def test_points_from_results_and_years_sorted():
    injuries = [Injury(date(2023, 3, 1), date(2023, 3, 1), date(2023, 3, 10))]
    results = compute(injuries, {2024: Decimal(1000), 2023: Decimal(2000)}, as_of=date(2025, 1, 1))
    points = points_from(results)
    assert points == [ChartPoint(2023, Decimal(500), Decimal(5)), ChartPoint(2024, Decimal(0), Decimal(0))]
    root = parse(chart_svg(points))
    assert root.find("svg:desc", NS).text.startswith("2023: IF 500,00, IG 5,00; 2024: IF 0,00, IG 0,00.")


def test_missing_value_breaks_the_line_and_single_year_and_empty():
    root = parse(chart_svg([ChartPoint(2022, Decimal(1), Decimal(1)), ChartPoint(2023, None, Decimal(2)),
                            ChartPoint(2024, Decimal(3), Decimal(1))]))
    assert "2023: IF non disponibile, IG 2,00" in root.find("svg:desc", NS).text
    assert len(root.findall(".//svg:polyline[@class='serie-if']", NS)) == 0  # no two adjacent IF points
    assert len(root.findall(".//svg:circle", NS)) == 2
    root = parse(chart_svg([ChartPoint(2024, Decimal("12.5"), Decimal("0.4"))]))
    assert "12,50" in texts(root)
    root = parse(chart_svg([]))
    assert root.find("svg:desc", NS).text == "Nessun dato da rappresentare."


def test_title_is_escaped_and_id_prefix_checked():
    root = parse(chart_svg(POINTS, title="Cartiera <Sud> & figli"))
    assert root.find("svg:title", NS).text == "Cartiera <Sud> & figli"
    with pytest.raises(ValueError):
        chart_svg(POINTS, id_prefix='x" onload="alert(1)')


def test_large_values_use_italian_thousands():
    root = parse(chart_svg([ChartPoint(2024, Decimal("1234.5"), Decimal("166.666"))]))
    assert "1.234,50" in texts(root) and "166,67" in texts(root)
