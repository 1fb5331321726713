"""The page-weight budget: a 20-post county page within 100 KB of HTML, CSS within 30 KB."""

import gzip

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db

HTML_BUDGET = 100 * 1024
CSS_BUDGET = 30 * 1024


@pytest.mark.parametrize(
    "county", ["northamptonshire", "bedfordshire-hertfordshire-and-buckinghamshire"]
)
def test_a_20_post_county_page_is_within_budget(client, seeded, county):
    response = client.get(f"/counties/{county}/")
    assert response.content.decode().count('<article class="post') == 20
    assert len(response.content) <= HTML_BUDGET


def test_all_css_is_within_budget():
    css_files = list((settings.BASE_DIR / "static").rglob("*.css"))
    assert css_files
    assert sum(path.stat().st_size for path in css_files) <= CSS_BUDGET


def test_pages_need_no_javascript(client, seeded):
    """The only scripts are the live updates, loaded deferred from this site: everything
    is in the HTML without them."""
    live_updates = [
        '<script src="/static/js/live.js" defer></script>',
        '<script src="/static/js/refresh.js" defer></script>',
    ]
    for address in ["/", "/counties/derbyshire/", "/constituencies/kettering/", "/search/"]:
        html = client.get(address).content.decode()
        html = html.replace('<script type="application/ld+json">', "")
        for script in live_updates:
            html = html.replace(script, "")
        assert "<script" not in html, address


# 650 named links in the map alone are 89 KB (README); a hexagon in its place (pages.seatmap)
# is 12 bytes more than a square in a row, with a key; the parliament chart (650 dots) and
# the table of what changed hands (issue 30) add about 20 KB.
HOME_BUDGET = 150 * 1024
HOME_GZIPPED_BUDGET = 25 * 1024
# A region's page carries its part of the map: the South East's 91 named hexagons.
PAGE_BUDGET = 70 * 1024


def test_with_every_seat_the_pages_are_within_budget(client, every_seat):
    home = client.get("/")
    assert len(home.content) <= HOME_BUDGET
    # As readers get it: Varnish compresses it (the site sends it plain).
    assert len(gzip.compress(home.content)) <= HOME_GZIPPED_BUDGET
    for address in [
        "/?at=03:00",  # the map and the projection too
        "/constituencies/",
        "/constituencies/?page=13",
        "/constituencies/leicester-south/",
        "/regions/",
        "/regions/south-east/",
        "/parties/",
        "/parties/labour/",
        "/parties/labour/?page=2",
        "/lists/closest-results/",
        "/lists/defeated-mps/",
        "/lists/still-to-declare/?at=01:00",
        "/data/",
        "/search/?q=smith",
    ]:
        limit = HOME_BUDGET if address.startswith("/?") else PAGE_BUDGET
        assert len(client.get(address).content) <= limit, address
