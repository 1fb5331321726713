"""Every reader page, byte for byte: a manifest of what the site serves, to compare two
versions of the code by (a refactor must change none of it).

    scripts/compare_pages.py write OUT [--root DIR]   the manifest of the code in DIR
                                                      (this checkout by default)
    scripts/compare_pages.py compare A B              the URLs whose answers differ;
                                                      exit 1 if any do
    scripts/compare_pages.py --base REV               REV (a git worktree in /tmp) against
                                                      this checkout: both written, compared

`write` builds a fresh SQLite database in a scratch directory (migrate, `import_seeds`,
then every seat from the House of Commons Library files, as scripts/import-national
does: NATIONAL_DATA_DIR, ../shared/data/ge2024 by default), with the clock stopped at
FROZEN_AT and a local-memory cache (no Redis, no HTTP cache to purge). It then asks the
test client for every reader URL: each of the site's URL names, for every seat, county,
region, party and post in the data, with and without `?at=` where a page replays the
night, with and without Varnish's ESI, and the links the pages it fetched carry to
paths not yet asked for. Each line of OUT is a URL with its status, content type,
length and the sha256 of its body and of the headers readers and caches rely on
(HEADERS); OUT.zip keeps each body and those headers, for `compare` to show where two
differ. A reader URL name no URL was asked for fails the run: a new kind of page must
be added here.
"""

import argparse
import contextlib
import difflib
import hashlib
import logging
import os
import re
import subprocess
import sys
import tempfile
import time
import zipfile
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path
from unittest import mock
from urllib.parse import urlencode, urlsplit

HERE = Path(__file__).resolve().parent.parent
PYTHON = HERE / ".venv" / "bin" / "python"
DATA = Path(os.environ.get("NATIONAL_DATA_DIR") or HERE.parent / "shared" / "data" / "ge2024")
SITE_URL = "https://results.example"
# After the whole night (polls closed 22:00 on 4 July 2024; the last seat declared on the
# 6th): every `?at=` below is a moment before it, so each replays rather than reads as now.
FROZEN_AT = datetime(2024, 7, 8, 12, 0, tzinfo=UTC)
MOMENTS = ["22:30", "00:00", "02:00", "04:00", "06:00", "2024-07-05T18:00"]
FEW_MOMENTS = ["02:00", "04:00"]
# What Varnish sends the origin (config/varnish/site.vcl): pages then carry <esi:include>.
AS_VARNISH_ASKS = {"Surrogate-Capability": 'varnish="ESI/1.0"'}
HEADERS = (
    "Content-Type",
    "Content-Disposition",
    "Cache-Control",
    "Surrogate-Key",
    "Surrogate-Control",
    "Location",
    "Vary",
    "Access-Control-Allow-Origin",
)
# URL names no reader asks for: the admin, and uploads (files stored, not rendered).
NOT_READER_NAMESPACES = ("admin",)
NOT_READER_NAMES = {"media"}
SHOWN_IN_FULL = 20  # differing URLs whose first differing lines are printed
NIGHT_LISTS = [
    "closest-results",
    "biggest-majorities",
    "biggest-swings",
    "highest-turnout",
    "lowest-turnout",
    "still-to-declare",
    "defeated-mps",
]
SEARCHES = ["north", "labour", "smith", "Kettering", "st", "", "zzzz", "o'"]
# Per request, only a CSP nonce would vary (none is sent today): a page is otherwise the
# same bytes for every reader. Anything found to vary is added here, with why.
NORMALISE = [(re.compile(rb'nonce="[^"]*"'), b'nonce=""')]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", metavar="REV", help="compare REV with this checkout")
    commands = parser.add_subparsers(dest="command")
    write_parser = commands.add_parser("write", help="write the manifest of the code in --root")
    write_parser.add_argument("out", type=Path)
    write_parser.add_argument("--root", type=Path, default=HERE)
    compare_parser = commands.add_parser("compare", help="compare two manifests")
    compare_parser.add_argument("a", type=Path)
    compare_parser.add_argument("b", type=Path)
    options = parser.parse_args()
    if options.command == "write":
        write(options.out, options.root.resolve())
    elif options.command == "compare":
        sys.exit(compare(options.a, options.b))
    elif options.base:
        sys.exit(against_base(options.base))
    else:
        parser.print_help()
        sys.exit(2)


