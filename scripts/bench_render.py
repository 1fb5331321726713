"""How long each kind of reader page takes to render, on the test client, uncached.

    make bench-render

Sets up a SQLite database in a scratch directory with the seeds and every seat in the
country (the House of Commons Library files in ../shared/data/ge2024, see README), and
gives the Northamptonshire live page 20 posts or more, a full first page. Then, for each
page, the median of RUNS renders of two kinds:

- *after a change*: what the night costs. Before each render the page's own tag is
  bumped, as a change to what it shows would (pages.invalidation; for the national
  pages, a declaration's: the nation's, its seat's and its region's); the parts other pages
  share and that change did not touch (each post's article, the national strip when
  the change is not national) stay kept, as they would be.
- *from nothing*: the cache emptied before each render; every part rendered too.

The reference is the trivial view (/healthz) on the same client in the same run: each
figure is also given as a multiple of it. Prints a table and writes it to the "Renders"
section of docs/benchmarks.md. Nothing here asserts the figures; the goals are beside them.
"""

import os
import statistics
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench_import import DATA, FILES  # noqa: E402
from docs_section import replace_section  # noqa: E402

DOC = ROOT / "docs" / "benchmarks.md"
RUNS = int(os.environ.get("BENCH_RUNS", "40"))
POSTS_ON_A_PAGE = 20
# What a declaration in Kettering bumps that the national pages show: the nation's
# figures; the seat's own, so that its figures are read again (pages.seats.PerSeat); and
# its region's, whose squares on the home page's map are drawn again.
DECLARATION = ("nation", "seat:kettering", "region:east-midlands")
# (what, address, the tags a change to it bumps, goal in ms or None)
PAGES = [
    ("trivial view", "/healthz", None, None),
    ("home", "/", DECLARATION, 8),
    ("national strip (the ESI include)", "/fragments/strip/", DECLARATION, None),
    ("constituency (Kettering)", "/constituencies/kettering/", ("seat:kettering",), 5),
    (
        "county, 20 posts (Northamptonshire)",
        "/counties/northamptonshire/",
        ("live:northamptonshire",),
        10,
    ),
    ("county, no live blog (Derbyshire)", "/counties/derbyshire/", ("county:derbyshire",), None),
    ("region (London, 75 seats)", "/regions/london/", ("region:london",), None),
    ("party (Labour, first 100 seats)", "/parties/labour/", ("party:labour",), None),
    ("every seat (first 50)", "/constituencies/", DECLARATION, None),
    ("a list (closest results)", "/lists/closest-results/", DECLARATION, None),
    ("API: a seat", "/api/v1/constituencies/kettering", ("seat:kettering",), None),
    ("API: scoreboard", "/api/v1/scoreboard", DECLARATION, None),
    ("post", None, None, None),
    ('search ("north")', "/search/?q=north", ("site",), None),
    ("sitemap", "/sitemap.xml", ("sitemap",), None),
]
# What Varnish sends the origin (config/varnish/site.vcl): it assembles ESI and
# compresses, so it asks for neither the strip inline nor gzip.
AS_VARNISH_ASKS = {"Surrogate-Capability": 'varnish="ESI/1.0"'}
GOAL_KB = 60
HOME_KB = 120
# The trivial view's time in this benchmark's first run (docs/benchmarks.md, 2 December),
# when the goals in ms were first measured against. This machine's speed varies two- to
# threefold from one run to the next, so each goal is also read as that multiple of the
# trivial view in the same run: 8 ms is 44 times 0.18 ms.
TRIVIAL_VIEW_AT_THE_GOALS_MS = 0.18


