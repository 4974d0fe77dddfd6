"""Browser tests: Debian's Chromium driven by Playwright, with axe-core on every page a test opens."""

import datetime
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connections
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import ConsoleMessage, Locator, Page

from waymark.accounts.factories import TEST_PASSWORD

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Reports every Content-Security-Policy violation on the console, where the browser's own reports go too.
REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI || "inline"}`
    + ` at ${event.sourceFile}:${event.lineNumber} (${event.sample})`);
});
"""
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
SCREENSHOTS = Path(settings.BASE_DIR) / "tests" / "screenshots"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/e2e" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_FLAGS, "headless": True}


class AccessibleBrowser:
    """Wraps a Playwright page: every page opened must be checked with axe-core before the test ends, and no page
    (nor any other page of the same browser context) may break the Content-Security-Policy."""

    def __init__(self, page: Page, base_url: str, name: str) -> None:
        self.page = page
        self.base_url = base_url
        self.name = name
        self.opened: list[str] = []
        self.checked: set[str] = set()
        self.csp_violations: list[str] = []
        page.on("framenavigated", lambda frame: frame == page.main_frame and self.opened.append(frame.url))
        page.context.add_init_script(REPORT_CSP_VIOLATIONS)
        self._watch_console(page)
        page.context.on("page", self._watch_console)

    def _watch_console(self, page: Page) -> None:
        page.on("console", self._record_csp_violation)

    def _record_csp_violation(self, message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text or message.text.startswith("CSP violation"):
            self.csp_violations.append(f"{message.location.get('url')}: {message.text[:400]}")

    def assert_no_csp_violations(self) -> None:
        assert not self.csp_violations, "Content-Security-Policy violations:\n" + "\n".join(self.csp_violations)

    def goto(self, path: str) -> None:
        self.page.goto(self.base_url + path)
        self.check()

    def check(self) -> None:
        """Run axe-core on the current page; fail on any WCAG 2.2 A/AA violation. Saves a screenshot."""
        self.page.wait_for_load_state("load")
        if not self.page.evaluate("typeof window.axe !== 'undefined'"):
            # From the site's own static files, which the Content-Security-Policy allows (an inline copy it would not).
            self.page.add_script_tag(url=self.base_url + settings.STATIC_URL + "vendor/axe/axe.min.js")
        result = self.page.evaluate("(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        index = len(self.checked) + 1
        self.page.screenshot(path=str(SCREENSHOTS / f"{self.name}-{index:02d}.png"), full_page=True)
        self.checked.add(self.page.url)
        problems = [
            f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
            for v in result["violations"]
        ]
        assert not problems, f"Accessibility violations on {self.page.url}:\n" + "\n".join(problems)
        self.assert_no_csp_violations()

    def check_django_admin(self) -> None:
        """Django's own admin pages: the policy is checked, not accessibility, which is Django's to mend (its
        filter links are smaller than WCAG 2.2's touch targets). Saves a screenshot."""
        self.page.wait_for_load_state("load")
        index = len(self.checked) + 1
        self.page.screenshot(path=str(SCREENSHOTS / f"{self.name}-{index:02d}.png"), full_page=True)
        self.checked.add(self.page.url)
        self.assert_no_csp_violations()


@pytest.fixture(scope="session")
def live_server(django_db_setup: None, live_server):  # type: ignore[no-untyped-def]
    """pytest-django's live server, started after the test database exists so that it stops (closing its
    database connection) before the database is dropped."""
    return live_server


@pytest.fixture
def browse(
    page: Page, live_server, transactional_db: None, request: pytest.FixtureRequest
) -> Iterator[AccessibleBrowser]:
    browser = AccessibleBrowser(page, live_server.url, request.node.name)
    yield browser
    # Playwright's event loop gives this test its own database connection; close it, or PostgreSQL
    # refuses to drop the test database at the end of the run.
    connections.close_all()
    unchecked = [url for url in browser.opened if url not in browser.checked and url != "about:blank"]
    assert not unchecked, f"Pages opened but not checked with axe-core: {unchecked}"
    browser.assert_no_csp_violations()


def with_authenticator(user):
    """Pair an authenticator app with the account, as staff-level accounts must have before they can sign in;
    returns the user, so that it wraps a factory call."""
    TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    return user


def sign_in(browse: AccessibleBrowser, user) -> None:
    """Sign in through the form from a fresh session (whoever was signed in is signed out), entering the
    authenticator code when the account has an authenticator (see `with_authenticator`)."""
    page = browse.page
    page.context.clear_cookies()
    browse.goto("/account/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    browse.check()
    if "/two-factor/" in page.url:
        device = TOTPDevice.objects.filter(user=user, confirmed=True).latest("pk")
        if device.last_t >= 0:
            # A device accepts a code once, and a second sign-in can fall in the same 30 seconds: pair a fresh one.
            device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
        page.get_by_label("Security code").fill(f"{totp(device.bin_key):06d}")
        page.get_by_role("button", name="Continue").click()
        browse.check()


def fill_date(scope: Page | Locator, legend: str, value: datetime.date | str, *, exact: bool = False) -> None:
    """Type a date into the day, month and year boxes of the date input named by ``legend`` (any language:
    the boxes are found by their names, not their labels)."""
    when = value if isinstance(value, datetime.date) else datetime.date.fromisoformat(value)
    group = scope.get_by_role("group", name=legend, exact=exact)
    for suffix, part in (("day", when.day), ("month", when.month), ("year", when.year)):
        group.locator(f'input[name$="_{suffix}"]').fill(str(part))
