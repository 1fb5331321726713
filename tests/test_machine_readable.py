"""Feeds, sitemap and robots.txt."""

import xml.etree.ElementTree as ET

import pytest

from liveblog.models import Post
from results.models import Constituency, County, Party, Region
from tests.conftest import SITE_URL

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def parse_atom(response):
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    assert feed.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated"):
        assert feed.find(f"{ATOM}{required}") is not None
    entries = feed.findall(f"{ATOM}entry")
    for entry in entries:
        for required in ("id", "title", "updated", "link"):
            assert entry.find(f"{ATOM}{required}") is not None, required
    return feed, entries


def test_county_feed_is_atom_with_its_posts(client, seeded):
    feed, entries = parse_atom(client.get("/counties/leicestershire-and-rutland/feed/"))
    assert (
        feed.find(f"{ATOM}title").text == "Leicestershire and Rutland: General election 2024 live"
    )
    assert len(entries) == 20
    first = entries[0]
    assert first.find(f"{ATOM}title").text == "Our live coverage has ended"
    assert first.find(f"{ATOM}published").text == "2024-07-05T07:30:00+01:00"
    assert first.find(f"{ATOM}author/{ATOM}name").text == "Alex Smith"
    link = first.find(f"{ATOM}link").get("href")
    assert link.startswith(f"{SITE_URL}/counties/leicestershire-and-rutland/posts/")


def test_declarations_feed_is_atom(client, seeded):
    _, entries = parse_atom(client.get("/declarations/feed/"))
    titles = {entry.find(f"{ATOM}title").text for entry in entries}
    assert len(entries) == 7
    assert "Kettering: LAB GAIN FROM CON" in titles


def test_unknown_county_feed_is_404(client, seeded):
    assert client.get("/counties/atlantis/feed/").status_code == 404


SITEMAP_NAMESPACE = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def locations_in(client, address):
    response = client.get(address)
    assert response.status_code == 200
    return [
        element.text.removeprefix(SITE_URL)
        for element in ET.fromstring(response.content).iter(f"{SITEMAP_NAMESPACE}loc")
    ]


def test_sitemap_is_an_index_of_one_sitemap_per_kind_of_page(client, seeded):
    assert locations_in(client, "/sitemap.xml") == [
        f"/sitemap-{kind}.xml"
        for kind in ("home", "regions", "counties", "constituencies", "parties", "posts")
    ]
    assert client.get("/sitemap-atlantis.xml").status_code == 404


def test_sitemap_lists_every_page(client, seeded):
    Region.objects.create(
        slug="east-midlands", name="East Midlands", ons_code="E15000004", nation="England"
    )
    locations = {
        location
        for section in locations_in(client, "/sitemap.xml")
        for location in locations_in(client, section)
    }
    expected = {"/", "/regions/east-midlands/"}
    expected |= {county.get_absolute_url() for county in County.objects.all()}
    expected |= {seat.get_absolute_url() for seat in Constituency.objects.all()}
    expected |= {party.get_absolute_url() for party in Party.objects.all()}
    expected |= {
        post.get_absolute_url() for post in Post.objects.select_related("live_page__county")
    }
    assert locations == expected
    assert len(locations) == 1 + 1 + 4 + 55 + Party.objects.count() + 73


def test_robots_txt(client, db):
    response = client.get("/robots.txt")
    assert response["Content-Type"] == "text/plain"
    assert response.content.decode() == (
        f"User-agent: *\nDisallow: /admin/\nSitemap: {SITE_URL}/sitemap.xml\n"
    )
