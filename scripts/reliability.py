"""Load and fault tests against gunicorn on loopback, with PostgreSQL and Redis.

    make reliability            # all four, full length; figures to docs/reliability.md
    scripts/reliability.py --short publish two-servers     # what CI runs

1. publish      wrk on a county page while a post is published every second and staff
                re-run import_seeds twice: no 5xx, no socket errors, every post on the
                page within the bound, never a county half-imported.
2. two-servers  two gunicorn instances sharing PostgreSQL and Redis: a post published
                through one is served by the other within the bound; a declaration made
                through one changes the scoreboard on both.
3. kill-worker  a worker killed under load: the master replaces it; errors counted.
4. database     PostgreSQL stopped for 10 s under load: 503 pages during, recovery after,
                nothing lost.

Every request goes to 127.0.0.1; every run is bounded in time and stops by itself.
Needs root on a Debian machine (it starts PostgreSQL and Redis, as CI does).
"""

import argparse
import html
import http.cookiejar
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import datetime
from pathlib import Path

from loopback import (
    ROOT,
    django_shell,
    free_port,
    manage,
    production_env,
    run_script,
    start_gunicorn,
    start_wrk,
    stop_postgres_if_started,
    wait_until_up,
    wrk_figures,
)
from rehearsal.clients import Form
from rehearsal.dom import parse

DOC = ROOT / "docs" / "reliability.md"
# The bound the goals state (README: PAGE_CACHE_SYNC_SECONDS, then a render).
BOUND_SECONDS = 2
STAFF = ("night-editor", "a long passphrase for the night")
COUNTY = "derbyshire"


class Site:
    """A prepared database, and gunicorn servers started on it."""

    def __init__(self, short):
        self.short = short
        self.servers = []
        # Stopped at the end if it was started here (stop_postgres_if_started).
        self.postgres_flag = Path(tempfile.mkstemp(prefix="reliability-postgres-")[1])
        self.database_url = run_script(
            "postgres-up",
            PG_DATABASE="election_reliability",
            PG_STARTED_FLAG=str(self.postgres_flag),
        )
        lines = run_script("redis-up").split("\n")
        self.redis_url = lines[0]
        self.redis_pid = lines[1].strip() if len(lines) > 1 else ""
        self.env = production_env(
            "reliability-tests",
            DATABASE_URL=self.database_url,
            REDIS_URL=self.redis_url,
            WEB_CONCURRENCY="2",
            PYTHONPATH=str(ROOT),
        )

    def prepare(self):
        """An empty database with the seeds, a staff member, and the cache emptied."""
        self.manage("migrate", "--verbosity", "0")
        self.manage("flush", "--noinput", "--verbosity", "0")
        self.shell(
            "from results.models import Election, Party; "
            "from results.reference import reference_data_create; "
            "reference_data_create(Election, Party); "
            "from django.contrib.auth.models import User; "
            f"User.objects.create_superuser({STAFF[0]!r}, password={STAFF[1]!r}); "
            "from django.core.cache import cache; cache.clear()"
        )
        self.manage("import_seeds", "--verbosity", "0")
        self.manage("collectstatic", "--noinput", "--verbosity", "0")

    def manage(self, *arguments):
        manage(self.env, *arguments)

    def shell(self, code):
        return django_shell(self.env, code)

    def start(self):
        port = free_port()
        process = start_gunicorn(self.env, port)
        self.servers.append(process)
        base = f"http://127.0.0.1:{port}"
        wait_until_up(base + "/healthz")
        return base, process

    def stop(self):
        for process in self.servers:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    process.kill()
        self.servers = []


def get(url, opener=None, timeout=5):
    """(status, text) for a GET; status 0 for a failed connection."""
    try:
        with (opener or urllib.request.build_opener()).open(url, timeout=timeout) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(errors="replace")
    except OSError:
        return 0, ""


def wrk(url, seconds, connections, extra=()):
    """Start wrk in the background; `.result()` waits and returns its figures."""
    process = start_wrk(url, seconds, connections, extra)

    class Run:
        @staticmethod
        def result():
            return wrk_figures(process, seconds)

    return Run


def titles(page):
    return [
        html.unescape(t) for t in re.findall(r'class="post__title"[^>]*><a [^>]*>([^<]*)</a>', page)
    ]