def main():
    if not all((DATA / name).is_file() for name in FILES.values()):
        sys.exit(f"{DATA} lacks the GE2024 files: see README, 'Every seat in the country'.")
    scratch = tempfile.TemporaryDirectory()
    os.environ["DATABASE_URL"] = f"sqlite:///{scratch.name}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SECRET_KEY", "benchmark-only-secret-key-not-for-production")
    os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver"
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ.pop("REDIS_URL", None)
    os.environ.pop("HTTP_CACHES", None)  # nothing to purge
    import django

    django.setup()
    from django.conf import settings
    from django.core.cache import cache
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import override_settings

    from pages import data_cache

    # Plain HTTP and static files by their plain names, as the tests run (no collectstatic);
    # the figures kept as Redis keeps them (see above).
    override_settings(
        DATA_CACHE_SHARED=True,
        SECURE_SSL_REDIRECT=False,
        STORAGES={
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
    ).enable()
    call_command("migrate", verbosity=0)
    call_command("import_seeds", verbosity=0)
    national = [item for key, name in FILES.items() for item in (f"--{key}", str(DATA / name))]
    call_command("import_national", *national, verbosity=0)
    post_address = fill_northamptonshire()
    client = Client()

    def get(address):
        response = client.get(address, headers=AS_VARNISH_ASKS)
        if response.status_code != 200:
            sys.exit(f"{address} answered {response.status_code}")
        return response

    def after_a_change(address, tags):
        get(address)  # everything kept
        timings = []
        for _ in range(RUNS):
            if tags:
                data_cache.bump(tags)
            timings.append(timed(get, address))
        return statistics.median(timings)

    def from_nothing(address):
        timings = []
        for _ in range(RUNS):
            cache.clear()
            timings.append(timed(get, address))
        return statistics.median(timings)

    rows = []
    for what, address, tags, goal in PAGES:
        if what == "post":
            address, tags = post_address
        size = len(get(address).content) / 1024
        rows.append(
            (what, address, after_a_change(address, tags), from_nothing(address), size, goal)
        )
        print(f"{what:<40} {rows[-1][2]:7.2f} ms {rows[-1][3]:7.2f} ms {size:6.1f} KB", flush=True)
    lines = report(rows)
    print("\n".join(lines))
    replace_section(DOC, "Renders", lines)
    print(f"wrote the Renders section of {DOC.relative_to(ROOT)}")


def fill_northamptonshire():
    """Enough posts for a full first page, written through the services; the newest
    post's address and tags."""
    from django.db import transaction
    from django.utils import timezone

    from liveblog.models import Block, LivePage, Post, PostStatus
    from liveblog.services import post_mentions_refresh, post_save_by

    live_page = LivePage.objects.get(county__slug="northamptonshire")
    with transaction.atomic():
        for number in range(live_page.posts.count(), POSTS_ON_A_PAGE):
            post = Post(
                live_page=live_page,
                title=f"Count under way, update {number}",
                status=PostStatus.PUBLISHED,
                published_at=timezone.now(),
            )
            post_save_by(post=post, user=None)
            for position, text in enumerate(
                (
                    "Turnout in Kettering and Corby is said to be up on 2019.",
                    "Ballot boxes from Wellingborough and Rushden have all arrived.",
                )
            ):
                Block.objects.create(post=post, position=position, text=text)
        post_mentions_refresh(posts=live_page.posts.with_body())
    newest = live_page.posts.newest_first().first()
    return newest.get_absolute_url(), (f"post:{newest.pk}",)


def timed(call, *arguments):
    """Milliseconds one call takes."""
    started = time.perf_counter()
    call(*arguments)
    return (time.perf_counter() - started) * 1000


def report(rows):
    reference = next(row[2] for row in rows if row[0] == "trivial view")
    lines = [
        f"`make bench-render` (scripts/bench_render.py) on {datetime.now():%Y-%m-%d %H:%M}: "
        f"every seat in the country (seeds and Library files), SQLite, the local-memory "
        f"cache, Django's test client in one process; the median of {RUNS} renders each. "
        "Each request is the one Varnish sends the origin after a purge "
        '(`Surrogate-Capability: varnish="ESI/1.0"`, no Accept-Encoding): pages '
        "carry the national strip as an ESI include, rendered on its own row. *After a "
        "change*: the page's tags bumped before each render as a change to what it shows "
        "bumps them (`pages.data_cache.bump`; for the national pages, a declaration's: "
        "the nation's, one seat's and its region's); the figures other tags rest on stay "
        "kept. This is the origin's cost per purge. *From nothing*: the cache emptied "
        "before each render. HTML is the page as the origin sends it to Varnish (strip "
        "not included). The ratio is to the trivial view's time in the same run; "
        f"each goal in ms is also read as a multiple of the trivial view's "
        f"{TRIVIAL_VIEW_AT_THE_GOALS_MS} ms in the run the goals were first measured in, as "
        "this machine's speed varies two- to threefold between runs.",
        "",
        "| page | after a change (ms) | × trivial view | from nothing (ms) | HTML (KB) | goal |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for what, address, after, cold, size, goal in rows:
        goals = []
        if goal is not None:
            goals.append(f"≤ {goal} ms: {'met' if after <= goal else '**not met**'}")
            multiple = goal / TRIVIAL_VIEW_AT_THE_GOALS_MS
            met = after / reference <= multiple
            goals.append(f"≤ {multiple:.0f}× trivial view: {'met' if met else '**not met**'}")
        if what != "trivial view":
            # The home page carries a named link for each of 650 seats (README).
            budget = HOME_KB if address == "/" else GOAL_KB
            goals.append(f"≤ {budget} KB: {'met' if size <= budget else '**not met**'}")
        lines.append(
            f"| {what} (`{address}`) | {after:.2f} | {after / reference:.1f} | {cold:.2f} | "
            f"{size:.1f} | {'; '.join(goals)} |"
        )
    return lines


if __name__ == "__main__":
    main()
