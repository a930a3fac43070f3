"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's live server.

Without ``/usr/bin/chromium`` these tests skip with the reason, except under ``CI=true``
where they fail: CI installs Chromium, so a missing browser there is a broken set-up.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-results" / "screenshots"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def browser():
    if not CHROMIUM.exists():
        reason = f"browser tests need Debian's Chromium at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI=true: {reason}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield chromium
        finally:
            chromium.close()


class Person:
    """One person at their own browser (own cookies), collecting any page error."""

    def __init__(self, browser, base_url, viewport=DESKTOP, javascript=True, dark=False):
        self.base_url = base_url
        self.context = browser.new_context(
            viewport=viewport,
            base_url=base_url,
            java_script_enabled=javascript,
            color_scheme="dark" if dark else "light",
        )
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.page.on(
            "response",
            lambda response: (
                self.errors.append(f"HTTP {response.status}: {response.url}")
                if response.status >= 500
                else None
            ),
        )
        self.page.on("pageerror", lambda error: self.errors.append(f"page error: {error}"))
        self.page.on(
            "console",
            lambda message: (
                self.errors.append(f"console {message.type}: {message.text}")
                if message.type == "error"
                else None
            ),
        )

    def unexpected_errors(self) -> list[str]:
        """Errors other than the browser noting a 4xx page it was sent to on purpose."""
        expected = "Failed to load resource: the server responded with a status of 4"
        return [error for error in self.errors if expected not in error]

    def go(self, path: str):
        response = self.page.goto(path)
        return response

    def shot(self, name: str, *, full_page: bool = True) -> Path:
        """Save a screenshot. A full page is taken with a window as tall as the page, so
        the sticky header and the phone's tab bar sit where a person would see them."""
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        if not full_page:
            self.page.screenshot(path=str(path))
            return path
        viewport = self.page.viewport_size
        self.page.evaluate("window.scrollTo(0, 0)")
        height = self.page.evaluate("document.documentElement.scrollHeight")
        self.page.set_viewport_size({"width": viewport["width"], "height": max(height, 400)})
        try:
            self.page.screenshot(path=str(path))
        finally:
            self.page.set_viewport_size(viewport)
        return path

    def close(self):
        self.context.close()


@pytest.fixture
def people(browser, live_server):
    opened: list[Person] = []

    def open_browser(viewport=DESKTOP, javascript=True, dark=False) -> Person:
        person = Person(browser, live_server.url, viewport, javascript, dark)
        opened.append(person)
        return person

    yield open_browser
    for person in opened:
        person.close()
