"""Headers and limits every response keeps: Permissions-Policy, static files in the
encoding the client accepts, and request bodies refused by their declared size before
anything reads them."""

import gzip

import pytest
from django.test.client import FakePayload

from liveblog.uploads import MAX_BYTES

pytestmark = pytest.mark.django_db

PERMISSIONS_POLICY = (
    "accelerometer=(), ambient-light-sensor=(), autoplay=(), browsing-topics=(), "
    "camera=(), display-capture=(), encrypted-media=(), fullscreen=(), geolocation=(), "
    "gyroscope=(), hid=(), interest-cohort=(), magnetometer=(), microphone=(), midi=(), "
    "payment=(), picture-in-picture=(), publickey-credentials-get=(), screen-wake-lock=(), "
    "serial=(), usb=(), xr-spatial-tracking=()"
)


@pytest.mark.parametrize("address", ["/", "/counties/derbyshire/", "/api/v1/regions", "/nowhere/"])
def test_every_response_denies_the_features_the_site_does_not_use(client, seeded, address):
    assert client.get(address)["Permissions-Policy"] == PERMISSIONS_POLICY


@pytest.fixture
def static_files(settings, tmp_path):
    """A collected static folder as `collectstatic` leaves it: a file and its .gz."""
    plain = b"body { color: #111; }\n" * 50
    (tmp_path / "css").mkdir()
    (tmp_path / "css" / "site.css").write_bytes(plain)
    (tmp_path / "css" / "site.css.gz").write_bytes(gzip.compress(plain, mtime=0))
    settings.STATIC_ROOT = tmp_path
    return plain


@pytest.mark.parametrize(
    "accept_encoding",
    ["gzip;q=0", "gzip; q=0.0", "gzip;q=0, br;q=0", "identity", "br;q=0,gzip;Q=0,identity", ""],
)
def test_static_files_are_plain_to_a_client_that_refuses_gzip(
    client, static_files, accept_encoding
):
    response = client.get("/static/css/site.css", headers={"accept-encoding": accept_encoding})
    assert response.status_code == 200
    assert "Content-Encoding" not in response
    assert b"".join(response.streaming_content) == static_files
    assert response["Permissions-Policy"] == PERMISSIONS_POLICY


@pytest.mark.parametrize("accept_encoding", ["gzip", "gzip;q=0.5, br;q=0", "deflate, gzip;q=1"])
def test_static_files_are_gzipped_to_a_client_that_accepts_it(
    client, static_files, accept_encoding
):
    response = client.get("/static/css/site.css", headers={"accept-encoding": accept_encoding})
    assert response["Content-Encoding"] == "gzip"
    assert gzip.decompress(b"".join(response.streaming_content)) == static_files


@pytest.mark.parametrize("address", ["/", "/api/v1/regions", "/search/", "/admin/login/"])
def test_a_body_bigger_than_the_limit_is_refused_unread(client, seeded, address, monkeypatch):
    def unread(*args):
        raise AssertionError("the body was read")

    monkeypatch.setattr(FakePayload, "read", unread)
    response = client.generic(
        "POST",
        address,
        data=b"",
        headers={"content-type": "application/octet-stream"},
        CONTENT_LENGTH=str(200 * 1024 * 1024),
    )
    assert response.status_code == 413
    assert response["Cache-Control"] == "no-store"
    assert response["Permissions-Policy"] == PERMISSIONS_POLICY
    limit = b"63,963,136" if address.startswith("/admin/") else b"1,048,576"
    assert b"The request's body is 209,715,200 bytes: at most " + limit in response.content


def test_reader_pages_take_a_small_body_to_their_405(client, seeded):
    response = client.post("/", data=b"x" * 1000, content_type="text/plain")
    assert response.status_code == 405


def test_the_admin_takes_bodies_as_big_as_its_photos(client, settings):
    """A post's photo may be 10 MB (liveblog.uploads): the admin's limit leaves room for
    several, reader URLs take none."""
    assert settings.REQUEST_BODY_LIMIT == 1024 * 1024
    assert settings.ADMIN_REQUEST_BODY_LIMIT == 6 * MAX_BYTES + 1024 * 1024
    response = client.generic(
        "POST",
        "/admin/login/",
        data=b"",
        headers={"content-type": "application/x-www-form-urlencoded"},
        CONTENT_LENGTH=str(5 * 1024 * 1024),
    )
    assert response.status_code != 413


def test_the_api_refuses_a_big_body_as_problem_details(client):
    response = client.generic(
        "PUT",
        "/api/v1/regions",
        data=b"",
        headers={"content-type": "application/json"},
        CONTENT_LENGTH=str(2 * 1024 * 1024),
    )
    assert response.status_code == 413
    assert response["Content-Type"] == "application/problem+json"
    assert response.json() == {
        "type": "about:blank",
        "title": "Content Too Large",
        "status": 413,
        "detail": "The request's body is 2,097,152 bytes: at most 1,048,576 are taken here.",
        "instance": "/api/v1/regions",
    }
