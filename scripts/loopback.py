"""Starting gunicorn on 127.0.0.1 for the benchmark and the load tests."""

import socket
import subprocess
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = ROOT / ".venv" / "bin" / "python"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_gunicorn(env, port):
    """gunicorn with config/gunicorn.py on 127.0.0.1:`port`; its process."""
    return subprocess.Popen(
        [str(GUNICORN), "-c", "config/gunicorn.py", "--bind", f"127.0.0.1:{port}", "config.wsgi"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


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