def against_base(rev):
    """Write REV's manifest (from a worktree) and this checkout's, and compare them."""
    commit = git("rev-parse", "--short", rev)
    base_out, here_out = Path(f"/tmp/pages-{commit}.txt"), Path("/tmp/pages-checkout.txt")
    tree = Path(tempfile.mkdtemp(prefix=f"compare-pages-{commit}-"))
    git("worktree", "add", "--detach", str(tree), commit)
    try:
        run_write(base_out, tree)
    finally:
        git("worktree", "remove", "--force", str(tree))
    run_write(here_out, HERE)
    return compare(base_out, here_out)


def git(*arguments):
    return subprocess.run(
        ["git", *arguments], cwd=HERE, check=True, capture_output=True, text=True
    ).stdout.strip()


def run_write(out, root):
    """`write` in a process of its own, so that each version's modules are its own."""
    print(f"Writing {out} from {root}", file=sys.stderr)
    subprocess.run([str(PYTHON), __file__, "write", str(out), "--root", str(root)], check=True)


def write(out, root):
    started = time.monotonic()
    scratch = tempfile.TemporaryDirectory(prefix="compare-pages-")
    Path(scratch.name, "static").mkdir()
    os.chdir(root)
    # Before site-packages, where the editable install points at /work/main.
    sys.path.insert(0, str(root))
    os.environ.update(
        DATABASE_URL=f"sqlite:///{scratch.name}/pages.sqlite3",
        DJANGO_SECRET_KEY="compare-pages-only-secret-key-not-for-production",
        DJANGO_ALLOWED_HOSTS="testserver",
        DJANGO_SETTINGS_MODULE="config.settings",
        MEDIA_ROOT=f"{scratch.name}/media",
        STATIC_ROOT=f"{scratch.name}/static",
        SITE_URL=SITE_URL,
        HTTP_CACHES="",
    )
    for name in ("REDIS_URL", "DJANGO_DEBUG", "MEDIA_STORAGE", "MEDIA_URL"):
        os.environ.pop(name, None)
    with mock.patch("django.utils.timezone.now", lambda: FROZEN_AT):
        answers, not_asked = fetch_everything(root)
    keep(out, answers)
    failed = sum(1 for response in answers.values() if response.status_code >= 500)
    print(
        f"{len(answers)} URLs ({failed} failing with 5xx) in "
        f"{time.monotonic() - started:.0f} s: {out}",
        file=sys.stderr,
    )
    if not_asked:
        sys.exit(f"No URL asked for of these reader URL names: {', '.join(not_asked)}")


def fetch_everything(root):
    import django

    django.setup()
    import results

    if not Path(results.__file__).resolve().is_relative_to(root):
        sys.exit(f"results was imported from {results.__file__}, not from {root}")
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import override_settings

    # Plain HTTP and static files by their plain names (no collectstatic), as the tests
    # run; the figures kept as one process keeps them, so nothing expires on a clock.
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
    from results.national import LIBRARY_FILES

    missing = [name for name in LIBRARY_FILES.values() if not (DATA / name).is_file()]
    if missing:
        sys.exit(f"{DATA} lacks {', '.join(missing)}: see README, 'Every seat in the country'.")
    national = [
        item for key, name in LIBRARY_FILES.items() for item in (f"--{key}", str(DATA / name))
    ]
    call_command("import_national", *national, verbosity=0)

    # A view that fails is an answer (500) to compare, not the end of the run.
    client = Client(raise_request_exception=False)
    logging.getLogger("django.request").setLevel(logging.ERROR)  # the 404s asked for
    answers, asked = {}, set()
    queue = list(reader_urls())

    def ask(url, esi):
        key = f"{url} [esi]" if esi else url
        if key in answers:
            return
        response = client.get(url, headers=AS_VARNISH_ASKS if esi else {})
        answers[key] = response
        asked.add(urlsplit(url).path)

    while queue:
        url = queue.pop(0)
        ask(url, esi=False)
        response = answers[url]
        if is_page(url, response):
            ask(url, esi=True)
        # Links to paths not yet asked for: a page kind this script does not list.
        for link in links_in(response):
            if urlsplit(link).path not in asked and link not in queue:
                queue.append(link)
    return answers, names_not_asked(answers)


