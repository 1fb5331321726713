"""The site behind two real Varnish nodes (config/varnish/site.vcl, started by
scripts/varnish-up) in front of Django's live server, as readers meet it on the night:
each change reaches every page that shows it on both nodes, and no other page is
fetched again; the strip is assembled by ESI as Django would have inlined it; stray
parameters, forged hosts, gzip refusals, HEAD and downloads are answered right; and
with the database away readers still get the last pages.

tests/test_varnish_vcl.py tests the VCL's rules against a stub origin, and
tests/test_http_cache.py what Django tells the caches. Varnish must be installed
(scripts/varnish-up --install-only, which `make test` runs): without it these tests
fail, they are not skipped."""

import gzip
import http.client
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path
from types import SimpleNamespace
from unittest import mock

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import OperationalError, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test import override_settings

from pages.purge import purger
from results.models import Constituency, Election, Party, Result
from results.reference import reference_data_create
from results.services import result_declare
from tests import changes, pages
from tests.national_data import correct_by

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

import loopback  # noqa: E402

HOST = "localhost"  # the live server's name, which it adds to ALLOWED_HOSTS
SETTLE_SECONDS = 10  # for a page purged to be fetched again in the background


@pytest.fixture(scope="session", autouse=True)
def live_server_plain_http():
    """The live server speaks plain HTTP, as in the browser tests (tests/e2e/conftest.py).
    Session scope, because the server's middleware reads these settings once, when it
    starts, before any test's own fixtures run; this module may be the first to start it."""
    with override_settings(
        SECURE_SSL_REDIRECT=False, SESSION_COOKIE_SECURE=False, CSRF_COOKIE_SECURE=False
    ):
        yield


