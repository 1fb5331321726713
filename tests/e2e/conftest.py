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
from django.test import override_settings

from results.models import Election, Party
from results.reference import reference_data_create

CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium")
IN_CI = os.environ.get("CI") == "true"
E2E_DIR = Path(__file__).resolve().parent
SCREENSHOTS = E2E_DIR.parent.parent / "docs" / "screenshots"
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


@pytest.fixture
def site(live_server, transactional_db):
    """The live server's address, with the seeds imported.

    Each browser test empties the database afterwards, taking with it what the data
    migration created, so that is put back first.
    """
    reference_data_create(Election, Party)
    call_command("import_seeds", verbosity=0)
    return live_server.url
