"""Browser tests: Playwright driving Debian's Chromium (`playwright install` cannot download
browsers here) against pytest-django's live server. One browser per xdist worker; a fresh
context (cookies, language) per test.

Fixtures for other e2e tests: `page` (a new tab on the live server, Chinese locale) and
`logged_in_page(user)` (that tab, logged in as `user`)."""
import os
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in the test thread; Django's ORM calls from the
# test body (factories, assertions) are still synchronous and safe there.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = os.environ.get("RONGHE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
# `make screenshots` sets RONGHE_SCREENSHOTS=docs/screenshots to refresh the documented ones;
# ordinary runs write under var/ and leave the work tree clean.
ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / os.environ.get("RONGHE_SCREENSHOTS", "var/screenshots")
PASSWORD = "pass-word-123"  # tests.factories.user's password
VIEWPORT = {"width": 1440, "height": 900}


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        message = f"Chromium is not installed at {CHROMIUM} (Debian package `chromium`)."
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="zh-CN", viewport=VIEWPORT)
    context.set_default_timeout(15_000)
    tab = context.new_page()
    yield tab
    context.close()


@pytest.fixture
def logged_in_page(page):
    """Call with a user (made by tests.factories.user) to get `page` logged in as them."""

    def login(user, password=PASSWORD):
        page.goto("/accounts/login/")
        page.fill("#id_username", user.username)
        page.fill("#id_password", password)
        page.click("form[action='/accounts/login/'] button[type=submit]")
        page.wait_for_selector("#sidebar-nav", state="attached")
        return page

    return login


@pytest.fixture
def screenshot():
    """Save a full-page screenshot as <SCREENSHOTS>/<name>.png (overwritten on each run)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(page, name):
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(800)  # let chart animations finish
        path = SCREENSHOTS / f"{name}.png"
        # A viewport as tall as the page, so the fixed sidebar reaches the bottom of the image.
        height = page.evaluate("document.documentElement.scrollHeight")
        page.set_viewport_size({"width": VIEWPORT["width"], "height": max(height, VIEWPORT["height"])})
        page.screenshot(path=str(path))
        page.set_viewport_size(VIEWPORT)
        return path

    return take
