"""Real-browser journeys: headless Debian Chromium through Selenium against pytest-django's live_server.

`browser` (one Chromium for the whole session, cookies cleared per test) gives a `Browser` helper:
- `visit(path)` / `submit(element)`: load a page, then check it (`check_page`):
  * axe-core (static/vendor/axe-core) is injected through WebDriver and run with the WCAG 2.0/2.1
    A and AA rules; a *serious* or *critical* violation fails the test (rule, impact, target, help);
  * the browser console must hold no Content-Security-Policy violation;
  * a screenshot goes to artifacts/screenshots/<test>-<nn>-<name>.png (a test artefact, gitignored).
- `login(email)` through the real sign-in form, or `login_as(user)` with a session cookie (faster).

Chromium missing: the tests skip on a laptop and fail under CI=true (tests.conftest.require_service).
"""

import re
import shutil
import tempfile
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from ..conftest import PASSWORD, require_service

ROOT = Path(__file__).resolve().parents[2]
AXE_JS = ROOT / "static" / "vendor" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING_IMPACTS = {"serious", "critical"}
WAIT_SECONDS = 30  # generous: CI machines can be slow; a passing page is never waited on

# axe.run is asynchronous: WebDriver's execute_async_script passes a callback as the last argument.
AXE_RUN = """
const done = arguments[arguments.length - 1];
axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}, resultTypes: ['violations']})
  .then(result => done(result.violations.map(v => ({
      id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
      nodes: v.nodes.map(n => ({target: n.target, impact: n.impact, summary: n.failureSummary}))}))))
  .catch(error => done({error: String(error)}));
"""


def _chromium_available() -> bool:
    return Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()


def gettext_in(language: str):
    """The project's own translation of a msgid in `language`: journeys assert what users read."""

    def t(message: str) -> str:
        with translation.override(language):
            return translation.gettext(message)

    return t


class Browser:
    """One journey's view of Chromium: pages are checked (axe, CSP) and photographed as they load."""

    def __init__(self, driver, base_url: str, name: str, language: str):
        self.driver = driver
        self.base_url = base_url
        self.name = name
        self.language = language
        self.t = gettext_in(language)
        self.shots = 0

    # --- navigation -------------------------------------------------------------------------------
    def url(self, path: str) -> str:
        return self.base_url + path

    @property
    def path(self) -> str:
        return self.driver.current_url.removeprefix(self.base_url)

    def visit(self, path: str, shot: str, *, photo: bool = True, axe: bool = True) -> None:
        self.driver.get(self.url(path))
        self.check_page(shot, photo=photo, axe=axe)

    def submit(self, element, shot: str, *, accept_confirm: str | None = None) -> None:
        """Click a submit button (or link) and wait for the next page; accept a JS confirm if asked."""
        from selenium.webdriver.support import expected_conditions as ec
        from selenium.webdriver.support.ui import WebDriverWait

        old_html = self.driver.find_element("tag name", "html")
        self.click(element)
        if accept_confirm is not None:
            alert = WebDriverWait(self.driver, WAIT_SECONDS).until(ec.alert_is_present())
            assert accept_confirm in alert.text, alert.text
            alert.accept()
        WebDriverWait(self.driver, WAIT_SECONDS).until(lambda d: _gone(old_html))
        WebDriverWait(self.driver, WAIT_SECONDS).until(
            lambda d: d.execute_script("return document.readyState") == "complete"
        )
        self.check_page(shot)

    def click(self, element) -> None:
        """Click like a user: scrolled into the middle of the window first (the footer covers the bottom)."""
        self.driver.execute_script("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'});", element)
        element.click()

    # --- finding things ---------------------------------------------------------------------------
    def find(self, css: str):
        return self.driver.find_element("css selector", css)

    def find_all(self, css: str):
        return self.driver.find_elements("css selector", css)

    def button(self, text: str, within=None):
        """The submit button whose visible text starts with `text` (the translated label)."""
        scope = within or self.driver
        for element in scope.find_elements("css selector", "button, input[type=submit]"):
            label = (element.text or element.get_attribute("value") or "").strip()
            if label.startswith(text):
                return element
        raise AssertionError(f"no button {text!r} on {self.path}")

    def link(self, text: str):
        return self.driver.find_element("partial link text", text)

    def fill(self, css: str, value: str) -> None:
        element = self.find(css)
        element.clear()
        element.send_keys(value)

    def set_value(self, css: str, value: str) -> None:
        """Set a native widget Chrome renders in the locale (date inputs) to an ISO value."""
        element = self.find(css)
        self.driver.execute_script(
            "arguments[0].value = arguments[1];"
            "arguments[0].dispatchEvent(new Event('input', {bubbles: true}));"
            "arguments[0].dispatchEvent(new Event('change', {bubbles: true}));",
            element,
            value,
        )

    def select(self, css: str, *, value: str) -> None:
        from selenium.webdriver.support.ui import Select

        Select(self.find(css)).select_by_value(value)

    @property
    def text(self) -> str:
        return self.find("body").text

    @property
    def main_text(self) -> str:
        return self.find("main").text

    # --- checks -----------------------------------------------------------------------------------
    def check_page(self, shot: str, *, photo: bool = True, axe: bool = True) -> None:
        """Screenshot, then fail on a CSP violation or a serious/critical WCAG 2.1 A/AA violation.
        `photo=False`: the caller photographs the page itself; `axe=False`: the caller has had this
        page checked by axe already (the same page at the same width in another language)."""
        self.shots += 1
        if photo:
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            slug = re.sub(r"[^A-Za-z0-9_.-]+", "-", f"{self.name}-{self.shots:02d}-{shot}")
            self.driver.save_screenshot(str(SCREENSHOTS / f"{slug}.png"))
        html_lang = self.driver.find_element("tag name", "html").get_attribute("lang")
        assert html_lang == self.language, f"{self.path}: page in {html_lang!r}, expected {self.language!r}"
        self.assert_no_csp_violation()
        if axe:
            self.assert_accessible()

    def assert_no_csp_violation(self) -> None:
        entries = self.driver.get_log("browser")
        csp = [e["message"] for e in entries if "Content Security Policy" in e.get("message", "")]
        assert not csp, f"{self.path}: Content-Security-Policy violations:\n" + "\n".join(csp)

    def assert_accessible(self) -> None:
        if not self.driver.execute_script("return typeof window.axe !== 'undefined'"):
            self.driver.execute_script(_axe_source())
        violations = self.driver.execute_async_script(AXE_RUN, WCAG_TAGS)
        assert not (isinstance(violations, dict) and "error" in violations), violations
        blocking = [v for v in violations if v["impact"] in BLOCKING_IMPACTS]
        assert not blocking, f"{self.path}: serious/critical accessibility violations:\n" + "\n".join(
            f"- {v['id']} ({v['impact']}): {v['help']} [{v['helpUrl']}]\n"
            + "\n".join(f"    at {n['target']}: {n['summary']}" for n in v["nodes"][:8])
            for v in blocking
        )

    # --- signing in -------------------------------------------------------------------------------
    def choose_language(self) -> None:
        """On the current page, switch with the language button if the page is not in our language."""
        if self.driver.find_element("tag name", "html").get_attribute("lang") != self.language:
            self.submit(self.find(f".language-switch button[value={self.language}]"), "language")

    def login(self, email: str, password: str = PASSWORD) -> None:
        """Sign in through the real form (switching language there first, as a visitor would)."""
        self.driver.get(self.url("/konto/login/"))
        self.choose_language()
        self.check_page("sign-in")
        self.fill("input[name=username]", email)
        self.fill("input[name=password]", password)
        self.submit(self.button(self.t("Sign in"), within=self.find("main")), "signed-in")
        assert "/konto/login/" not in self.path, f"sign-in failed: {self.main_text[:300]}"

    def login_as(self, user) -> None:
        """Sign in by planting a session cookie (a journey that is not about signing in)."""
        client = Client()
        client.force_login(user)
        self.driver.delete_all_cookies()
        # Cookies can only be set for the current origin: open a cheap page on it first.
        self.driver.get(self.url("/healthz"))
        self.driver.add_cookie(
            {"name": settings.SESSION_COOKIE_NAME, "value": client.cookies[settings.SESSION_COOKIE_NAME].value}
        )
        self.driver.add_cookie({"name": settings.LANGUAGE_COOKIE_NAME, "value": self.language})


