"""The night replayed end to end: a database prepared the README's way, the site served
as in production, every seat declared through the desk's form, posts published, readers'
pages polled, and each page compared with the oracle after every declaration."""

import json
import re
import shutil
import subprocess
import tempfile
import time
import unicodedata
from collections import Counter
from pathlib import Path

from loopback import ROOT, free_port, production_env, start_gunicorn, stop, wait_until_up

from rehearsal.clients import ApiReader, Browser, Desk, Editor, Reader, Refused
from rehearsal.dom import parse
from rehearsal.oracle import CANDIDATES, CONSTITUENCIES, NOTIONALS, TIMES, TOTAL_SEATS, Night
from rehearsal.pages import Checker

PY = ROOT / ".venv" / "bin" / "python"
DATA = ROOT.parent / "shared" / "data" / "ge2024"
MANIFEST = ROOT / "fixtures" / "seeds" / "manifest.toml"
PASSWORD = "a rehearsal password, never a real one"
DESK, EDITOR = "rehearsal-desk", "rehearsal-editor"


def slug(name):
    """A name's address as the README says: "&" read as "and", an apostrophe joined."""
    name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", name.replace("&", "and").replace("'", "")).strip("-")


class Site:
    """The site on a temporary SQLite file, prepared as the README says, served by
    gunicorn (one worker: every page sees a change at the next request, as the README
    promises for one process) with debug off on 127.0.0.1 and a free port."""

    def __init__(self, data, say):
        self.data = Path(data)
        self.say = say
        self.folder = Path(tempfile.mkdtemp(prefix="rehearse-"))
        self.process = None
        self.log = None
        self.env = production_env(
            "rehearsal",
            DATABASE_URL=f"sqlite:///{self.folder / 'night.sqlite3'}",
            STATIC_ROOT=str(self.folder / "static"),
            MEDIA_ROOT=str(self.folder / "media"),
            WEB_CONCURRENCY="1",
        )
        self.env.pop("REDIS_URL", None)  # the cache in the process's memory, as `make run`

    def manage(self, *arguments):
        started = time.monotonic()
        result = subprocess.run(
            [str(PY), "manage.py", *arguments],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
        )
        if result.returncode:
            raise SystemExit(f"manage.py {' '.join(arguments)} failed:\n{result.stderr}")
        self.say(f"  manage.py {arguments[0]}: {time.monotonic() - started:.1f} s")
        return result.stdout

    def prepare(self):
        """The README's way, from an empty database: migrate, the seeds, the nominations;
        then rehearse_night's clearing (--limit 0) takes off the seven results the seeds
        bring, so that the night starts with nothing declared and every seat is declared
        through the desk's form."""
        self.manage("migrate", "--verbosity", "0")
        self.manage("import_seeds")
        # The file names the oracle reads (rehearsal.oracle, which imports nothing of
        # the site's): the site's own list is results.national.LIBRARY_FILES.
        files = {"candidates": CANDIDATES, "notionals": NOTIONALS}
        nominations = [f"--{k}={self.data / v}" for k, v in files.items()]
        self.manage("import_national", "--no-results", *nominations)
        library = {**files, "constituencies": CONSTITUENCIES, "declarations": TIMES}
        cleared = self.manage(
            "rehearse_night",
            "--yes",
            "--limit",
            "0",
            *(f"--{k}={self.data / v}" for k, v in library.items()),
        )
        self.say("  " + cleared.strip().splitlines()[-1])
        self.manage("collectstatic", "--noinput", "--verbosity", "0")
        self.manage(
            "shell",
            "--verbosity",
            "0",
            "-c",
            "from django.contrib.auth.models import Group, User\n"
            f"for name, group in (({DESK!r}, 'Results desk'), ({EDITOR!r}, 'Editors')):\n"
            f"    user = User.objects.create_user(name, password={PASSWORD!r}, is_staff=True)\n"
            "    user.groups.add(Group.objects.get(name=group))\n",
        )

    def start(self):
        port = free_port()
        self.log = open(self.folder / "gunicorn.log", "w")  # noqa: SIM115 (closed in stop)
        self.process = start_gunicorn(self.env, port, self.log)
        base = f"http://127.0.0.1:{port}"
        wait_until_up(base + "/healthz")
        self.say(f"  gunicorn (pid {self.process.pid}) on {base}, debug off, one worker")
        return base

    def stop(self, keep=False):
        stop(self.process)
        if self.log:
            self.log.close()
        if keep:
            self.say(f"  kept {self.folder}")
        else:
            shutil.rmtree(self.folder, ignore_errors=True)


