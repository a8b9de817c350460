"""Reading a rendered page as a person sees it: elements by id or XPath, their visible text."""
from __future__ import annotations

import lxml.html


def parse(html) -> lxml.html.HtmlElement:
    return lxml.html.fromstring(str(html) or "<div></div>")


def text(element) -> str:
    """The element's visible text, whitespace collapsed."""
    return " ".join(element.text_content().split())


def by_id(doc, ident: str):
    found = doc.xpath(f'//*[@id="{ident}"]')
    assert len(found) == 1, (ident, len(found))
    return found[0]


def checked(doc, name: str, value: str | None = None) -> bool:
    """Whether the checkbox `name` (with this value) is ticked."""
    path = f'//input[@name="{name}"]' + (f'[@value="{value}"]' if value is not None else "")
    boxes = doc.xpath(path)
    assert len(boxes) == 1, (name, value, len(boxes))
    return boxes[0].get("checked") is not None
