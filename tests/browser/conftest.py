"""Browser test harness: Debian's headless Chromium driven by Playwright, with axe-core checks."""

import contextlib
import json
import os
import threading
import time
from pathlib import Path

import pytest
from django.db import connection

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
AXE_SCRIPT = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

# Playwright's sync API runs an event loop in this thread; the ORM calls made by fixtures are safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


class InFlight:
    """Wraps the live server's WSGI app to count requests still being answered.

    A page closed at the end of a test can still have a request on its way: Wagtail's editor
    pings its editing session when the page is hidden, and the ping re-creates the session row.
    If the test database is flushed while that request writes, the flush fails on a foreign key.

    On SQLite it also answers one request at a time. The in-memory test database is one connection
    that every request thread of the live server shares; two requests at once (a page and its
    /admin/jsi18n/, say) interleave their savepoints on it, and one "no such savepoint" leaves the
    connection unusable for every later test.
    """

    def __init__(self, app, *, one_at_a_time: bool):
        self.app = app
        self.count = 0
        self.last_seen = time.monotonic()
        self.lock = threading.Lock()
        self.serial = threading.Lock() if one_at_a_time else contextlib.nullcontext()

    def __call__(self, environ, start_response):
        with self.lock:
            self.count += 1
        try:
            with self.serial:
                response = self.app(environ, start_response)
                try:
                    yield from response
                finally:
                    if hasattr(response, "close"):
                        response.close()
        finally:
            with self.lock:
                self.count -= 1
                self.last_seen = time.monotonic()

    def wait_until_quiet(self, quiet: float = 0.3, limit: float = 10.0) -> None:
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            with self.lock:
                if self.count == 0 and time.monotonic() - self.last_seen >= quiet:
                    return
            time.sleep(0.05)


@pytest.fixture(scope="session")
def in_flight(live_server):
    httpd = live_server.thread.httpd
    if not isinstance(httpd.get_app(), InFlight):
        httpd.set_app(InFlight(httpd.get_app(), one_at_a_time=connection.vendor == "sqlite"))
    return httpd.get_app()


@pytest.fixture(autouse=True)
def settle_live_server(request, in_flight):
    """Set up before any page and torn down after every page has closed, but before the database
    is flushed: waits until the live server has answered everything the browser sent."""
    request.getfixturevalue("transactional_db")
    yield
    in_flight.wait_until_quiet()


@pytest.fixture
def migrated_data(live_server):
    """The rows migrations seed (the default Site, the vocabulary), which an earlier transactional
    test's flush removed; see tests/reference_data.py."""
    from tests.reference_data import restore_reference_data

    restore_reference_data()


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium is not installed at {CHROMIUM}; the test command installs Debian's chromium package.")
    if not AXE_SCRIPT.exists():
        pytest.fail(f"axe-core is missing at {AXE_SCRIPT}; run `npm ci` (the test command does).")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    # axe-core is injected as a script tag, which the site's own CSP forbids; tests/browser/test_csp.py
    # checks the CSP separately with enforcement on.
    context = browser.new_context(base_url=live_server.url, bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def axe():
    """`axe(page)` runs axe-core on the page as it is now and fails the test on any violation."""
    return assert_accessible


def assert_accessible(page) -> None:
    """Run axe-core (WCAG 2.2 A and AA rules and best practice) on the page; fail on any violation."""
    page.add_script_tag(path=str(AXE_SCRIPT))
    result = page.evaluate(
        """async () => await axe.run(document, {
            runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']}
        })"""
    )
    violations = [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [n["target"] for n in v["nodes"]][:5],
        }
        for v in result["violations"]
    ]
    assert not violations, f"axe-core found violations on {page.url}:\n{json.dumps(violations, indent=2)}"