def reader_urls():
    """Every reader URL this script knows how to name, from the URL names and the data."""
    from django.db.models import Count

    from liveblog.models import LivePage, Post
    from results.models import Constituency, County, Election, Party, Region
    from results.naming import former_slug

    seats = list(Constituency.objects.order_by("slug"))
    regions = list(Region.objects.order_by("slug").values_list("slug", flat=True))
    counties = list(County.objects.order_by("slug").values_list("slug", flat=True))
    parties = list(Party.objects.order_by("slug").values_list("slug", flat=True))
    # Those with a second page of seats (PARTY_SEATS_PER_PAGE, 100); one more shows a 404.
    big_parties = list(
        Party.objects.annotate(stood=Count("candidacies"))
        .filter(stood__gt=100)
        .order_by("slug")
        .values_list("slug", flat=True)
    )
    live = list(LivePage.objects.order_by("county__slug").values_list("county__slug", flat=True))
    posts = list(Post.objects.order_by("pk").values_list("live_page__county__slug", "pk", "status"))
    assert Election.objects.exists(), "no election imported"

    yield "/"
    for at in MOMENTS:
        yield f"/?{urlencode({'at': at})}"
    yield "/?view=gains"
    yield "/?at=02:00&view=gains"
    yield "/healthz"
    yield "/robots.txt"
    yield "/data/"
    # Every seat, its table sorted and filtered.
    yield "/constituencies/"
    for page in range(1, len(seats) // 50 + 3):
        yield f"/constituencies/?page={page}"
    for column in ("name", "region", "winner", "majority", "majority_share", "turnout", "declared"):
        yield f"/constituencies/?sort={column}"
        yield f"/constituencies/?sort=-{column}&page=2"
    filters = [("nation", n) for n in ("england", "scotland", "wales", "northern-ireland")]
    filters += [("outcome", o) for o in ("gain", "hold", "awaiting")]
    filters += [("region", r) for r in regions]
    filters += [("party", p) for p in parties] + [("held", p) for p in parties[:10]]
    filters += [("region", "nowhere")]
    for name, value in filters:
        yield f"/constituencies/?{urlencode({name: value})}"
        yield f"/data/constituencies.csv?{urlencode({name: value})}"
    yield "/constituencies/?nation=scotland&outcome=gain&sort=-majority"
    yield "/data/constituencies.csv"
    yield "/data/results.csv"
    for seat in seats:
        yield f"/constituencies/{seat.slug}/"
        yield f"/data/constituencies/{seat.slug}.csv"
        yield f"/api/v1/constituencies/{seat.slug}"
        if former_slug(seat.name) != seat.slug:
            yield f"/constituencies/{former_slug(seat.name)}/"
    for slug in (seats[0].slug, "kettering"):
        for column in ("name", "-votes", "share", "-share_change", "party"):
            yield f"/constituencies/{slug}/?sort={column}"
    # The lists of the night.
    for slug in NIGHT_LISTS:
        yield f"/lists/{slug}/"
        yield f"/lists/{slug}/?page=2"
        for at in FEW_MOMENTS:
            yield f"/lists/{slug}/?at={at}"
    # Regions, counties and their live pages, parties.
    yield "/regions/"
    for slug in regions:
        yield f"/regions/{slug}/"
        yield f"/data/regions/{slug}.csv"
        yield f"/api/v1/regions/{slug}"
        for at in FEW_MOMENTS:
            yield f"/regions/{slug}/?at={at}"
            yield f"/api/v1/regions/{slug}?at={at}"
    for slug in counties:
        yield f"/counties/{slug}/"
        yield f"/counties/{slug}/?page=2"
        yield f"/data/counties/{slug}.csv"
        yield f"/counties/{slug}/feed/"
        yield f"/counties/{slug}/updates/"
        yield f"/api/v1/counties/{slug}/posts"
        for at in FEW_MOMENTS:
            yield f"/counties/{slug}/?at={at}"
    for slug in live:
        for since in (1, 5, 20):
            yield f"/counties/{slug}/updates/?since={since}"
            yield f"/api/v1/counties/{slug}/posts?since={since}"
    for county, pk, _status in posts:
        yield f"/counties/{county}/posts/{pk}/"
    yield "/parties/"
    for slug in parties:
        yield f"/parties/{slug}/"
        yield f"/data/parties/{slug}.csv"
        yield f"/api/v1/parties/{slug}"
        yield f"/fragments/party-figures/{slug}/"
    for slug in big_parties:
        yield f"/parties/{slug}/?page=2"
        yield f"/parties/{slug}/?page=3"
    # Search, feeds, sitemaps, fragments.
    for q in SEARCHES:
        yield f"/search/?{urlencode({'q': q})}"
    yield "/declarations/feed/"
    yield "/sitemap.xml"
    for section in ("home", "regions", "counties", "constituencies", "parties", "posts"):
        yield f"/sitemap-{section}.xml"
    yield "/fragments/strip/"
    for at in MOMENTS:
        yield f"/fragments/strip/?{urlencode({'at': at})}"
    # The API.
    yield "/api/v1/scoreboard"
    for at in MOMENTS:
        yield f"/api/v1/scoreboard?{urlencode({'at': at})}"
    yield "/api/v1/constituencies"
    for page in range(1, len(seats) // 100 + 3):
        yield f"/api/v1/constituencies?page={page}"
    yield "/api/v1/constituencies?nation=wales&outcome=gain"
    yield "/api/v1/constituencies?party=labour&sort=-majority"
    yield "/api/v1/declarations"
    yield "/api/v1/declarations?since=2024-07-05T03:00"
    yield "/api/v1/"
    yield "/api/v1/openapi.json"
    yield "/api/v1/docs"
    # Not found, and input that does not parse.
    yield from [
        "/no-such-page/",
        "/constituencies/no-such-seat/",
        "/data/constituencies/no-such-seat.csv",
        "/counties/nowhere/",
        "/counties/nowhere/posts/1/",
        "/regions/nowhere/",
        "/parties/no-such-party/",
        "/lists/no-such-list/",
        "/fragments/nothing/",
        "/fragments/party-figures/no-such-party/",
        "/constituencies/?page=999",
        "/constituencies/?page=abc&sort=nonsense",
        "/?at=99:99",
        "/?at=2030-01-01T00:00",
        "/api/v1/constituencies/no-such-seat",
        "/api/v1/scoreboard?at=99:99",
        "/api/v1/constituencies?page=abc",
        "/api/v1/declarations?since=yesterday",
    ]


def is_page(url, response):
    """An HTML page (the ones Varnish asks for with ESI)."""
    return (
        response.status_code == 200
        and not url.startswith("/api/")
        and response.get("Content-Type", "").startswith("text/html")
    )


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.links.append(value)


def links_in(response):
    """The site's own reader URLs a page or sitemap links to."""
    kind = response.get("Content-Type", "")
    if response.status_code != 200:
        return []
    text = response.content.decode(errors="replace")
    if kind.startswith("text/html"):
        parser = Links()
        parser.feed(text)
        links = parser.links
    elif "xml" in kind:
        links = re.findall(r"<loc>([^<]+)</loc>", text)
    else:
        return []
    own = []
    for link in links:
        parts = urlsplit(link.replace("&amp;", "&"))
        if parts.netloc and f"{parts.scheme}://{parts.netloc}" != SITE_URL:
            continue
        if not parts.path.startswith("/") or parts.path.startswith(("/static/", "/media/")):
            continue
        own.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return own


def reader_url_names():
    """Every URL name a reader can ask for, as `namespace:name`."""
    from django.urls import URLPattern, URLResolver, get_resolver

    def walk(patterns, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = pattern.namespace or namespace
                if inner in NOT_READER_NAMESPACES:
                    continue
                prefix = f"{namespace}:" if namespace and pattern.namespace else ""
                yield from walk(pattern.url_patterns, prefix + inner if inner else "")
            elif isinstance(pattern, URLPattern) and pattern.name not in {None, *NOT_READER_NAMES}:
                yield f"{namespace}:{pattern.name}" if namespace else pattern.name

    return set(walk(get_resolver().url_patterns, ""))


def names_not_asked(answers):
    from django.urls import Resolver404, resolve

    asked = set()
    for key in answers:
        with contextlib.suppress(Resolver404):
            asked.add(resolve(urlsplit(key.split(" ")[0]).path).view_name)
    return sorted(reader_url_names() - asked)


def normalised(body):
    for pattern, replacement in NORMALISE:
        body = pattern.sub(replacement, body)
    return body


def keep(out, answers):
    out.parent.mkdir(parents=True, exist_ok=True)
    lines, kept = [], set()
    with zipfile.ZipFile(f"{out}.zip", "w", zipfile.ZIP_DEFLATED) as bodies:
        for key, response in answers.items():
            body = normalised(b"".join(response) if response.streaming else response.content)
            headers = "".join(f"{name}: {response[name]}\n" for name in HEADERS if name in response)
            body_sha = hashlib.sha256(body).hexdigest()
            headers_sha = hashlib.sha256(headers.encode()).hexdigest()
            for name, content in ((body_sha, body), (f"headers/{headers_sha}", headers)):
                if name not in kept:
                    bodies.writestr(name, content)
                    kept.add(name)
            kind = response.get("Content-Type", "-").replace(" ", "")
            lines.append(
                f"{key}\t{response.status_code}\t{kind}\t{len(body)}\t{body_sha}\t{headers_sha}"
            )
    out.write_text("".join(f"{line}\n" for line in lines))


def read_manifest(path):
    rows = {}
    for line in path.read_text().splitlines():
        key, *fields = line.split("\t")
        rows[key] = fields
    return rows


def compare(a, b):
    """Print the URLs whose answers differ between manifests A and B; 1 if any do."""
    first, second = read_manifest(a), read_manifest(b)
    differing = [key for key in first if key in second and first[key] != second[key]]
    only_a = [key for key in first if key not in second]
    only_b = [key for key in second if key not in first]
    for key in only_a:
        print(f"only in {a}: {key}")
    for key in only_b:
        print(f"only in {b}: {key}")
    for number, key in enumerate(differing):
        print(f"differs: {key}")
        if number < SHOWN_IN_FULL:
            print(f"  {a}: {' '.join(first[key][:4])}")
            print(f"  {b}: {' '.join(second[key][:4])}")
            for line in first_differences(a, b, first[key], second[key]):
                print(f"    {line}")
    same = len(first) - len(differing) - len(only_a)
    print(
        f"{same} of {len(first)} URLs the same; {len(differing)} differ; "
        f"{len(only_a)} only in {a}, {len(only_b)} only in {b}"
    )
    return 1 if differing or only_a or only_b else 0


def first_differences(a, b, fields_a, fields_b, limit=12):
    """The first lines of a unified diff of the two bodies (and headers), where kept."""
    try:
        with zipfile.ZipFile(f"{a}.zip") as zip_a, zipfile.ZipFile(f"{b}.zip") as zip_b:
            texts = []
            for fields_x, zip_x in ((fields_a, zip_a), (fields_b, zip_b)):
                headers = zip_x.read(f"headers/{fields_x[4]}").decode()
                body = zip_x.read(fields_x[3]).decode(errors="replace")
                texts.append((headers + "\n" + body).splitlines())
    except (OSError, KeyError, zipfile.BadZipFile):
        return []
    diff = difflib.unified_diff(*texts, a.name, b.name, n=1, lineterm="")
    return [line[:200] for line in list(diff)[:limit]]


if __name__ == "__main__":
    main()
