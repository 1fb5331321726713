"""A kept page is served before the rest of the middleware runs, and is served the same."""

import pytest

pytestmark = pytest.mark.django_db

PAGES = [
    "/",
    "/constituencies/kettering/",
    "/counties/northamptonshire/",
    "/counties/northamptonshire/updates/?since=0",
    "/parties/labour/",
    "/api/v1/scoreboard",
    "/data/results.csv",
    "/sitemap.xml",
    "/robots.txt",
    "/declarations/feed/",
    "/counties/northamptonshire/feed/",
    "/search/?q=north",
]


def served_early(response):
    """Whether the page came from KeptPageMiddleware: SessionMiddleware, below it, gives
    every request it sees a session."""
    return not hasattr(response.wsgi_request, "session")


@pytest.mark.parametrize("address", PAGES)
@pytest.mark.parametrize("encoding", ["gzip", "identity"])
def test_a_kept_page_is_served_early_with_the_same_headers_and_content(
    client, seeded, address, encoding
):
    first = client.get(address, HTTP_ACCEPT_ENCODING=encoding)
    again = client.get(address, HTTP_ACCEPT_ENCODING=encoding)
    assert first.status_code == again.status_code == 200
    assert not served_early(first) and served_early(again)
    assert dict(again.headers) == dict(first.headers)
    assert again.content == first.content
    assert "X-Frame-Options" in again.headers and "Content-Security-Policy" in again.headers


def test_a_stray_parameter_is_served_the_kept_page(client, seeded):
    first = client.get("/constituencies/kettering/")
    stray = client.get("/constituencies/kettering/", {"utm_source": "x"})
    assert served_early(stray) and stray.content == first.content


def test_a_matching_etag_is_answered_early_with_304(client, seeded):
    first = client.get("/constituencies/kettering/")
    again = client.get("/constituencies/kettering/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert served_early(again) and again.status_code == 304


def test_a_change_is_served_by_the_view_then_early_again(client, seeded):
    from tests.national_data import correct_by

    client.get("/constituencies/kettering/")
    correct_by("kettering", 10)
    changed = client.get("/constituencies/kettering/")
    assert not served_early(changed) and "3,830" in changed.content.decode()
    assert served_early(client.get("/constituencies/kettering/"))


def test_a_redirect_and_what_is_not_kept_go_through_the_whole_chain(client, seeded):
    for _ in range(2):
        redirect = client.get("/search/", {"q": "Kettering"})
        missing = client.get("/constituencies/nowhere/")
        posted = client.post("/constituencies/kettering/")
    assert redirect.status_code == 302 and not served_early(redirect)
    assert missing.status_code == 404 and not served_early(missing)
    assert posted.status_code == 405 and not served_early(posted)


def test_a_post_come_due_is_released_by_the_whole_chain_not_served_stale(client, seeded):
    import time
    from datetime import timedelta

    from django.utils import timezone

    from liveblog.models import LivePage, Post

    due = timezone.now() + timedelta(seconds=1)
    derbyshire = LivePage.objects.get(county__slug="derbyshire")
    Post.objects.create(live_page=derbyshire, title="Exit poll analysis", published_at=due)
    client.get("/counties/derbyshire/")
    before = client.get("/counties/derbyshire/")
    assert served_early(before) and b"Exit poll analysis" not in before.content
    time.sleep(max(0, (due - timezone.now()).total_seconds()) + 0.1)
    after = client.get("/counties/derbyshire/")
    assert not served_early(after) and b"Exit poll analysis" in after.content
