"""Production settings: the deployment checklist, and the headers every response carries."""

import contextlib
import os
import runpy
import secrets
import select
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db

PRODUCTION = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "a-long-random-production-secret-0123456789-abcdefghijklmnop-XYZ",
    "DJANGO_ALLOWED_HOSTS": "results.example",
}


def manage(*arguments, environment):
    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    env.update(environment)
    return subprocess.run(
        [sys.executable, "manage.py", *arguments],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
    )


def test_check_deploy_is_clean_in_production():
    result = manage("check", "--deploy", "--fail-level", "WARNING", environment=PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == "System check identified no issues (0 silenced)."


def test_a_secret_key_is_required_without_debug():
    result = manage("check", environment={"DJANGO_DEBUG": "0"})
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off" in result.stderr


def test_security_headers(client, seeded, settings):
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/", secure=True)
    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == ("max-age=31536000; includeSubDomains; preload")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Content-Security-Policy"] == (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'; "
        "form-action 'self'"
    )
    assert client.get("/")["Location"] == "https://testserver/"


def test_headers_on_cached_pages_too(client, seeded):
    client.get("/counties/derbyshire/")
    cached = client.get("/counties/derbyshire/")
    assert "Content-Security-Policy" in cached
    assert cached["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    ("key", "bits"),
    [
        ("x", 0),
        ("a" * 40, 0),
        ("k" * 64, 0),
        ("ab" * 32, 64),
        ("0123456789abcdef0123456789abcdef", 128),
    ],
)
def test_a_weak_secret_key_is_refused_without_debug(key, bits):
    """Strength, not length: a key of one repeated letter is guessed at once."""
    result = manage("check", environment={**PRODUCTION, "DJANGO_SECRET_KEY": key})
    assert result.returncode != 0
    assert (
        f"DJANGO_SECRET_KEY is too weak: about {bits} bits (its {len(key)} characters, "
        "as often as each appears); at least 160 are needed when DJANGO_DEBUG is off"
        in result.stderr
    )


def test_django_s_insecure_key_is_refused_without_debug():
    key = "django-insecure-" + "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJ"
    result = manage("check", environment={**PRODUCTION, "DJANGO_SECRET_KEY": key})
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is Django's example key (django-insecure-...)" in result.stderr


def test_the_key_the_readme_makes_passes_check_deploy_and_debugging_needs_none():
    """README: `python -c 'import secrets; print(secrets.token_urlsafe(50))'`."""
    readme = (settings.BASE_DIR / "README.md").read_text()
    assert "python -c 'import secrets; print(secrets.token_urlsafe(50))'" in readme
    for _ in range(5):
        key = secrets.token_urlsafe(50)
        result = manage(
            "check",
            "--deploy",
            "--fail-level",
            "WARNING",
            environment={**PRODUCTION, "DJANGO_SECRET_KEY": key},
        )
        assert result.stdout.strip() == "System check identified no issues (0 silenced).", (
            result.stdout + result.stderr
        )
    assert (
        manage("check", environment={"DJANGO_DEBUG": "1", "DJANGO_SECRET_KEY": "x"}).returncode == 0
    )


@contextlib.contextmanager
def gunicorn(tmp_path, **extra):
    """gunicorn with config/gunicorn.py and one worker on a free loopback port, in
    production mode; (its process, its port) once /healthz answers. Its log goes to
    tmp_path/gunicorn.log."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    env |= PRODUCTION | {
        "WEB_CONCURRENCY": "1",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        **extra,
    }
    log = tmp_path / "gunicorn.log"
    with log.open("w") as output:
        server = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "gunicorn"),
                "-c",
                "config/gunicorn.py",
                "config.wsgi",
            ],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=output,
        )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                    assert r.read() == b"ok\n"
                    break
            except OSError:
                assert server.poll() is None, log.read_text()
                assert time.monotonic() < deadline, "gunicorn did not start"
                time.sleep(0.2)
        yield server, port
    finally:
        server.terminate()
        server.wait(timeout=20)


def test_gunicorn_opens_no_control_socket(tmp_path):
    """gunicorn 25.1+ would open a control socket in $XDG_RUNTIME_DIR or ~/.gunicorn, by
    which anyone running as the site's user could add workers or stop it."""
    home, runtime = tmp_path / "home", tmp_path / "run"
    home.mkdir()
    runtime.mkdir()
    with gunicorn(tmp_path, HOME=str(home), XDG_RUNTIME_DIR=str(runtime)):
        assert [path.name for path in runtime.rglob("*")] == []
        assert [path.name for path in home.rglob("*")] == []
    # Off in the settings, wherever the socket would go (not only where looked here).
    config = runpy.run_path(str(settings.BASE_DIR / "config" / "gunicorn.py"))
    assert config["control_socket_disable"] is True


def test_gunicorn_limits_request_lines_headers_and_time():
    """Varnish's limits are the first line (scripts/varnish-up); these are the last, for a
    client that reaches gunicorn directly."""
    config = runpy.run_path(str(settings.BASE_DIR / "config" / "gunicorn.py"))
    assert config["limit_request_line"] == 4094
    assert config["limit_request_fields"] == 64
    assert config["limit_request_field_size"] == 8190
    assert config["timeout"] == 30
    assert config["worker_class"] == "sync"


def test_gunicorn_cuts_a_client_sending_a_header_line_a_second(tmp_path):
    """A slowloris holds a sync worker until gunicorn's timeout (3 s here, 30 s in
    production, where Varnish cuts it after 5 s), then the connection is closed and a
    new worker serves."""
    with gunicorn(tmp_path, GUNICORN_TIMEOUT="3") as (server, port):
        started = time.monotonic()
        with socket.create_connection(("127.0.0.1", port), timeout=2) as slow:
            slow.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            cut = None
            for n in range(12):
                time.sleep(1)
                try:
                    slow.sendall(f"X-Slow-{n}: {n}\r\n".encode())
                    closed = select.select([slow], [], [], 0)[0] and slow.recv(1024) == b""
                except ConnectionError:
                    closed = True
                if closed:
                    cut = time.monotonic() - started
                    break
        assert cut is not None and cut < 3 + 3, cut
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=10) as answer:
            assert answer.read() == b"ok\n"
