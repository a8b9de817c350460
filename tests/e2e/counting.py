"""Counts what a person does in a journey: clicks (each click, each file picker) and page loads."""
import pytest
from playwright.sync_api import Locator, Page


class Counter:
    def __init__(self):
        self.clicks = 0
        self.loads = 0


@pytest.fixture
def counted(page, monkeypatch):
    counter = Counter()
    original_click, original_files = Locator.click, Locator.set_input_files
    page_files = Page.set_input_files

    def click(self, *args, **kwargs):
        counter.clicks += 1
        return original_click(self, *args, **kwargs)

    def files(self, *args, **kwargs):
        counter.clicks += 1  # opening the picker
        return original_files(self, *args, **kwargs)

    def pfiles(self, *args, **kwargs):
        counter.clicks += 1
        return page_files(self, *args, **kwargs)

    monkeypatch.setattr(Locator, "click", click)
    monkeypatch.setattr(Locator, "set_input_files", files)
    monkeypatch.setattr(Page, "set_input_files", pfiles)
    def response(resp):  # a page the server renders: every HTML answer (documents, and HTML fetched by scripts)
        if resp.status == 200 and resp.headers.get("content-type", "").startswith("text/html"):
            counter.loads += 1

    page.on("response", response)
    return counter
