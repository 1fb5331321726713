"""Feeds, sitemap and robots.txt."""

import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest

from liveblog.models import Post
from results.models import Constituency, County, Party, Region, Result
from tests.conftest import SITE_URL
from tests.newsroom.forms import post_form
from tests.pages import text_of

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
    expected = {"/", "/constituencies/", "/parties/", "/regions/", "/regions/east-midlands/"}
    expected |= {
        f"/lists/{slug}/"
        for slug in [
            "closest-results",
            "biggest-majorities",
            "biggest-swings",
            "defeated-mps",
            "highest-turnout",
            "lowest-turnout",
            "still-to-declare",
        ]
    }
    expected |= {county.get_absolute_url() for county in County.objects.all()}
    expected |= {seat.get_absolute_url() for seat in Constituency.objects.all()}
    expected |= {party.get_absolute_url() for party in Party.objects.all()}
    expected |= {
        post.get_absolute_url() for post in Post.objects.select_related("live_page__county")
    }
    assert locations == expected
    assert len(locations) == 4 + 7 + 1 + 4 + 55 + Party.objects.count() + 73


def test_robots_txt(client, db):
    response = client.get("/robots.txt")
    assert response["Content-Type"] == "text/plain"
    assert response.content.decode() == (
        f"User-agent: *\nDisallow: /admin/\nSitemap: {SITE_URL}/sitemap.xml\n"
    )


class TextOnly(HTMLParser):
    """The text of some HTML, and every tag in it."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags, self.text = [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)

    def handle_data(self, data):
        self.text.append(data)


def as_html(summary):
    """What a feed reader shows of an Atom summary of type html: (tags, text)."""
    parser = TextOnly()
    parser.feed(summary)
    parser.close()
    return parser.tags, "".join(parser.text)


TYPED_AS_ENTITIES = "&lt;img src=x onerror=alert(1)&gt; is what they typed"
SHOWN = "<img src=x onerror=alert(1)> is what they typed"


def test_a_feed_summary_is_the_text_the_site_shows_never_markup(client, seeded, editor_client):
    response = editor_client.post(
        "/admin/liveblog/post/add/",
        post_form(
            title="A <b>title</b>",
            blocks=[{"text": TYPED_AS_ENTITIES}, {"text": "<strong>Bold</strong> & more"}],
        ),
    )
    assert response.status_code == 302
    post = Post.objects.get(title="A <b>title</b>")
    assert SHOWN in text_of(client.get(post.get_absolute_url()))

    _, entries = parse_atom(client.get("/counties/derbyshire/feed/"))
    [entry] = [e for e in entries if e.find(f"{ATOM}title").text == "A <b>title</b>"]
    summary = entry.find(f"{ATOM}summary")
    assert summary.get("type") == "html"
    tags, text = as_html(summary.text)
    assert tags == []
    assert text == f"{SHOWN} Bold & more"


def test_the_declarations_feed_shows_candidates_names_as_text(client, seeded):
    winner = Result.objects.get(constituency__slug="kettering").winner
    winner.name = "Rosie <img src=x onerror=alert(1)> Wrighting"
    winner.save()
    _, entries = parse_atom(client.get("/declarations/feed/"))
    [entry] = [e for e in entries if e.find(f"{ATOM}title").text.startswith("Kettering")]
    tags, text = as_html(entry.find(f"{ATOM}summary").text)
    assert tags == []
    assert text == (
        "Rosie <img src=x onerror=alert(1)> Wrighting (Labour) wins Kettering with a "
        "majority of 3,820."
    )
