"""Issue 34, minor: on a 390 px phone the dashboard's action button and the wizard's step tabs are
reachable without sideways scrolling."""
import pytest
from playwright.sync_api import expect

from tests.e2e.login import log_in
from tests.e2e.test_daily_company import draft, url  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db(transaction=True)


def _inside(page, locator):
    box = locator.bounding_box()
    return box is not None and box["x"] >= 0 and box["x"] + box["width"] <= page.viewport_size["width"]


def test_at_390_px_the_action_button_and_the_step_tabs_are_in_reach(page, live_server, draft, shot):  # noqa: F811
    site, rep, app = draft
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, live_server, rep)
    page.goto(live_server.url + "/domande/")
    button = page.locator("main").get_by_role("link", name="Riprendi")
    expect(button).to_be_visible()
    assert _inside(page, button), button.bounding_box()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot("01-dashboard-390")
    page.goto(url(live_server, app, "A"))
    tabs = page.locator(".ot24-steps a")
    assert tabs.count() >= 5
    for index in range(tabs.count()):
        assert _inside(page, tabs.nth(index)), (tabs.nth(index).inner_text(), tabs.nth(index).bounding_box())
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot("02-wizard-390")
