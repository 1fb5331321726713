"""Without Redis (`make run`: a local memory cache in each process), a change made by
another process (a second `manage.py`, `rehearse_night`) reaches every page within
DATA_CACHE_SECONDS (1 s), as the README promises: pages are rendered on every request
there (no Varnish in front), from figures kept for at most that long (pages.data_cache).

The other process's write is simulated by writing here with its announcements dropped:
this process hears nothing of it, as it would hear nothing of another's.
"""

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from liveblog.models import LivePage
from results.models import Constituency, Region, Result
from results.signals import changes_held
from tests.pages import text_of

MANAGE = Path(__file__).resolve().parent.parent / "manage.py"

SINCE = "/counties/northamptonshire/updates/?since={since}"


def written_elsewhere(write):
    """`write()` as another process makes it: nothing announced to this one."""
    with changes_held():  # held, and dropped: never sent
        write()


def what_readers_see(client, since):
    """What each kind of page says of Kettering and the count, as a reader sees it."""
    pages = {
        "county": text_of(client.get("/counties/northamptonshire/")),
        "county updates": text_of(client.get(SINCE.format(since=since))),
        "region": text_of(client.get("/regions/east-midlands/")),
        "home": text_of(client.get("/")),
        "still to declare": text_of(client.get("/lists/still-to-declare/")),
        "seat": text_of(client.get("/constituencies/kettering/")),
    }
    api = client.get("/api/v1/scoreboard").json()
    return {
        "county": re.search(r"\d of 7 seats declared", pages["county"])[0],
        "county updates": re.search(r"\d of 7 seats declared", pages["county updates"])[0],
        "region": re.search(r"\d of 7 seats declared", pages["region"])[0],
        "home": re.search(r"\d+ of 650 seats declared", pages["home"])[0],
        "strip": re.search(r"\d+ seats to go", pages["county"])[0],
        "still to declare": "Kettering" in pages["still to declare"],
        "seat": "Awaiting declaration" in pages["seat"],
        "api": api["seats_declared"],
    }


@pytest.fixture
def local_cache_only(settings):
    settings.DATA_CACHE_SHARED = False  # as `make run`: no REDIS_URL
    settings.DATA_CACHE_SECONDS = 1


@pytest.mark.django_db
def test_a_change_made_by_another_process_reaches_every_page_in_time(
    client, seeded, local_cache_only, settings
):
    Constituency.objects.filter(county__slug="northamptonshire").update(
        region=Region.objects.create(
            name="East Midlands", slug="east-midlands", ons_code="E12000004", nation="England"
        )
    )
    since = LivePage.objects.get(county__slug="northamptonshire").sequence
    before = {
        "county": "7 of 7 seats declared",
        "county updates": "7 of 7 seats declared",
        "region": "7 of 7 seats declared",
        "home": "7 of 650 seats declared",
        "strip": "643 seats to go",
        "still to declare": False,
        "seat": False,
        "api": 7,
    }
    assert what_readers_see(client, since) == before

    written_elsewhere(lambda: Result.objects.filter(constituency__slug="kettering").delete())
    time.sleep(settings.DATA_CACHE_SECONDS + 0.05)
    assert what_readers_see(client, since) == {
        "county": "6 of 7 seats declared",
        "county updates": "6 of 7 seats declared",
        "region": "6 of 7 seats declared",
        "home": "6 of 650 seats declared",
        "strip": "644 seats to go",
        "still to declare": True,
        "seat": True,
        "api": 6,
    }


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def declared_in_northamptonshire(address):
    with urllib.request.urlopen(address + "/counties/northamptonshire/", timeout=10) as page:
        html = page.read().decode()
    return re.search(r"<strong>(\d+)</strong> of 7 seats declared", html)[1]


def test_two_real_processes_on_one_sqlite_file(tmp_path):
    """As the README's `make run`: a server, and a second `manage.py` writing to its
    database, each with its own local memory cache."""
    env = {
        **os.environ,
        "DJANGO_DEBUG": "1",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "REDIS_URL": "",
    }

    def manage(*arguments):
        subprocess.run(
            [sys.executable, str(MANAGE), *arguments], env=env, check=True, capture_output=True
        )

    manage("migrate", "--verbosity", "0")
    manage("import_seeds", "--verbosity", "0")
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, str(MANAGE), "runserver", "--noreload", f"127.0.0.1:{port}"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    address = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                before = declared_in_northamptonshire(address)
                break
            except OSError:
                time.sleep(0.1)
        assert before == "7"
        assert declared_in_northamptonshire(address) == "7"  # kept
        manage(
            "shell",
            "-c",
            "from results.models import Result; "
            "Result.objects.filter(constituency__slug='kettering').delete()",
        )
        changed = time.monotonic()
        time.sleep(1.05)  # DATA_CACHE_SECONDS, as `make run` has it
        assert declared_in_northamptonshire(address) == "6"
        assert time.monotonic() - changed < 10
    finally:
        server.terminate()
        server.wait(timeout=10)