class Rehearsal:
    def __init__(self, base, night, seats, every, county, region, seat, say):
        self.night = night
        self.say = say
        self.plan = night.seats[:seats]
        self.every = every
        self.county = next(s.county for s in night.seats if s.county and slug(s.county) == county)
        self.county_seats = night.in_county(self.county)
        self.region_seats = [s for s in night.seats if slug(s.region) == region]
        self.seat = next(s for s in night.seats if slug(s.name) == seat)
        self.checker = Checker(night)
        self.desk = Desk(base)
        self.desk.login(DESK, PASSWORD)
        self.desk.find_seats()
        self.editor = Editor(base)
        self.editor.login(EDITOR, PASSWORD)
        self.readers = {
            "home": Reader(base, "/"),
            "county": Reader(base, f"/counties/{county}/"),
            "region": Reader(base, f"/regions/{region}/"),
            "seat": Reader(base, f"/constituencies/{seat}/"),
            "api": ApiReader(base, "/api/v1/scoreboard"),
        }
        self.api = Browser(base)  # asks for each seat just declared
        self.published = 0
        self.checks = 0
        self.disagreements = []
        self.timings = {"desk": 0.0, "editor": 0.0, "readers": 0.0}

    def run(self):
        if self.night.exit_poll:
            # 22:00, polls close: the desk types in the broadcasters' exit poll.
            try:
                self.desk.enter_exit_poll(self.night.exit_poll)
            except Refused as refused:
                self.disagree(0, "22:00", "exit poll form", f"refused: {refused}", "saved")
        self.check(0, "before the first declaration")
        for n, seat in enumerate(self.plan, 1):
            started = time.monotonic()
            try:
                self.desk.declare(seat)
            except Refused as refused:
                self.disagree(n, seat.name, "desk form", f"refused: {refused}", "saved")
            self.timings["desk"] += time.monotonic() - started
            if seat.county == self.county:
                # Its drafted result post, published in one click as an editor would.
                started = time.monotonic()
                try:
                    self.editor.publish_result_post(seat.name)
                    self.published += 1
                except Refused as refused:
                    self.disagree(n, seat.name, "result posts", f"refused: {refused}", "published")
                self.timings["editor"] += time.monotonic() - started
            if self.every and n % self.every == 0:
                started = time.monotonic()
                try:
                    self.editor.publish(
                        self.county,
                        f"Rehearsal: {seat.name} has declared",
                        f"{seat.winner.name} wins {seat.name} by {seat.majority:,} votes.",
                    )
                    self.published += 1
                except Refused as refused:
                    self.disagree(n, seat.name, "post form", f"refused: {refused}", "published")
                self.timings["editor"] += time.monotonic() - started
            self.check(n, seat.name)

    def check(self, n, step):
        started = time.monotonic()
        for reader in self.readers.values():
            reader.poll()
        self.timings["readers"] += time.monotonic() - started
        r = self.readers
        found = (
            self.checker.home(r["home"].document, n)
            + self.checker.county(r["county"].document, self.county_seats, n)
            + self.checker.region(r["region"].document, self.region_seats, n)
            + self.checker.seat(r["seat"].document, self.seat, n)
            + self.checker.api(r["api"].data, n)
            + self.checker.exit_poll_home(r["home"].document, n)
            + self.checker.exit_poll_strip("county", r["county"].document, n)
        )
        # The list of seats still to declare, as a reader who reloads it sees it.
        status, _, text = self.api.get("/lists/still-to-declare/")
        found += self.checker.still_to_declare(parse(text), n)
        self.checks += 1
        if n:
            seat = self.plan[n - 1]
            status, _, text = self.api.get(f"/api/v1/constituencies/{slug(seat.name)}")
            found += self.checker.seat_api(json.loads(text) if status == 200 else None, seat)
            self.checks += 1
        if len(r["county"].offered) != self.published:
            found.append(
                (
                    "county",
                    f"{len(r['county'].offered)} new posts offered",
                    f"{self.published} (published)",
                )
            )
        self.checks += 5
        for page, shows, expected in found:
            self.disagree(n, step, page, shows, expected)

    def disagree(self, n, step, page, shows, expected):
        self.disagreements.append((n, step, page, shows, expected))
        self.say(f"DISAGREE step {n} ({step}) {page}: shows {shows!r}; expected {expected!r}")


def rehearse(
    *,
    data=DATA,
    seats=TOTAL_SEATS,
    every=5,
    county="derbyshire",
    region="north-east",
    seat="erewash",
    keep=False,
    say=print,
):
    """Run the night; (summary line, disagreements, figures)."""
    started = time.monotonic()
    night = Night(data, MANIFEST)
    site = Site(data, say)
    say("Preparing the site the README's way:")
    try:
        site.prepare()
        base = site.start()
        prepared = time.monotonic() - started
        rehearsal = Rehearsal(base, night, seats, every, county, region, seat, say)
        night_started = time.monotonic()
        rehearsal.run()
        replayed = time.monotonic() - night_started
    finally:
        site.stop(keep)
    n = len(rehearsal.plan)
    total = time.monotonic() - started
    d = len(rehearsal.disagreements)
    summary = (
        f"{n} seats declared, {rehearsal.checks:,} page checks, {d:,} disagreement"
        f"{'' if d == 1 else 's'}, {total:.0f} s"
    )
    clients = (rehearsal.desk, rehearsal.editor, rehearsal.api, *rehearsal.readers.values())
    requests = sum(c.requests for c in clients)
    pages = Counter(page for _, _, page, _, _ in rehearsal.disagreements)
    if pages:
        say("Disagreements by page: " + ", ".join(f"{p} {c:,}" for p, c in pages.most_common()))
    figures = {
        "prepared_s": prepared,
        "replayed_s": replayed,
        "total_s": total,
        "requests": requests,
        "posts": rehearsal.published,
        "confirmations": rehearsal.desk.confirmations,
        "desk_s_per_seat": rehearsal.timings["desk"] / max(n, 1),
        "readers_s_per_step": rehearsal.timings["readers"] / (n + 1),
        "editor_s_per_post": rehearsal.timings["editor"] / max(rehearsal.published, 1),
    }
    return summary, rehearsal.disagreements, figures
