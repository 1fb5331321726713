"""The rules of config/varnish/site.vcl, checked with a real Varnish (scripts/varnish-up) in
front of a stub origin that answers as Django does: `Cache-Control` with `s-maxage`,
`Surrogate-Key`, and the national strip as an ESI include when Varnish asks for it. The
site's own pages behind Varnish are tested elsewhere; here a failing origin, a slow one
and a client on another address are easy to make.

Skipped where Varnish is not installed (scripts/varnish-up --install-only installs it),
failed in CI."""

import gzip
import http.client
import select
import shutil
import socket
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

import loopback  # noqa: E402

if not shutil.which("varnishd"):  # make test installs it, as tests/test_varnish.py says
    pytest.fail("Varnish is not installed: run scripts/varnish-up --install-only", pytrace=False)

CACHE_CONTROL = "public, max-age=5, s-maxage=3600, stale-while-revalidate=30, stale-if-error=86400"
# The stub origin's pages read one query parameter, `sort`.
PARAMETERS_VCL = r"""
sub strip_parameters {
    set req.url = regsuball(req.url, "(?<=[?&])(?!sort=)[^&]*&?", "");
    set req.url = regsub(req.url, "[?&]+$", "");
}
"""


# As Django reads DJANGO_ALLOWED_HOSTS: a name, `.name` for it and its subdomains.
ALLOWED_HOSTS = "127.0.0.1, results.example,.elections.example,[::1]"


class Origin(ThreadingHTTPServer):
    """Counts what it renders, remembers the headers it was sent, and fails on demand
    (`mode`: "ok", "500", or "drop" to close the connection unanswered)."""

    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), OriginHandler)
        self.renders = {}
        self.seen = {}
        self.mode = "ok"
        self.lock = threading.Lock()

    def render(self, path):
        with self.lock:
            self.renders[path] = self.renders.get(path, 0) + 1
            return self.renders[path]


class OriginHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def answer(self, status, body, content_type="text/html; charset=utf-8", headers=()):
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.answer(200, "posted", headers=[("Cache-Control", "private")])

    def do_GET(self):
        origin = self.server
        path = self.path.split("?")[0]
        if path == "/healthz":
            return self.answer(200, "ok\n", "text/plain")
        origin.seen[self.path] = self.headers  # names in any case
        if origin.mode == "drop":
            self.close_connection = True
            return None
        if origin.mode == "500" or path == "/error/":
            return self.answer(500, "error", "text/plain")
        if path == "/bad/":
            return self.answer(400, "bad request", "text/plain")
        if path.startswith("/slow/"):
            time.sleep(0.5)
        n = origin.render(self.path)
        if path == "/fragments/strip/":
            return self.answer(
                200,
                f"<div>strip {n}</div>",
                headers=[("Cache-Control", CACHE_CONTROL), ("Surrogate-Key", "strip nation")],
            )
        if path.startswith("/admin/"):
            return self.answer(200, f"admin {n}", headers=[("Cache-Control", "private")])
        if path == "/data.csv":
            return self.answer(
                200,
                "seat,votes\n" * 100,
                "text/csv",
                [
                    ("Cache-Control", CACHE_CONTROL),
                    ("Surrogate-Key", "data"),
                    ("Content-Disposition", 'attachment; filename="data.csv"'),
                ],
            )
        if not path.startswith(("/seats/", "/slow/")):
            return self.answer(
                404,
                "not found",
                headers=[("Cache-Control", CACHE_CONTROL), ("Surrogate-Key", "site")],
            )
        slug = path.split("/")[2]
        esi = 'varnish="ESI/1.0"' in self.headers.get("Surrogate-Capability", "")
        strip = '<esi:include src="/fragments/strip/"/>' if esi else "<div>strip inline</div>"
        headers = [
            ("Cache-Control", CACHE_CONTROL),
            ("Surrogate-Key", f"site seat:{slug}"),
            ("ETag", f'"{n}"'),
            ("Vary", "Accept-Encoding"),
        ]
        if esi:
            headers.append(("Surrogate-Control", 'content="ESI/1.0"'))
        body = f"<!DOCTYPE html><html><body>{strip}<p>{slug} {n}</p>{'.' * 2000}</body></html>"
        return self.answer(200, body, headers=headers)