_AXE_SOURCE: list[str] = []


def _gone(element) -> bool:
    """True once the old page's element is detached. Chromium sometimes reports a detached node as
    "Node with given id does not belong to the document" instead of a stale element: both mean gone."""
    from selenium.common.exceptions import WebDriverException

    try:
        element.is_enabled()
    except WebDriverException:
        return True
    return False


def _axe_source() -> str:
    if not _AXE_SOURCE:
        _AXE_SOURCE.append(AXE_JS.read_text(encoding="utf-8"))
    return _AXE_SOURCE[0]


@pytest.fixture(scope="session")
def chromium():
    """One headless Chromium for the session (starting one costs about a second)."""
    if not _chromium_available():
        require_service("Chromium (apt-get install chromium chromium-driver)", False)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="sba-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--window-size=1280,1024",
        "--lang=sv-SE",  # a Swedish browser: the English journeys switch language like a visitor would
        f"--user-data-dir={profile}",
    ):
        options.add_argument(flag)
    options.add_experimental_option("prefs", {"intl.accept_languages": "sv-SE,sv"})
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    # With the driver's path given, Selenium Manager is skipped: nothing is ever downloaded.
    driver = webdriver.Chrome(options=options, service=Service(executable_path=CHROMEDRIVER))
    driver.set_page_load_timeout(60)
    driver.set_script_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture
def browser_for(chromium, django_db_setup, live_server, request):
    """browser_for(language) -> Browser named after the test; cookies and console cleared.

    (django_db_setup before live_server: the browser tests run first in a worker, and session
    fixtures end in reverse order, so the live server stops before the test database is dropped.)"""

    def make(language: str) -> Browser:
        chromium.delete_all_cookies()
        chromium.get_log("browser")  # drop what earlier tests left in the console
        name = re.sub(r"[^A-Za-z0-9_.-]+", "-", re.sub(r"^test_", "", request.node.name)).strip("-")
        for old in SCREENSHOTS.glob(f"{name}-*.png"):  # no stale pictures from an earlier run
            old.unlink()
        return Browser(chromium, live_server.url, name, language)

    return make
