"""Issue 34, minor: the stress report PDF never splits a table row across two pages, and the history chart
of a single assessment (or of close scores) writes its values where they do not overlap."""
import datetime as dt
import itertools
from xml.etree import ElementTree

import pytest
from django.template.loader import render_to_string
from weasyprint import HTML

from stress.chart import HistoryPoint
from stress.models import Measure
from stress.pdf import report_context
from tests.factories import PATFactory, SiteFactory, legal_rep

from .pages import create
from .test_chart import history_svg


def _rows_by_page(document):
    """{page number: ids of the <tr> elements with a box on that page}."""
    pages = {}
    for number, page in enumerate(document.pages):
        found, stack = set(), [page._page_box]
        while stack:
            box = stack.pop()
            if getattr(box, "is_header", False) or getattr(box, "is_footer", False):
                continue  # a table's head (and foot) is repeated on every page it runs over, by design
            if getattr(box, "element_tag", None) == "tr":
                found.add(id(box.element))
            stack.extend(getattr(box, "children", []) or [])
        pages[number] = found
    return pages


@pytest.mark.django_db
def test_no_table_row_is_split_across_pages(client):
    site = SiteFactory()
    PATFactory(site=site)
    client.force_login(legal_rep(site.company))
    assessment = create(client, site.company)
    objective = " ".join(["Riorganizzare i turni e verificarne l'effetto con il medico competente."] * 9)
    for n in range(14):  # rows of ~12 lines each: some of them meet a page's end
        Measure.objects.create(assessment=assessment, title=f"Misura {n}", owner="Mario Rossi",
                               deadline=dt.date(2026, 6, 30), objective=objective)
    html = render_to_string("pdf/stress.html", report_context(assessment, today=dt.date(2025, 2, 1)))
    document = HTML(string=html).render()
    pages = _rows_by_page(document)
    assert len(pages) >= 3
    for a, b in itertools.combinations(pages, 2):
        assert not (pages[a] & pages[b]), f"a table row is on pages {a + 1} and {b + 1}"


def _label_boxes(svg):
    """(left, top, right, bottom) of every value label, for a 14 px font (≈ 0.6 em a character)."""
    ns = "{http://www.w3.org/2000/svg}"
    boxes = []
    for text in ElementTree.fromstring(svg).iter(f"{ns}text"):
        if not (text.get("class") or "").startswith(("valore-", "data")):
            continue
        x, y, width = float(text.get("x")), float(text.get("y")), 0.6 * 14 * len(text.text)
        left = {"start": x, "end": x - width}.get(text.get("text-anchor"), x - width / 2)
        boxes.append((text.text, (left, y - 11, left + width, y + 3)))
    return boxes


def _overlaps(a, b):
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


@pytest.mark.parametrize("points", [
    [HistoryPoint(dt.date(2025, 1, 15), {"A": 10, "B": 10.5, "C": 11})],  # one assessment, close scores
    [HistoryPoint(dt.date(2025, 1, 15), {"A": 0, "B": 0, "C": 0})],
    [HistoryPoint(dt.date(2025, 1, 15), {"A": 20, "B": 20, "C": 20}),
     HistoryPoint(dt.date(2023, 1, 15), {"A": 12, "B": 12.5, "C": 12})],
])
def test_chart_labels_do_not_overlap(points):
    boxes = _label_boxes(history_svg(points))
    assert len(boxes) == 4 * len(points)  # three values and a date per assessment
    for (name_a, a), (name_b, b) in itertools.combinations(boxes, 2):
        assert not _overlaps(a, b), (name_a, a, name_b, b)
