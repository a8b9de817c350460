"""Logging in and out through the portal's own forms, as every browser test does.

A `page.goto` issued while a form's POST is still in flight cancels it: CI failed once that way (the second
factor's code never reached the server). So a click that sends a form and is followed by a navigation goes
through `answered()`, and no test clicks a submitting button and navigates away on the next line."""
from contextlib import contextmanager

from tests.factories import DEFAULT_PASSWORD


@contextmanager
def answered(page, timeout: float = 15_000):
    """Wrap a click that sends a form by POST: returns once the server has answered that navigation (for a
    redirect, its 302: the session cookie is set by then, the page it leads to may still be loading). Background
    POSTs (fetch, CSP reports, frames) do not count. A click that sends nothing fails after `timeout` ms."""
    def the_forms_answer(response):
        request = response.request
        return request.method == "POST" and request.is_navigation_request() and response.frame == page.main_frame

    with page.expect_response(the_forms_answer, timeout=timeout):
        yield


def log_in(page, live_server, user_or_email, password=DEFAULT_PASSWORD, *, path="/accesso/"):
    """Fill the log-in form at `path` (on `live_server` or a base URL) and send it; returns once the server
    answered, whether it let them in or not."""
    email = getattr(user_or_email, "email", user_or_email)
    base = live_server if isinstance(live_server, str) else live_server.url
    page.goto(base + path)
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(password)
    with answered(page):
        page.locator("main").get_by_role("button", name="Accedi").click()


def log_out(page):
    """Press "Esci" in the header; returns once the server has ended the session."""
    with answered(page):
        page.locator("header").get_by_role("button", name="Esci").click()
