"""Photos in production (issue 14): with debugging off, behind gunicorn as `make serve`
runs it, an editor's upload is served in three widths, WebP with a JPEG fallback, under
names made from their content and cached for a year; a PDF or a 20 MB file is refused
with a message that says why."""

import io
import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from django.conf import settings
from PIL import Image

ROOT = Path(settings.BASE_DIR)
PASSWORD = "a long enough password for the night"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def production(tmp_path_factory):
    """gunicorn with debugging off on a database and media folder of its own."""
    folder = tmp_path_factory.mktemp("production")
    port = free_port()
    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    env |= {
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "a-long-random-production-secret-0123456789-abcdefghijklmnop",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_SECURE_COOKIES": "0",
        "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}",
        "MEDIA_ROOT": str(folder / "media"),
        "STATIC_ROOT": str(folder / "static"),
        "SITE_URL": f"http://127.0.0.1:{port}",
        "WEB_CONCURRENCY": "1",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "HOME": str(folder),
        "XDG_RUNTIME_DIR": str(folder),
        "DJANGO_SUPERUSER_PASSWORD": PASSWORD,
    }
    manage = [sys.executable, "manage.py"]
    for command in (
        ["collectstatic", "--noinput"],
        ["migrate", "--noinput"],
        ["import_seeds"],
        ["createsuperuser", "--noinput", "--username", "sam", "--email", "sam@example.com"],
    ):
        subprocess.run([*manage, *command, "-v", "0"], cwd=ROOT, env=env, check=True)
    gunicorn = Path(sys.executable).parent / "gunicorn"
    server = subprocess.Popen(
        [str(gunicorn), "-c", "config/gunicorn.py", "config.wsgi"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            requests.get(f"{base}/healthz", timeout=2)
            break
        except requests.ConnectionError:
            assert server.poll() is None, server.communicate()[1]
            assert time.monotonic() < deadline, "gunicorn did not start"
            time.sleep(0.2)
    try:
        yield base
    finally:
        server.terminate()
        server.wait(timeout=20)


def signed_in(base):
    session = requests.Session()
    session.get(f"{base}/admin/login/")
    response = session.post(
        f"{base}/admin/login/?next=/admin/",
        data={
            "username": "sam",
            "password": PASSWORD,
            "csrfmiddlewaretoken": session.cookies["csrftoken"],
        },
        headers={"Referer": f"{base}/admin/login/"},
    )
    assert response.url == f"{base}/admin/", response.text[:500]
    return session


def add_post(session, base, title, upload):
    form = session.get(f"{base}/admin/liveblog/post/add/").text
    live_page = re.search(r'<option value="(\d+)"[^>]*>Derbyshire: General election', form)
    assert live_page, form[:3000]
    live_page = live_page[1]
    data = {
        "csrfmiddlewaretoken": session.cookies["csrftoken"],
        "live_page": live_page,
        "title": title,
        "publish_at_0": "",
        "publish_at_1": "",
        "byline_name": "Kate Linderholm",
        "byline_role": "BBC Derby",
        "blocks-TOTAL_FORMS": "1",
        "blocks-INITIAL_FORMS": "0",
        "blocks-MIN_NUM_FORMS": "0",
        "blocks-MAX_NUM_FORMS": "1000",
        "blocks-0-position": "0",
        "blocks-0-kind": "image",
        "blocks-0-alt": "Counters at work in Derby",
        "blocks-0-caption": "The count at Derby",
        "blocks-0-credit": "Kate Linderholm/BBC",
        "_publish": "Publish",
    }
    return session.post(
        f"{base}/admin/liveblog/post/add/",
        data=data,
        files={"blocks-0-image": upload},
        headers={"Referer": f"{base}/admin/liveblog/post/add/"},
    )


def photo(width=2400, height=1600):
    buffer = io.BytesIO()
    picture = Image.new("RGB", (width, height))
    for x in range(0, width, 50):  # something to compress
        picture.paste((x % 256, 80, 160), (x, 0, x + 25, height))
    picture.save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def test_an_uploaded_photo_is_served_in_three_widths_with_long_caching(production):
    session = signed_in(production)
    response = add_post(session, production, "The count at Derby", ("derby.jpg", photo()))
    assert response.status_code == 200 and "readers see it now" in response.text

    page = requests.get(f"{production}/counties/derbyshire/").text
    picture = re.search(r"<picture>(.*?)</picture>", page, re.S)[1]
    webp = re.search(r'<source type="image/webp" srcset="([^"]+)" sizes="([^"]+)"', picture)
    img = re.search(
        r'<img src="([^"]+)" srcset="([^"]+)" sizes="[^"]+" alt="Counters at work', picture
    )
    assert 'width="2400" height="1600"' in picture  # room kept: no layout shift
    assert webp and img
    for srcset, media_type in ((webp[1], "image/webp"), (img[2], "image/jpeg")):
        candidates = [candidate.split() for candidate in srcset.split(", ")]
        assert [width for _, width in candidates] == ["480w", "960w", "1600w"]
        for address, width in candidates:
            assert re.search(r"/media/posts/r/[0-9a-f]{20}-\d+\.(webp|jpg)$", address)
            served = requests.get(production + address)
            assert served.status_code == 200
            assert served.headers["Content-Type"] == media_type
            assert served.headers["Cache-Control"] == "public, max-age=31536000, immutable"
            assert served.headers["X-Content-Type-Options"] == "nosniff"
            with Image.open(io.BytesIO(served.content)) as image:
                assert f"{image.width}w" == width
            again = requests.get(
                production + address, headers={"If-None-Match": served.headers["ETag"]}
            )
            assert again.status_code == 304
    # The <img>'s own address is the widest JPEG, for browsers without srcset.
    assert img[1] == candidates[-1][0]
    assert requests.get(f"{production}/media/../config/settings.py").status_code == 404
    assert requests.get(f"{production}/media/posts/r/nothing.webp").status_code == 404


def test_a_pdf_or_a_20_mb_file_is_refused_with_a_clear_message(production):
    session = signed_in(production)
    pdf = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
    response = add_post(session, production, "Not a photo", ("results.pdf", pdf))
    assert "Upload a JPEG, PNG, WebP or GIF image." in response.text
    large = photo(200, 100) + b"\0" * (20 * 1024 * 1024)
    response = add_post(session, production, "Too big", ("huge.jpg", large))
    assert "The image is 20.0 MB: the most is 10 MB." in response.text
    page = requests.get(f"{production}/counties/derbyshire/").text
    assert "Not a photo" not in page and "Too big" not in page