class Staff:
    """A staff member signed in to one server's admin, over plain HTTP."""

    def __init__(self, base):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        status, page = get(f"{base}/admin/login/", self.opener)
        self.post(
            "/admin/login/", {"username": STAFF[0], "password": STAFF[1], "next": "/admin/"}, page
        )

    def token(self, page):
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)

    def post(self, path, data, page=None):
        if page is None:
            page = get(self.base + path, self.opener)[1]
        data = {"csrfmiddlewaretoken": self.token(page), **data}
        request = urllib.request.Request(
            self.base + path,
            data=urllib.parse.urlencode(data, doseq=True).encode(),
            headers={"Referer": self.base + path},
        )
        with self.opener.open(request, timeout=10) as response:
            return response.status, response.read().decode()

    def publish(self, live_page_id, title):
        """Write a post in the admin and press Publish, as an editor does (a new post is
        otherwise a draft)."""
        status, page = self.post(
            "/admin/liveblog/post/add/",
            {
                "live_page": live_page_id,
                "title": title,
                "publish_at_0": "",
                "publish_at_1": "",
                "byline_name": "Night desk",
                "byline_role": "",
                "blocks-TOTAL_FORMS": "1",
                "blocks-INITIAL_FORMS": "0",
                "blocks-MIN_NUM_FORMS": "0",
                "blocks-MAX_NUM_FORMS": "1000",
                "blocks-0-position": "0",
                "blocks-0-kind": "paragraph",
                "blocks-0-text": f"{title}: published under load.",
                "_publish": "Publish",
            },
        )
        if "readers see it now" not in page:
            raise RuntimeError(f"the admin did not publish {title!r} (status {status})")


def live_page_id(site):
    return site.shell(
        "from liveblog.models import LivePage; "
        f"print(LivePage.objects.get(county__slug={COUNTY!r}).pk)"
    )


def wait_for(check, seconds):
    """Seconds until `check()` is true, or None if it is not within `seconds`."""
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        if check():
            return time.monotonic() - started
        time.sleep(0.1)
    return None


def publish_under_load(site):
    seconds = 20 if site.short else 60
    site.prepare()
    base, _ = site.start()
    page_id = live_page_id(site)
    staff = Staff(base)
    load = wrk(f"{base}/counties/{COUNTY}/", seconds, 64)
    delays, torn, checks = [], [], 0
    stop = threading.Event()

    def reader():
        # A reader who keeps reloading: every page must show the whole county.
        nonlocal checks
        while not stop.is_set():
            status, page = get(f"{base}/counties/{COUNTY}/")
            if status == 200:
                checks += 1
                seats = page.count('class="seats__name"')
                posts = len(titles(page))
                if seats != 11 or posts < 13:
                    torn.append((seats, posts))
            time.sleep(0.2)

    watcher = threading.Thread(target=reader)
    watcher.start()
    imports = []
    started = time.monotonic()
    number = 0
    while time.monotonic() - started < seconds - 2:
        number += 1
        title = f"Under load {number}"
        staff.publish(page_id, title)
        delay = wait_for(
            lambda t=title: t in titles(get(f"{base}/counties/{COUNTY}/")[1]), BOUND_SECONDS + 5
        )
        delays.append(delay)
        elapsed = time.monotonic() - started
        if len(imports) < 2 and elapsed > seconds * (len(imports) + 1) / 3:
            began = time.monotonic()
            site.manage("import_seeds", "--verbosity", "0")
            imports.append(time.monotonic() - began)
        time.sleep(max(0.0, 1 - (delay or 0)))
    stop.set()
    watcher.join()
    result = load.result()
    site.stop()
    late = [d for d in delays if d is None or d > BOUND_SECONDS]
    return {
        "scenario": "1. publish under load",
        "figures": {
            "wrk": f"{seconds} s, 64 connections: {result['requests']} requests, "
            f"{result['rps']:.0f}/s, p99 {result['p99']:.0f} ms",
            "5xx and other non-2xx": result["non_2xx"],
            "socket errors": result["socket_errors"],
            "posts published": len(delays),
            "slowest to appear": f"{max(d or 99 for d in delays):.2f} s (bound {BOUND_SECONDS} s)",
            "late or missing": len(late),
            "import_seeds runs": ", ".join(f"{s:.1f} s" for s in imports),
            "reader checks": checks,
            "half-imported pages seen": len(torn),
        },
        "passed": result["non_2xx"] == 0
        and result["socket_errors"] == 0
        and not late
        and not torn
        and len(imports) == 2,
    }


