"""Real-browser tests: Playwright drives Debian's Chromium against Django's live server on PostgreSQL.
Screenshots land in test-artifacts/ (git-ignored), also when a test fails."""
import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make there are safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# How long an expect() waits for the page to get there: 15 s instead of Playwright's 5 s. A passing check returns
# as soon as it holds; only a failing one waits longer. On a busy 2-core machine (two e2e suites at once) an
# evidence upload through the bounded file check once took more than 5 s and failed the company journey.
expect.set_options(timeout=15_000)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": "/usr/bin/chromium", "headless": True, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 1280, "height": 900}, "locale": "it-IT"}


@pytest.fixture
def shot(page, request):
    """shot("name") saves a screenshot of the page under test-artifacts/<test>/."""
    folder = ARTIFACTS / request.node.name
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.png"):
        old.unlink()

    def take(name):
        page.screenshot(path=str(folder / f"{name}.png"), full_page=True)

    yield take
    if getattr(request.node, "rep_call", None) is not None and request.node.rep_call.failed:
        take("failure")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)
