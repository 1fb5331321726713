"""What readers' requests can and cannot get: no embargoed post, whatever moment a replay
names; only GET and HEAD."""

import json
import re
from datetime import timedelta

import pytest
from django.utils import timezone

from liveblog.models import Block, LivePage, Post
from tests.pages import text_of

pytestmark = pytest.mark.django_db

EMBARGOED = "Embargoed until tomorrow"
# Moments far past the night, in every form `?at=` takes, and a time zone that pushes a
# moment past year 9999 once in UTC.
FUTURE_MOMENTS = [
    "2099-01-01T00:00",
    "9999-12-31",
    "9999-12-31T23:59",
    "9999-12-31T23:59-05:00",
    "23:59",
]


@pytest.fixture
def embargoed(seeded):
    """A post an editor scheduled for tomorrow, on the Northamptonshire page."""
    post = Post.objects.create(
        live_page=LivePage.objects.get(county__slug="northamptonshire"),
        title=EMBARGOED,
        published_at=timezone.now() + timedelta(days=1),
    )
    Block.objects.create(post=post, text="The secret body of the post.")
    return post


def json_ld(response):
    """Every JSON-LD block of a page, parsed."""
    blocks = re.findall(
        r'<script type="application/ld\+json">(.*?)</script>', response.content.decode(), re.S
    )
    return [json.loads(block) for block in blocks]


@pytest.mark.parametrize("at", FUTURE_MOMENTS)
def test_a_replay_of_any_moment_never_shows_a_scheduled_post(client, embargoed, at):
    response = client.get("/counties/northamptonshire/", {"at": at})
    assert response.status_code == 200
    text = text_of(response)
    assert EMBARGOED not in text and "secret body" not in text
    [live_blog] = json_ld(response)
    assert live_blog["@type"] == "LiveBlogPosting"
    headlines = [update["headline"] for update in live_blog["liveBlogUpdate"]]
    assert headlines, "the page shows the posts readers can see now"
    assert EMBARGOED not in headlines
    assert "secret body" not in json.dumps(live_blog)


def test_a_moment_long_before_the_night_is_when_polls_closed(client, embargoed):
    # Before year 1 once in UTC: read as polls closing, as any moment before them is.
    response = client.get("/counties/northamptonshire/", {"at": "0001-01-01T00:00+05:00"})
    assert response.status_code == 200
    text = text_of(response)
    assert "as it stood at 22:00 BST, Thursday 4 July" in text
    assert EMBARGOED not in text


def test_a_scheduled_post_is_on_no_reader_page_before_its_time(client, embargoed):
    newest = Post.objects.filter(live_page=embargoed.live_page).exclude(pk=embargoed.pk).first()
    for address in [
        "/counties/northamptonshire/",
        "/counties/northamptonshire/feed/",
        f"/counties/northamptonshire/updates/?since={newest.pk}",
        "/sitemap-posts.xml",
        "/constituencies/kettering/",
    ]:
        response = client.get(address)
        assert response.status_code == 200, address
        assert EMBARGOED not in response.content.decode(), address
    assert client.get(embargoed.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("method", ["options", "trace", "post", "put", "patch", "delete"])
@pytest.mark.parametrize(
    "address",
    [
        "/",
        "/counties/northamptonshire/",
        "/counties/northamptonshire/feed/",
        "/counties/northamptonshire/updates/",
        "/constituencies/kettering/",
        "/regions/east-midlands/",
        "/parties/labour/",
        "/search/?q=kettering",
        "/declarations/feed/",
        "/sitemap.xml",
        "/robots.txt",
    ],
)
def test_reader_pages_refuse_every_method_but_get_and_head(client, seeded, method, address):
    """OPTIONS and TRACE are answered as Django's method checks answer them: 405, no page."""
    response = getattr(client, method)(address)
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
    assert b"Kettering" not in response.content
