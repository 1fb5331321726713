"""The page-weight budget: a 20-post county page within 100 KB of HTML, CSS within 30 KB."""

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