@pytest.fixture(scope="module")
def origin():
    server = Origin()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def varnish(origin):
    # Where Varnish's own user can read it (not in pytest's private temporary folder).
    folder = Path(tempfile.mkdtemp(prefix="vcl-test-"))
    folder.chmod(0o755)
    (folder / "parameters.vcl").write_text(PARAMETERS_VCL)
    (folder / "parameters.vcl").chmod(0o644)
    node = None
    try:
        node = loopback.start_varnish(
            origin.server_address[1],
            loopback.free_port(),
            VARNISH_VCL_PATH=str(folder),
            DJANGO_ALLOWED_HOSTS=ALLOWED_HOSTS,
        )
        yield node
    finally:
        loopback.stop_varnish(node)
        shutil.rmtree(folder)


@pytest.fixture(autouse=True)
def origin_healthy(origin):
    origin.mode = "ok"
    yield
    origin.mode = "ok"


def get(node, path, method="GET", headers=None, source=None):
    """(status, headers, body) of one request to `node`, from `source` (an address on
    loopback) if given."""
    port = int(node.url.rsplit(":", 1)[1])
    connection = http.client.HTTPConnection(
        "127.0.0.1", port, timeout=10, source_address=(source, 0) if source else None
    )
    try:
        connection.request(method, path, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.headers, response.read()
    finally:
        connection.close()


def text(node, path, **kwargs):
    status, headers, body = get(node, path, **kwargs)
    return status, headers["X-Cache"], body.decode()


def eventually(node, path, shown, seconds=5):
    """Ask for `path` until Varnish answers a kept copy showing `shown` (a background
    fetch has finished); the last answer."""
    deadline = time.monotonic() + seconds
    while True:
        status, cache, body = text(node, path)
        if (cache == "HIT" and shown in body) or time.monotonic() > deadline:
            return status, cache, body
        time.sleep(0.05)


def purge(node, keys, source=None):
    return get(node, "/", method="PURGE", headers={"xkey-purge": keys}, source=source)


def test_a_page_is_fetched_once_and_assembled_with_its_strip(varnish, origin):
    assert text(varnish, "/seats/kettering/")[:2] == (200, "MISS")
    status, cache, body = text(varnish, "/seats/kettering/")
    assert (status, cache) == (200, "HIT")
    assert "<div>strip 1</div><p>kettering 1</p>" in body
    assert "esi:include" not in body
    seen = origin.seen["/seats/kettering/"]
    assert seen["Surrogate-Capability"] == 'varnish="ESI/1.0"'
    assert "Accept-Encoding" not in seen


def test_what_varnish_keeps_to_itself(varnish):
    status, headers, _ = get(varnish, "/seats/headers/")
    for name in ("Surrogate-Key", "xkey", "Surrogate-Control", "ETag", "Via"):
        assert name not in headers
    assert headers["Cache-Control"] == CACHE_CONTROL
    # Counted from now: a browser keeps a purged-on-change page for its max-age.
    assert headers["Age"] == "0"


def test_cookies_credentials_and_a_forged_capability_reach_no_reader_page(varnish, origin):
    headers = {
        "Cookie": "sessionid=abc",
        "Authorization": "Basic eDp5",
        "Surrogate-Capability": "evil=ESI/1.0",
    }
    text(varnish, "/seats/cookie/", headers=headers)
    assert text(varnish, "/seats/cookie/")[1] == "HIT"
    seen = origin.seen["/seats/cookie/"]
    assert "Cookie" not in seen and "Authorization" not in seen
    assert seen["Surrogate-Capability"] == 'varnish="ESI/1.0"'


def test_the_admin_is_passed_with_its_cookies(varnish, origin):
    assert text(varnish, "/admin/", headers={"Cookie": "sessionid=abc"})[:2] == (200, "PASS")
    assert text(varnish, "/admin/", headers={"Cookie": "sessionid=abc"})[2] == "admin 2"
    assert origin.seen["/admin/"]["Cookie"] == "sessionid=abc"
    assert text(varnish, "/seats/post/", method="POST")[:2] == (200, "PASS")


def test_stray_parameters_and_their_order_make_no_new_object(varnish, origin):
    text(varnish, "/seats/params/?sort=votes")
    status, cache, _ = text(varnish, "/seats/params/?utm_source=x&sort=votes&fbclid=1")
    assert (status, cache) == (200, "HIT")
    assert origin.renders["/seats/params/?sort=votes"] == 1
    assert not [path for path in origin.seen if "utm_source" in path]


def test_gzip_once_and_plain_to_whoever_refuses_it(varnish):
    status, headers, body = get(varnish, "/seats/gzip/", headers={"Accept-Encoding": "gzip"})
    assert headers["Content-Encoding"] == "gzip"
    assert b"<p>gzip 1</p>" in gzip.decompress(body)
    for refusal in ({"Accept-Encoding": "gzip;q=0"}, {}):
        status, headers, body = get(varnish, "/seats/gzip/", headers=refusal)
        assert (status, headers["X-Cache"]) == (200, "HIT")
        assert "Content-Encoding" not in headers
        assert b"<p>gzip 1</p>" in body


def test_head_and_a_download(varnish):
    status, headers, body = get(varnish, "/seats/head/", method="HEAD")
    assert (status, body) == (200, b"")
    assert get(varnish, "/seats/head/", method="HEAD")[1]["X-Cache"] == "HIT"
    assert get(varnish, "/seats/head/")[2].endswith(b"</html>")
    status, headers, body = get(varnish, "/data.csv", headers={"Accept-Encoding": "gzip"})
    assert headers["Content-Disposition"] == 'attachment; filename="data.csv"'
    assert headers["Content-Type"] == "text/csv"


def test_a_404_is_kept_a_400_or_500_is_not(varnish):
    assert text(varnish, "/missing/")[:2] == (404, "MISS")
    assert text(varnish, "/missing/")[:2] == (404, "HIT")
    for path, status in (("/bad/", 400), ("/error/", 500)):
        text(varnish, path)
        assert text(varnish, path)[:2] == (status, "PASS")


def test_purge_needs_loopback_and_soft_purges_by_key(varnish, origin):
    text(varnish, "/seats/purged/")
    assert purge(varnish, "seat:purged", source="127.0.0.2")[0] == 403
    assert get(varnish, "/", method="PURGE")[0] == 400
    status, _, body = purge(varnish, "seat:purged seat:nothing-kept")
    assert (status, body) == (200, b"Purged 1\n")
    # The previous page while one request fetches the new one, then the new one.
    assert text(varnish, "/seats/purged/")[1] == "HIT-STALE"
    status, cache, body = eventually(varnish, "/seats/purged/", "<p>purged 2</p>")
    assert (cache, "<p>purged 2</p>" in body) == ("HIT", True)


def test_a_strip_purge_leaves_the_page_but_changes_its_strip(varnish, origin):
    text(varnish, "/seats/strip/")
    before = origin.renders.get("/fragments/strip/")
    purge(varnish, "strip")
    text(varnish, "/seats/strip/")
    expected = f"<div>strip {before + 1}</div><p>strip 1</p>"
    status, cache, body = eventually(varnish, "/seats/strip/", expected)
    assert cache == "HIT"
    assert expected in body


@pytest.mark.parametrize("failure", ["500", "drop"])
def test_readers_get_the_last_page_while_the_origin_fails(varnish, origin, failure):
    path = f"/seats/fails-{failure}/"
    text(varnish, path)
    purge(varnish, f"seat:fails-{failure}")
    origin.mode = failure
    assert text(varnish, path)[:2] == (200, "HIT-STALE")
    # Past the 2 s a purged page is served while the origin is healthy, a failed fetch
    # still falls back to the last page.
    time.sleep(2.2)
    status, cache, body = text(varnish, path)
    assert (status, cache) == (200, "HIT-STALE")
    assert f"<p>fails-{failure} 1</p>" in body
    # A page never fetched has nothing to fall back to.
    assert text(varnish, f"/seats/never-{failure}/")[0] in {500, 503}


def test_a_page_fetched_while_a_purge_arrived_is_kept_a_moment_only(varnish, origin):
    results = []
    fetch = threading.Thread(target=lambda: results.append(text(varnish, "/slow/race/")))
    fetch.start()
    while "/slow/race/" not in origin.seen:  # the origin is rendering it
        time.sleep(0.01)
    purge(varnish, "seat:another")
    fetch.join()
    assert results[0][:2] == (200, "MISS")
    time.sleep(1.1)  # the second it is kept (site.vcl)
    assert text(varnish, "/slow/race/")[1] == "HIT-STALE"
    status, cache, body = eventually(varnish, "/slow/race/", "<p>race 2</p>")
    assert (cache, "<p>race 2</p>" in body) == ("HIT", True)


@pytest.mark.parametrize(
    "host",
    [
        "forged.example",
        "results.example.forged.example",
        "forged-results.example",
        "elections.example.evil",
        "127.0.0.2",
        "results.example:80@forged.example",
    ],
)
def test_a_host_the_site_does_not_serve_gets_400_from_varnish(varnish, origin, host):
    """Not a page kept for another host, nor a fetch: the origin never sees it."""
    text(varnish, "/seats/hosted/")
    seen = dict(origin.seen)
    for _ in range(2):
        status, _, body = get(varnish, "/seats/hosted/", headers={"Host": host})
        assert status == 400, host
        assert b"hosted" not in body
    assert origin.seen == seen


@pytest.mark.parametrize(
    "host",
    [
        "results.example",
        "RESULTS.example:8000",
        "results.example.",
        "elections.example",
        "www.elections.example",
        "[::1]:8000",
    ],
)
def test_the_site_s_hosts_get_their_pages(varnish, host):
    status, _, body = text(varnish, "/seats/hosted/", headers={"Host": host})
    assert (status, "hosted" in body) == (200, True), host


def test_varnish_cuts_a_client_sending_a_header_line_a_second(varnish):
    """scripts/varnish-up's timeout_idle: the whole request head within 5 s, or the
    connection is closed, without the origin or a worker of Varnish's waiting on it."""
    port = int(varnish.url.rsplit(":", 1)[1])
    started = time.monotonic()
    cut = None
    with socket.create_connection(("127.0.0.1", port), timeout=2) as slow:
        slow.sendall(b"GET /seats/slowloris/ HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        for n in range(10):
            time.sleep(1)
            try:
                slow.sendall(f"X-Slow-{n}: {n}\r\n".encode())
                closed = select.select([slow], [], [], 0)[0] and slow.recv(1024) == b""
            except ConnectionError:
                closed = True
            if closed:
                cut = time.monotonic() - started
                break
    assert cut is not None and cut < 5 + 2, cut


def test_varnish_refuses_oversized_request_heads(varnish):
    """http_req_hdr_len 8k a header, http_req_size 32k in all, http_max_hdr 64 headers."""
    status, _, _ = get(varnish, "/seats/big/", headers={"X-Big": "x" * 9000})
    assert status == 400
    status, _, _ = get(varnish, "/seats/big/", headers={f"X-Many-{n}": "1" for n in range(70)})
    assert status == 400