def two_servers(site):
    site.prepare()
    first, _ = site.start()
    second, _ = site.start()
    for base in (first, second):
        get(f"{base}/counties/{COUNTY}/")  # both have the page cached
        get(f"{base}/")
    staff = Staff(first)
    staff.publish(live_page_id(site), "Through the first server")
    post_delay = wait_for(
        lambda: "Through the first server" in titles(get(f"{second}/counties/{COUNTY}/")[1]),
        BOUND_SECONDS + 5,
    )
    dales = site.shell(
        "from results.models import Constituency, Party; "
        "print(Constituency.objects.get(slug='derbyshire-dales').pk, "
        "Party.objects.get(slug='labour').pk, Party.objects.get(slug='conservative').pk)"
    ).split()
    constituency, labour, conservative = dales
    path = f"/admin/results/declaration/{constituency}/change/"
    _, page = staff.post(
        path,
        {
            "outcome": "GAIN",
            "gained_from": conservative,
            "electorate": "",
            "turnout": "",
            "declared_at_0": "",
            "declared_at_1": "",
            "candidacies-TOTAL_FORMS": "2",
            "candidacies-INITIAL_FORMS": "0",
            "candidacies-MIN_NUM_FORMS": "1",
            "candidacies-MAX_NUM_FORMS": "1000",
            "candidacies-0-constituency": constituency,
            "candidacies-0-name": "John Whitby",
            "candidacies-0-party": labour,
            "candidacies-0-votes": "17759",
            "candidacies-1-constituency": constituency,
            "candidacies-1-name": "Sarah Dines",
            "candidacies-1-party": conservative,
            "candidacies-1-votes": "17409",
        },
    )
    confirmation = Form.of(parse(page))
    if confirmation is not None and "_confirm" in confirmation.buttons:
        # The desk's second step shows the result as readers will see it: publish it.
        _, page = staff.post(path, dict(confirmation.pairs("_confirm")), page)
    if "was changed successfully" not in page:
        errors = re.findall(r'<ul class="errorlist[^>]*>(.*?)</ul>', page, re.S)
        raise SystemExit(f"declaring Derbyshire Dales failed: {errors or page[:500]}")
    declared = {
        base: wait_for(
            lambda b=base: "<strong>8</strong> of 650 seats declared" in get(f"{b}/")[1],
            BOUND_SECONDS + 5,
        )
        for base in (first, second)
    }
    site.stop()
    return {
        "scenario": "2. two app servers, one PostgreSQL, one Redis",
        "figures": {
            "post from the first, on the second after": fmt(post_delay),
            "declaration on the first server's scoreboard after": fmt(declared[first]),
            "declaration on the second server's scoreboard after": fmt(declared[second]),
        },
        "passed": all(
            d is not None and d <= BOUND_SECONDS for d in (post_delay, *declared.values())
        ),
    }


def kill_worker(site):
    seconds = 20
    site.prepare()
    base, master = site.start()
    load = wrk(f"{base}/", seconds, 32)
    time.sleep(5)
    workers = children(master.pid)
    victim = workers[0]
    os.kill(victim, signal.SIGKILL)
    replaced = wait_for(
        lambda: len(children(master.pid)) == 2 and victim not in children(master.pid), 10
    )
    result = load.result()
    after = children(master.pid)
    site.stop()
    return {
        "scenario": "3. a worker killed under load",
        "figures": {
            "wrk": f"{seconds} s, 32 connections: {result['requests']} requests, "
            f"{result['rps']:.0f}/s",
            "worker killed": victim,
            "replaced after": fmt(replaced),
            "workers after": len(after),
            "errors (non-2xx + socket)": result["non_2xx"] + result["socket_errors"],
            "goal": "none beyond the requests in flight (at most 32)",
        },
        "passed": replaced is not None and result["non_2xx"] + result["socket_errors"] <= 32,
    }


