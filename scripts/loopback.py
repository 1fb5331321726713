"""Starting gunicorn and Varnish on 127.0.0.1 for the benchmark and the load tests."""

import fnmatch
import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
PY = ROOT / ".venv" / "bin" / "python"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"


def production_env(purpose, **settings):
    """This process's environment with the site's production settings (debug off) over
    plain HTTP on loopback, a secret key of its own for `purpose`, and `settings`."""
    return dict(
        os.environ,
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=f"{purpose}-only-not-for-production-0123456789-abcdefghijklmnop",
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_SECURE_COOKIES="0",
        **settings,
    )


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_gunicorn(env, port, log=None):
    """gunicorn with config/gunicorn.py on 127.0.0.1:`port`; its process. Its own log
    (errors and tracebacks) goes to the open file `log`, if given."""
    return subprocess.Popen(
        [str(GUNICORN), "-c", "config/gunicorn.py", "--bind", f"127.0.0.1:{port}", "config.wsgi"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log or subprocess.DEVNULL,
    )


def stop(process, seconds=20):
    """SIGTERM, then SIGKILL if it has not ended within `seconds`."""
    if process is None or process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def run_script(name, **extra):
    """Run scripts/`name` (postgres-up, redis-up) with `extra` in its environment; what it
    printed."""
    result = subprocess.run(
        [str(ROOT / "scripts" / name)],
        env=dict(os.environ, **extra),
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise SystemExit(f"scripts/{name} failed: {result.stderr.strip()}")
    return result.stdout.rstrip("\n")


def stop_postgres_if_started(flag):
    """Stop the PostgreSQL cluster if scripts/postgres-up started it (it wrote "started"
    in the file `flag`, a Path); a cluster that was already running is left running."""
    if flag.exists() and "started" in flag.read_text():
        version = os.environ.get("PG_VERSION", "15")
        subprocess.run(
            ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "stop"],
            check=False,
            stdout=subprocess.DEVNULL,
        )


@dataclass(frozen=True)
class VarnishNode:
    """A Varnish started by scripts/varnish-up: where it listens, its manager's PID, and
    its work folder (`varnishlog -n`, `varnishstat -n`)."""

    url: str
    pid: int
    workdir: Path


def start_varnish(backend_port, port, **settings):
    """Varnish on 127.0.0.1:`port` in front of the origin on 127.0.0.1:`backend_port`
    (config/varnish/site.vcl); `settings` go into scripts/varnish-up's environment
    (VARNISH_MEMORY=...). Answers once it is up; end it with stop_varnish."""
    output = run_script(
        "varnish-up", VARNISH_PORT=str(port), BACKEND_PORT=str(backend_port), **settings
    )
    url, pid, workdir = output.splitlines()[-3:]
    return VarnishNode(url=url, pid=int(pid), workdir=Path(workdir))


def stop_varnish(node, seconds=10):
    """End a Varnish from start_varnish (SIGTERM, then SIGKILL if it has not ended
    within `seconds`) and remove its work folder."""
    if node is None:
        return
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.kill(node.pid, sig)
        except ProcessLookupError:
            break
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline and pid_alive(node.pid):
            time.sleep(0.05)
        if not pid_alive(node.pid):
            break
    shutil.rmtree(node.workdir, ignore_errors=True)


def pid_alive(pid):
    """Whether process `pid` runs (a zombie left for a parent that does not reap it,
    as a container's first process may, has ended)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rpartition(")")[2].split()[0] != "Z"


def purge(url, keys):
    """Soft-purge every object carrying one of `keys` from the Varnish at `url`, as
    Django does after a change; how many objects it purged."""
    address = urlsplit(url)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=5)
    try:
        connection.request("PURGE", "/", headers={"xkey-purge": " ".join(keys)})
        response = connection.getresponse()
        body = response.read().decode()
    finally:
        connection.close()
    if response.status != 200:
        raise RuntimeError(f"PURGE on {url} answered {response.status}: {body.strip()}")
    return int(body.split()[-1])


def varnish_counters(node, names):
    """{name: value} of Varnish counters (varnishstat) of a node from start_varnish. A
    name may be a pattern (`VBE.*.beresp_bodybytes`: every backend's): the counters it
    matches, added up; 0 if none."""
    output = subprocess.run(
        ["varnishstat", "-n", str(node.workdir), "-1", *(f"-f{name}" for name in names)],
        capture_output=True,
        text=True,
        check=True,
        timeout=10,
    ).stdout
    found = re.findall(r"^(\S+)\s+(\d+)", output, re.M)
    return {
        name: sum(int(value) for counter, value in found if fnmatch.fnmatchcase(counter, name))
        for name in names
    }


def wait_until_up(url, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"gunicorn did not answer {url} within {seconds} s")


def manage(env, *arguments, quiet=True):
    """Run a management command; its output if not `quiet`."""
    result = subprocess.run(
        [str(PY), "manage.py", *arguments],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return None if quiet else result.stdout.strip()


def django_shell(env, code):
    """Run Python in `manage.py shell`; what it printed."""
    return manage(env, "shell", "--verbosity", "0", "-c", code, quiet=False)


def start_wrk(url, seconds, connections, extra=(), threads=2):
    """wrk against `url` in the background (`threads` threads, gzip accepted, as
    browsers do)."""
    binary = shutil.which("wrk") or install_wrk()
    return subprocess.Popen(
        [
            binary,
            f"-t{threads}",
            f"-c{connections}",
            f"-d{seconds}s",
            "--timeout",
            "5s",
            "--latency",
            "-H",
            "Accept-Encoding: gzip",
            *extra,
            url,
        ],
        stdout=subprocess.PIPE,
        text=True,
    )


def wrk_figures(process, seconds):
    """Wait for a wrk run; its figures (latencies in milliseconds). With a script that
    prints `quantile <n> <microseconds>` lines when done, those too, as "quantiles" (the
    latencies in milliseconds, in order)."""
    output = process.communicate(timeout=seconds + 30)[0]
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    sockets = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    return {
        "requests": int(re.search(r"(\d+) requests in", output).group(1)),
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50": latency(output, "50%"),
        "p99": latency(output, "99%"),
        "non_2xx": int(non_2xx.group(1)) if non_2xx else 0,
        "socket_errors": sum(map(int, sockets.groups())) if sockets else 0,
        "quantiles": [
            int(value) / 1000 for value in re.findall(r"^quantile \d+ (\d+)$", output, re.M)
        ],
    }


def latency(output, percentile):
    value, unit = re.search(rf"^\s+{percentile}\s+([\d.]+)(us|ms|s)\s*$", output, re.M).groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]


def install_wrk():
    print("wrk is missing: installing Debian's wrk", file=sys.stderr)
    subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], check=True, stdout=subprocess.DEVNULL)
    return shutil.which("wrk") or sys.exit("wrk could not be installed")
