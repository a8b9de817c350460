"""Logging in through the portal's own form, as every browser test does.

The helper waits for the server's answer to the form before it returns. A `page.goto` issued while the POST is
still in flight cancels it: CI failed once that way (the second factor's code never reached the server), so no
test may click a submitting button and navigate away on the next line."""
from contextlib import contextmanager

from tests.factories import DEFAULT_PASSWORD


@contextmanager
def answered(page):
    """Wrap a click that posts a form: returns once the server has answered the POST (its redirect included)."""
    with page.expect_response(lambda response: response.request.method == "POST"):
        yield
    page.wait_for_load_state()


def log_in(page, live_server, user_or_email, password=DEFAULT_PASSWORD, *, path="/accesso/"):
    """Fill the log-in form at `path` and send it; returns once the server answered, whether it let them in or not."""
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