def database_outage(site):
    site.prepare()
    base, _ = site.start()
    counts_before = database_counts(site)
    statuses = []
    stop = threading.Event()

    def reader(name):
        # A new search each time: a page not yet kept, so every request needs the database
        # (stray parameters would not do: the page cache ignores them).
        number = 0
        while not stop.is_set():
            number += 1
            status, page = get(f"{base}/search/?q=kettering{name}x{number}", timeout=3)
            statuses.append((time.monotonic(), status, "Back in a moment" in page))
            time.sleep(0.05)

    threads = [threading.Thread(target=reader, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    time.sleep(3)
    down_at = time.monotonic()
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", "15", "main", "stop", "-m", "fast"],
        check=True,
    )
    time.sleep(10)
    restart_at = time.monotonic()
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", "15", "main", "start"], check=True
    )
    up_at = time.monotonic()
    recovered = wait_for(lambda: get(f"{base}/search/?q=after{time.monotonic()}")[0] == 200, 30)
    time.sleep(3)
    stop.set()
    for thread in threads:
        thread.join()
    counts_after = database_counts(site)
    site.stop()
    # While down: from a second after the stop (requests in flight end) to the restart.
    during = [s for t, s, _ in statuses if down_at + 1 < t < restart_at]
    friendly = [f for t, s, f in statuses if down_at + 1 < t < restart_at and s == 503]
    after = [s for t, s, _ in statuses if t > up_at + (recovered or 0) + 1]
    return {
        "scenario": "4. PostgreSQL stopped for 10 s under load",
        "figures": {
            "requests while down": len(during),
            "503 while down": during.count(503),
            "503 pages that were the friendly page": sum(friendly),
            "other statuses while down": sorted({s for s in during if s != 503}),
            "restart took": fmt(up_at - restart_at),
            "first 200 after the restart": fmt(recovered),
            "requests after recovery, not 200": sum(1 for s in after if s != 200),
            "rows before / after": f"{counts_before} / {counts_after}",
        },
        "passed": during
        and during.count(503) == len(during)
        and recovered is not None
        and not any(s != 200 for s in after)
        and counts_before == counts_after,
    }


def database_counts(site):
    return site.shell(
        "from liveblog.models import Post; from results.models import Result, Candidacy; "
        "print(Post.objects.count(), Result.objects.count(), Candidacy.objects.count())"
    )


def children(pid):
    output = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout
    return [int(line) for line in output.split()]


def fmt(seconds):
    return "never" if seconds is None else f"{seconds:.2f} s"


SCENARIOS = {
    "publish": publish_under_load,
    "two-servers": two_servers,
    "kill-worker": kill_worker,
    "database": database_outage,
}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("scenarios", nargs="*", help=f"some of: {', '.join(SCENARIOS)}")
    parser.add_argument("--short", action="store_true", help="shorter runs, for CI")
    parser.add_argument("--record", action="store_true", help="append to docs/reliability.md")
    options = parser.parse_args()
    unknown = set(options.scenarios) - set(SCENARIOS)
    if unknown:
        parser.error(f"no such scenario: {', '.join(sorted(unknown))}")
    site = Site(options.short)
    reports = []
    try:
        for name in options.scenarios or SCENARIOS:
            report = SCENARIOS[name](site)
            reports.append(report)
            print(f"{report['scenario']}: {'passed' if report['passed'] else 'FAILED'}")
            for key, value in report["figures"].items():
                print(f"  {key}: {value}")
    finally:
        site.stop()
        if site.redis_pid:
            os.kill(int(site.redis_pid), signal.SIGTERM)
        stop_postgres_if_started(site.postgres_flag)
        site.postgres_flag.unlink(missing_ok=True)
    if options.record:
        record(reports, options.short)
    sys.exit(0 if all(report["passed"] for report in reports) else 1)


def record(reports, short):
    lines = [f"## Run of {datetime.now():%Y-%m-%d %H:%M}{' (short)' if short else ''}", ""]
    for report in reports:
        lines.append(f"**{report['scenario']}**: {'passed' if report['passed'] else 'FAILED'}")
        lines.append("")
        lines += [f"- {key}: {value}" for key, value in report["figures"].items()]
        lines.append("")
    DOC.parent.mkdir(exist_ok=True)
    header = DOC.read_text() if DOC.exists() else RELIABILITY_HEADER
    DOC.write_text(header.rstrip("\n") + "\n\n" + "\n".join(lines))


RELIABILITY_HEADER = """# Reliability: load and fault tests

Written by `scripts/reliability.py` (`make reliability`): gunicorn (2 sync workers per
instance) on 127.0.0.1, PostgreSQL 15 and Redis on loopback, wrk for the load. The
staleness bound is PAGE_CACHE_SECONDS, 10 s; with Redis shared by every server a change
is usually on the page at the next request. Newest runs last.
"""


if __name__ == "__main__":
    main()
