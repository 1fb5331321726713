"""Benchmark single pages through Varnish with wrk, at seed scale and at a large scale.

    make bench

Every request says `Accept-Encoding: gzip`, as browsers and CDNs do.

Starts gunicorn (2 workers) on 127.0.0.1 with production settings over plain HTTP and a
Varnish node in front (scripts/varnish-up, config/varnish/site.vcl), then drives them
with wrk, one target after another: Django's trivial view asked of gunicorn direct and a
static file served by whitenoise (the references), then through Varnish the static
file, the home page, a county page, a constituency page (and with a stray query string
each time), and the live-update endpoint with and without a matching ETag. Prints a
table and writes it to the "Serving single pages" section of docs/benchmarks.md.
Loopback only; every run stops by itself, and everything started is stopped.
Nothing here asserts the figures: they are measured, and the goals are in the table.
"""

import json
import os
import re
import shutil
import tempfile
import urllib.request
from datetime import datetime
from pathlib import Path

from docs_section import replace_section
from loopback import (
    ROOT,
    free_port,
    manage,
    production_env,
    purge,
    start_gunicorn,
    start_varnish,
    start_wrk,
    stop,
    stop_varnish,
    wait_until_up,
    wrk_figures,
)

DOC = ROOT / "docs" / "benchmarks.md"
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "32"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
THREADS = 2
# wrk adds a stray parameter to each request: the VCL strips it, so each is served as
# the page itself (renders are measured by scripts/bench_render.py).
GOAL_RATIO = 10  # issue 28: pages through Varnish, times the trivial view direct
GOAL_P99_MS = 20
STRAY_LUA = """
request = function()
  return wrk.format("GET", wrk.path .. "?nocache=" .. math.random(1, 100000000))
end
"""


def main():
    scratch = Path(tempfile.mkdtemp(prefix="bench-"))
    node_port = free_port()
    env = environment(scratch, HTTP_CACHES=f"http://127.0.0.1:{node_port}")
    manage(env, "migrate", "--verbosity", "0")
    manage(env, "collectstatic", "--noinput", "--verbosity", "0")
    manage(env, "import_seeds", "--verbosity", "0")
    port = free_port()
    server = start_gunicorn(env, port)
    node = None
    try:
        base = f"http://127.0.0.1:{port}"
        wait_until_up(base + "/healthz")
        node = start_varnish(port, node_port)
        rows = measure(
            base, node.url, scratch, "seed scale", county="northamptonshire", seat="kettering"
        )
        manage(env, "make_scale_data", "--verbosity", "0")
        purge(node.url, ["site"])  # every page: whatever the command purged or not
        rows += measure(
            base,
            node.url,
            scratch,
            "large scale (650 seats, 2,000 posts)",
            county="scaleshire-01",
            seat="scaleshire-01-division-1",
        )
    finally:
        stop_varnish(node)
        stop(server)
        shutil.rmtree(scratch, ignore_errors=True)
    write_report(rows, env)


def environment(scratch, **settings):
    env = production_env(
        "benchmark",
        WEB_CONCURRENCY="2",
        PYTHONPATH=str(ROOT),
        **settings,
    )
    env.setdefault("DATABASE_URL", f"sqlite:///{scratch}/bench.sqlite3")
    return env


def fetch(url, headers=None):
    request = urllib.request.Request(url, headers=headers or {})
    with urllib.request.urlopen(request, timeout=5) as response:
        return response.headers, response.read()


def measure(base, cache, scratch, scale, *, county, seat):
    """The targets, direct on gunicorn at `base` or through the Varnish at `cache`."""
    static = hashed_static("css/site.css")
    _, county_html = fetch(f"{cache}/counties/{county}/")
    since = re.search(rb'data-since="(\d+)"', county_html).group(1).decode()
    updates = f"{cache}/counties/{county}/updates/?since={since}"
    etag = fetch(updates)[0]["ETag"]
    lua = scratch / "stray.lua"
    lua.write_text(STRAY_LUA)
    targets = [
        ("trivial view, direct", f"{base}/healthz", []),
        ("static file (whitenoise), direct", f"{base}/static/{static}", []),
        ("static file", f"{cache}/static/{static}", []),
        ("home", f"{cache}/", []),
        ("county page", f"{cache}/counties/{county}/", []),
        ("constituency page", f"{cache}/constituencies/{seat}/", []),
        (
            "constituency page, a stray query string each time",
            f"{cache}/constituencies/{seat}/",
            ["-s", str(lua)],
        ),
        ("live updates", updates, []),
    ]
    if etag:  # Varnish answers 304 itself to a validator it holds
        targets.append(
            ("live updates, matching ETag (304)", updates, ["-H", f"If-None-Match: {etag}"])
        )
    rows = []
    for name, url, extra in targets:
        fetch(url)  # warm the cache
        result = run_wrk(url, extra)
        rows.append({"scale": scale, "target": name, "direct": url.startswith(base), **result})
        print(
            f"{scale:<40} {name:<36} {result['rps']:>9.0f} req/s  p50 "
            f"{result['p50']:>7.2f} ms  p99 {result['p99']:>7.2f} ms  errors {result['errors']}"
        )
    reference = next(row["rps"] for row in rows if row["target"] == "trivial view, direct")
    for row in rows:
        row["ratio"] = row["rps"] / reference
    return rows


def hashed_static(name):
    manifest = json.loads((ROOT / "staticfiles" / "staticfiles.json").read_text())
    return manifest["paths"][name]


def run_wrk(url, extra):
    figures = wrk_figures(start_wrk(url, SECONDS, CONNECTIONS, extra), SECONDS)
    figures["errors"] = figures["non_2xx"] + figures["socket_errors"]
    return figures


def write_report(rows, env):
    database = "PostgreSQL" if env["DATABASE_URL"].startswith("postgres") else "SQLite"
    lines = [
        f"Written by `make bench` (scripts/bench.py) on {datetime.now():%Y-%m-%d %H:%M}: "
        f"one Varnish node (config/varnish/site.vcl) in front of gunicorn with 2 sync "
        f"workers on 127.0.0.1, {database}, local-memory cache; *direct* rows asked of "
        f"gunicorn itself, the others through Varnish; wrk with {THREADS} threads and "
        f"{CONNECTIONS} connections for {SECONDS} s per target, on this machine "
        f"({os.cpu_count()} cores, wrk sharing them with Varnish and the server).",
        "",
        f"Goals (issue 28): pages through Varnish at least {GOAL_RATIO} times the trivial "
        f"view direct, a stray query string as fast as the page itself; p99 at most "
        f"{GOAL_P99_MS} ms; no errors.",
        "",
        "| scale | target | requests/s | p50 (ms) | p99 (ms) | errors | ratio to trivial "
        "view direct | goal |",
        "|---|---|---:|---:|---:|---:|---:|---|",
    ]
    for row in rows:
        goal = "–"
        if not row["direct"]:
            ok = row["ratio"] >= GOAL_RATIO and row["p99"] <= GOAL_P99_MS and not row["errors"]
            goal = "met" if ok else "**not met**"
        lines.append(
            f"| {row['scale']} | {row['target']} | {row['rps']:.0f} | {row['p50']:.2f} | "
            f"{row['p99']:.2f} | {row['errors']} | {row['ratio']:.2f} | {goal} |"
        )
    replace_section(DOC, "Serving single pages", lines)
    print(f"wrote the Serving single pages section of {DOC}")


if __name__ == "__main__":
    main()
