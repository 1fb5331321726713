"""Browser tests: Playwright driving the machine's Chromium against a live server.

`playwright install` cannot download browsers here, so Playwright is pointed at the
Debian `chromium` binary. Without one the browser tests are skipped, except in CI
(CI=true), where a missing browser is a failure.
"""

import os
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connections
from django.db.backends.signals import connection_created
from django.test import override_settings

from results.models import Election, Party
from results.reference import reference_data_create
from tests.conftest import PASSWORD
from tests.national_data import import_national_arguments, national_data

CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium")
IN_CI = os.environ.get("CI") == "true"
E2E_DIR = Path(__file__).resolve().parent
SCREENSHOTS = E2E_DIR.parent.parent / "docs" / "screenshots"
# The browser tests photograph their pages for docs/screenshots only when asked
# (`make screenshots`): a full-page picture of the home page is 9,000 px tall, and a
# test run should not rewrite the repository's files.
WRITE_SCREENSHOTS = os.environ.get("WRITE_SCREENSHOTS") == "1"
LAUNCH_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
WIDTHS = (375, 1280)


@pytest.fixture
def national_site(site):
    """The live site with every seat in the country imported from the Library's files."""
    call_command("import_national", *import_national_arguments(national_data()), verbosity=0)
    return site


def screenshot(page, name, full_page=True):
    """docs/screenshots/<name>.png of the page, where screenshots are asked for."""
    if WRITE_SCREENSHOTS:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=full_page)


# The pages with every seat in the country that tests/e2e/test_national_pages.py checks
# with axe at each width (and photographs): other tests of those pages check the rest.
NATIONAL_PAGES = {
    "home-national": "/",
    "home-replayed": "/?at=03:00",
    "map-gains": "/?view=gains",
    "every-seat": "/constituencies/",
    "every-seat-filtered": "/constituencies/?nation=scotland&outcome=gain&sort=-majority",
    "regions": "/regions/",
    "region": "/regions/london/",
    "parties": "/parties/",
    "party-national": "/parties/reform-uk/",
    "list": "/lists/closest-results/",
    "defeated-mps": "/lists/defeated-mps/",
    "seat-national": "/constituencies/leicester-south/",
    "data": "/data/",
}


def pytest_collection_modifyitems(config, items):
    for item in items:
        if E2E_DIR in Path(item.fspath).parents:
            item.add_marker(pytest.mark.e2e)
            item.add_marker(
                pytest.mark.skipif(
                    not CHROMIUM and not IN_CI,
                    reason="no Chromium: install Debian's chromium (make test does, as root)",
                )
            )


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not CHROMIUM:
        pytest.fail("CI=true but there is no Chromium: the browser tests must run in CI")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": LAUNCH_FLAGS}


@pytest.fixture(scope="session", autouse=True)
def plain_http_live_server():
    """The live server speaks plain HTTP. Session scope, because the server's middleware
    reads these settings once, when it starts, before any test's own fixtures run."""
    with override_settings(
        SECURE_SSL_REDIRECT=False, SESSION_COOKIE_SECURE=False, CSRF_COOKIE_SECURE=False
    ):
        yield


@pytest.fixture(scope="package", autouse=True)
def allow_orm_beside_playwright():
    """Let the browser tests use the ORM while Playwright's event loop runs.

    Playwright's sync API runs an event loop in the test thread, and Django refuses ORM
    calls from such a thread unless told it is safe, which it is here. Package scope:
    set for the browser tests only, and still set while their databases are flushed.
    """
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if previous is None:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


def read_beside_writers(connection, **kwargs):
    # The test database is SQLite in memory with a shared cache, where a reader meets a
    # writer's table lock at once ("database table is locked") instead of waiting for
    # it as with a file: the live server reads while the test writes through the ORM.
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA read_uncommitted = 1")


connection_created.connect(read_beside_writers, dispatch_uid="e2e-read-uncommitted")


@pytest.fixture
def site(live_server, transactional_db):
    """The live server's address, with the seeds imported.

    Each browser test empties the database afterwards, taking with it what the data
    migration created, so that is put back first.
    """
    for connection in connections.all(initialized_only=True):
        read_beside_writers(connection)
    reference_data_create(Election, Party)
    call_command("import_seeds", verbosity=0)
    return live_server.url


AXE = E2E_DIR.parent.parent / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def violations_at(page, url, width, axe=True):
    """Open `url`, which must answer 200 and be no wider than the screen (`width`), and
    give its axe violations (none looked for where `axe` is false)."""
    response = page.goto(url)
    assert response.status == 200, url
    assert page.evaluate("document.documentElement.scrollWidth") <= width, url
    return axe_violations(page) if axe else []


def axe_violations(page):
    """axe-core's WCAG 2.2 A and AA violations on the page: [(rule, [targets])]."""
    if not AXE.exists():
        if IN_CI:
            pytest.fail(f"CI=true but {AXE} is missing: npm ci installs it")
        pytest.skip("axe-core is not installed (npm ci installs it; make test does)")
    # From the page's own origin, as its Content-Security-Policy allows no inline script.
    page.route("**/__axe__.js", lambda route: route.fulfill(path=str(AXE)))
    page.add_script_tag(url="/__axe__.js")
    violations = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}}).then("
        "results => results.violations.map(v => [v.id, v.nodes.map(n => n.target.join(' '))]))",
        WCAG_TAGS,
    )
    return [(rule, targets) for rule, targets in violations]


class Problems:
    """Console errors, uncaught exceptions and failed requests seen by a page."""

    def __init__(self, page, expected_statuses=()):
        self.found = []
        self.expected = set(expected_statuses)
        page.on("console", self.console)
        page.on("pageerror", lambda error: self.found.append(f"exception: {error}"))
        page.on("requestfailed", self.request_failed)
        page.on("response", self.response)

    def request_failed(self, request):
        # Cancelled, not failed: the page moved on before it arrived (a favicon, say).
        if request.failure == "net::ERR_ABORTED":
            return
        self.found.append(f"failed: {request.url} ({request.failure})")

    def console(self, message):
        if message.type != "error":
            return
        # The browser logs each error response too; those expected are not problems.
        if any(f"status of {status} " in message.text for status in self.expected):
            return
        self.found.append(f"console: {message.text}")

    def response(self, response):
        if response.status >= 400 and response.status not in self.expected:
            self.found.append(f"{response.status}: {response.url}")


@pytest.fixture
def problems(page):
    return Problems(page)


def login(page, site, username, password):
    page.goto(f"{site}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("input[type=submit]")
    page.wait_for_url(f"{site}/admin/")


def signed_in(browser, site, username, width):
    """A new browser window `width` pixels wide, signed in to the admin as `username`
    (with the tests' PASSWORD), and what goes wrong on its pages."""
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    problems = Problems(page)
    login(page, site, username, PASSWORD)
    return page, problems