@pytest.fixture(scope="module", autouse=True)
def orm_beside_playwright():
    """The ORM allowed while an event loop runs in this thread: Playwright's, left there
    for the session by the browser tests that ran before in this worker (their conftest
    allows it for themselves alone). These tests use the ORM synchronously, as they would
    without that loop."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield


@pytest.fixture(scope="module")
def probe_host_allowed():
    """The live server's name allowed between tests too, not only during them: Varnish's
    health probe asks by it every second, and a backend it finds sick gets no fetches."""
    with override_settings(ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, HOST]):
        yield


@pytest.fixture(scope="module")
def one_request_at_a_time(live_server):
    """The live server answers one request at a time while these tests run. Its threads
    share the test's one connection to the SQLite database in memory, and the two nodes'
    fetches in the background meet the test's own requests: two threads reading through
    one connection at once got "bad parameter or other API misuse" from SQLite, and rows
    with fields missing (a 500 on a seat's page), once in about three runs."""
    server = live_server.thread.httpd
    application = server.get_app()
    lock = threading.Lock()

    def one_at_a_time(environ, start_response):
        with lock:  # the body read too: a streamed download reads as it goes
            body = application(environ, start_response)
            try:
                return [b"".join(body)]
            finally:
                if hasattr(body, "close"):
                    body.close()

    server.set_app(one_at_a_time)
    yield
    server.set_app(application)


@pytest.fixture(scope="module")
def nodes(live_server, probe_host_allowed, one_request_at_a_time):
    """Two Varnish nodes in front of the live server, on free ports, named in
    HTTP_CACHES; ended by their PIDs."""
    if not shutil.which("varnishd"):
        pytest.fail(
            "varnishd is not installed: run scripts/varnish-up --install-only "
            "(make test does; it installs Debian's varnish and varnish-modules)"
        )
    started = []
    try:
        for _ in range(2):
            started.append(start_node(live_server.thread.port))
        with override_settings(HTTP_CACHES=[node.url for node in started]):
            yield started
            purger.wait()  # the last purges, to nodes still up
    finally:
        for node in started:
            loopback.stop_varnish(node)


def start_node(backend_port, attempts=3):
    """A Varnish in front of 127.0.0.1:`backend_port`; another free port is tried if the
    one found is taken meanwhile (by another test worker)."""
    for attempt in range(attempts):
        try:
            return loopback.start_varnish(
                backend_port, loopback.free_port(), BACKEND_HOST_HEADER=HOST
            )
        except SystemExit as error:  # scripts/varnish-up failed
            if attempt == attempts - 1:
                pytest.fail(f"Varnish did not start: {error}")
    return None


@pytest.fixture
def site(nodes, live_server):
    """The seeds imported: each test empties the database afterwards (a live server
    reads what the test commits), taking with it what the data migration created, so
    that is put back first. The import purges every page the nodes kept from a test
    before: each is served once as it was, then fetched again (see `settled`)."""
    reference_data_create(Election, Party)
    call_command("import_seeds", verbosity=0)
    purger.wait()
    return live_server


def request(url, path, method="GET", headers=None):
    """(status, headers, body) of one request to the server at `url`."""
    port = int(url.rsplit(":", 1)[1])
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request(method, path, headers={"Host": HOST, **(headers or {})})
        response = connection.getresponse()
        return response.status, response.headers, response.read()
    finally:
        connection.close()


def direct(site, path, **kwargs):
    """(status, headers, body) from Django itself, with the strip inline."""
    return request(site.url, path, **kwargs)


def settled(node, site, path, seconds=SETTLE_SECONDS):
    """Ask `node` for `path` until it answers a kept copy (X-Cache HIT) equal to Django's
    own page, strip and all (a page purged is fetched again in the background while the
    previous one is served); that body."""
    expected = direct(site, path)[2]
    deadline = time.monotonic() + seconds
    while True:
        status, headers, body = request(node.url, path)
        if headers["X-Cache"] == "HIT" and body == expected:
            return body
        if time.monotonic() > deadline:
            assert (status, headers["X-Cache"], text_of(body)) == (200, "HIT", text_of(expected))
        time.sleep(0.05)


def backend_requests(node):
    """How many requests `node` has made to the origin (health probes apart)."""
    output = subprocess.run(
        ["varnishstat", "-n", str(node.workdir), "-1", "-f", "MAIN.backend_req"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return int(output.split()[1])


def text_of(body):
    return pages.text_of(SimpleNamespace(content=body))


WARMED = [
    "/",
    "/fragments/strip/",
    "/constituencies/derbyshire-dales/",
    "/counties/derbyshire/",
    "/constituencies/kettering/",
    "/counties/northamptonshire/",
    "/fragments/party-figures/labour/",  # before the page that includes it
    "/parties/labour/",
    "/api/v1/constituencies/derbyshire-dales",
    "/api/v1/constituencies/kettering",
    "/data/constituencies/kettering.csv",
]
ESI_PAGES = {  # the pages that carry the strip as an include
    "/constituencies/derbyshire-dales/",
    "/counties/derbyshire/",
    "/constituencies/kettering/",
    "/counties/northamptonshire/",
}


def declare_derbyshire_dales():
    """Derbyshire Dales declared from the desk: Labour gain from the Conservatives."""
    dales = Constituency.objects.get(slug="derbyshire-dales")
    with transaction.atomic():
        for name, party, votes in [
            ("John Whitby", "labour", 17759),
            ("Sarah Dines", "conservative", 17409),
        ]:
            dales.candidacies.create(name=name, party=Party.objects.get(slug=party), votes=votes)
        result_declare(constituency=dales)
    return {
        "/fragments/strip/": "National result LAB 6 CON 2 642 seats to go",
        "/constituencies/derbyshire-dales/": "John Whitby Labour 17,759",
        "/counties/derbyshire/": (
            "Derbyshire Dales LAB GAIN FROM CON John Whitby, Labour, majority 350"
        ),
        "/api/v1/constituencies/derbyshire-dales": '"votes": 17759',
    }


def correct_kettering():
    """Kettering's winner given 1,000 votes more, the result declared again."""
    correct_by("kettering", 1000)
    votes = Result.objects.get(constituency__slug="kettering").winner.votes
    return {
        "/constituencies/kettering/": f"{votes:,}",
        "/api/v1/constituencies/kettering": f'"votes": {votes}',
        "/data/constituencies/kettering.csv": f",{votes},",
    }


def post_about_derbyshire_dales():
    """A post on Derbyshire's live page that names Derbyshire Dales."""
    changes.post_about_derbyshire_dales()
    return {
        "/counties/derbyshire/": "A close count Recount called in Derbyshire Dales",
        "/constituencies/derbyshire-dales/": "A close count",
    }


@pytest.mark.parametrize(
    ("change", "purged"),
    [
        (
            declare_derbyshire_dales,
            {
                "/",
                "/fragments/strip/",
                "/constituencies/derbyshire-dales/",
                "/counties/derbyshire/",
                "/parties/labour/",
                "/fragments/party-figures/labour/",  # on the page above, by ESI
                "/api/v1/constituencies/derbyshire-dales",
            },
        ),
        (
            correct_kettering,
            {
                "/",
                # As by any change of a result, though votes alone leave the seats it counts.
                "/fragments/strip/",
                "/constituencies/kettering/",
                "/counties/northamptonshire/",
                "/parties/labour/",
                "/fragments/party-figures/labour/",
                "/api/v1/constituencies/kettering",
                "/data/constituencies/kettering.csv",
            },
        ),
        (
            post_about_derbyshire_dales,
            {"/constituencies/derbyshire-dales/", "/counties/derbyshire/"},
        ),
    ],
    ids=["declaration", "correction", "post"],
)
def test_a_change_reaches_both_nodes_on_exactly_the_pages_that_show_it(site, nodes, change, purged):
    before = {(node, path): settled(node, site, path) for node in nodes for path in WARMED}
    strip_before = direct(site, "/fragments/strip/")[2]

    shown = change()
    purger.wait()  # sent to both nodes

    strip = direct(site, "/fragments/strip/")[2]
    for node in nodes:
        fetches = backend_requests(node)
        # A page purged is served as it was while one request fetches it again; the
        # others are answered from the copy kept, never fetched again.
        first = {path: request(node.url, path)[1]["X-Cache"] for path in WARMED}
        assert {path for path, cache in first.items() if cache != "HIT"} == purged, node
        assert set(first.values()) <= {"HIT", "HIT-STALE"}
        for path in WARMED:
            body = settled(node, site, path)  # equal to Django's own page
            if path not in purged:
                # The page kept, with the strip of now where it carries it.
                expected = before[node, path]
                if path in ESI_PAGES:
                    expected = expected.replace(strip_before, strip)
                assert body == expected, path
        # Each page purged fetched from Django once, and nothing else.
        assert backend_requests(node) - fetches == len(purged), node
        for path, words in shown.items():
            assert words in text_of(request(node.url, path)[2]), (node, path)
        if strip != strip_before:
            # A seat not refetched shows the new strip: Varnish included it again.
            kettering = request(node.url, "/constituencies/kettering/")
            assert text_of(strip) in text_of(kettering[2])


def test_a_purge_reaches_both_nodes(site, nodes):
    for node in nodes:
        settled(node, site, "/constituencies/kettering/")
        settled(node, site, "/constituencies/derbyshire-dales/")
    purger.purge({"seat:kettering"})  # as Django purges after a change
    purger.wait()
    for node in nodes:
        assert request(node.url, "/constituencies/kettering/")[1]["X-Cache"] == "HIT-STALE"
        assert request(node.url, "/constituencies/derbyshire-dales/")[1]["X-Cache"] == "HIT"
        settled(node, site, "/constituencies/kettering/")


def test_the_page_assembled_by_esi_is_djangos_own_page(site, nodes):
    # Each test is one flush and one import of the seeds: pages are looped over, not
    # parametrized, to keep the module quick on PostgreSQL.
    for path in ["/constituencies/kettering/", "/counties/derbyshire/", "/parties/labour/"]:
        alone = direct(site, path)[2]
        assert b"<esi:include" not in alone
        # Asked as Varnish asks, Django leaves the strip to it.
        esi = direct(site, path, headers={"Surrogate-Capability": 'varnish="ESI/1.0"'})
        assert esi[1]["Surrogate-Control"] == 'content="ESI/1.0"'
        assert b'<esi:include src="/fragments/strip/"/>' in esi[2]
        for node in nodes:
            assert settled(node, site, path) == alone
            status, headers, body = request(node.url, path, headers={"Accept-Encoding": "gzip"})
            assert headers["Content-Encoding"] == "gzip", path
            assert gzip.decompress(body) == alone, path


def test_a_stray_parameter_gives_the_same_object_one_the_page_reads_another(site, nodes):
    node = nodes[0]
    seat = settled(node, site, "/constituencies/kettering/")
    status, headers, body = request(node.url, "/constituencies/kettering/?utm_source=x&fbclid=1")
    assert (status, headers["X-Cache"], body) == (200, "HIT", seat)

    county = settled(node, site, "/counties/derbyshire/")
    # The county as it stood at 02:00, its strip too: another object, and a new one.
    replayed = direct(site, "/counties/derbyshire/?at=02:00")[2]
    assert replayed != county
    status, headers, body = request(node.url, "/counties/derbyshire/?utm_source=x&at=02:00")
    assert (status, body) == (200, replayed)
    assert headers["X-Cache"] in {"MISS", "HIT-STALE"}  # HIT-STALE: kept by a test before
    assert settled(node, site, "/counties/derbyshire/?at=02:00") == replayed
    status, headers, body = request(node.url, "/counties/derbyshire/?page=9&utm_source=x")
    assert (status, body) == direct(site, "/counties/derbyshire/?page=9")[::2]
    assert status == 404


def test_a_forged_host_gets_400(site, nodes):
    for node in nodes:
        settled(node, site, "/constituencies/kettering/")
        for _ in range(2):  # and is not kept
            for path in ["/constituencies/kettering/", "/api/v1/scoreboard"]:
                status, _, body = request(node.url, path, headers={"Host": "forged.example"})
                assert status == 400, path
                assert b"Kettering" not in body


def test_gzip_for_who_asks_plain_for_who_refuses_it(site, nodes):
    node = nodes[0]
    for path in ["/constituencies/kettering/", "/static/css/site.css"]:
        plain = direct(site, path)[2]
        settled(node, site, path)  # kept (compressed, once), not the copy a test before kept
        for refusal in ("gzip;q=0", "identity", None):
            headers = {"Accept-Encoding": refusal} if refusal else {}
            status, answer, body = request(node.url, path, headers=headers)
            assert (status, answer["Content-Encoding"], body) == (200, None, plain), refusal
        status, answer, body = request(node.url, path, headers={"Accept-Encoding": "gzip"})
        assert (status, answer["X-Cache"], answer["Content-Encoding"]) == (200, "HIT", "gzip")
        assert gzip.decompress(body) == plain


def test_head_works_everywhere(site, nodes):
    node = nodes[1]
    for path, content_type in [  # asked by no other test, so that the first is a miss
        ("/constituencies/south-derbyshire/", "text/html; charset=utf-8"),
        ("/api/v1/scoreboard", "application/json; charset=utf-8"),
        ("/data/results.csv", "text/csv; charset=utf-8"),
        ("/static/css/admin.css", "text/css"),
    ]:
        for cache in ("MISS", "HIT"):
            status, headers, body = request(node.url, path, method="HEAD")
            assert (status, headers["X-Cache"], body) == (200, cache, b""), path
            assert headers["Content-Type"] == content_type
        assert settled(node, site, path) == direct(site, path)[2]


def test_a_download_is_an_attachment_with_its_filename(site, nodes):
    downloads = {
        "/data/constituencies/kettering.csv": "kettering.csv",
        "/data/notionals.csv": "notionals.csv",
        "/data/uk-general-election-2024.zip": "uk-general-election-2024.zip",
    }
    for node in nodes:
        for path, filename in downloads.items():
            # Fetched, then kept: each answer as the reader receives it.
            for encoding in ("gzip", "identity", "gzip"):
                status, headers, _ = request(node.url, path, headers={"Accept-Encoding": encoding})
                assert status == 200, path
                assert headers["Content-Disposition"] == f'attachment; filename="{filename}"'
            assert headers["X-Cache"] == "HIT", path


def test_readers_get_the_last_page_while_the_database_is_away(site, nodes):
    path = "/constituencies/kettering/"
    kept = {node: settled(node, site, path) for node in nodes}
    purger.purge({"seat:kettering"})  # a change, just before the database went away
    purger.wait()
    away = OperationalError("server closed the connection unexpectedly")
    with mock.patch.object(BaseDatabaseWrapper, "cursor", side_effect=away):
        assert direct(site, path)[0] == 503
        for pause in (0, 2.2):
            # Past the 2 s a purged page is served while the origin is healthy too.
            time.sleep(pause)
            for node in nodes:
                status, headers, body = request(node.url, path)
                assert (status, headers["X-Cache"], body) == (200, "HIT-STALE", kept[node])
        # A page never kept has nothing to fall back to.
        assert request(nodes[0].url, "/constituencies/bolsover/")[0] == 503
    for node in nodes:
        settled(node, site, path)
