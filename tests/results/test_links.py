"""The links between pages lead to the pages they name."""

import re

import pytest

from liveblog.models import Post
from tests.pages import text_of

pytestmark = pytest.mark.django_db

PAGES = [
    "/",
    "/constituencies/wellingborough-and-rushden/",
    "/counties/northamptonshire/",
    "/counties/derbyshire/",
    "/parties/",
    "/parties/labour/",
    "/regions/",
    "/lists/closest-results/",
]
# Links to a page (not a download, feed or sort of the same page).
PAGE_LINK = re.compile(r'href="(/(?:constituencies|counties|parties|regions|lists)/[^"?#]*/)"')


def links_on(client, address):
    response = client.get(address)
    assert response.status_code == 200
    return set(PAGE_LINK.findall(response.content.decode()))


def test_every_link_between_pages_leads_to_a_page(client, seeded):
    links = set().union(*(links_on(client, address) for address in PAGES))
    assert len(links) > 60
    broken = [link for link in sorted(links) if client.get(link).status_code != 200]
    assert broken == []


def test_a_seat_links_its_county_its_winners_party_and_the_posts_about_it(client, seeded):
    links = links_on(client, "/constituencies/wellingborough-and-rushden/")
    assert {"/counties/northamptonshire/", "/parties/labour/"} <= links
    posts = [link for link in links if "/posts/" in link]
    assert posts
    for link in posts:
        pk = int(link.rstrip("/").rsplit("/", 1)[1])
        post = Post.objects.get(pk=pk)
        assert link == f"/counties/northamptonshire/posts/{pk}/"
        assert post.title in text_of(client.get(link))
