"""Browser test harness: Debian's headless Chromium driven by Playwright, with axe-core checks."""

import json
import os
from pathlib import Path

import pytest

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
