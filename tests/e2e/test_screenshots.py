"""Screenshots of every page type at a phone's and a laptop's width, for docs/screenshots."""

import pytest

from liveblog.models import Post
from tests.e2e.conftest import WIDTHS, screenshot

PAGE_TYPES = {
    "home": "/",
    "county": "/counties/northamptonshire/",
    "constituency": "/constituencies/kettering/",
    "party": "/parties/labour/",
    "search": "/search/?q=northampton",
    "search-no-match": "/search/?q=atlantis",
    "not-found": "/constituencies/atlantis/",
}


@pytest.mark.parametrize("width", WIDTHS)
def test_screenshots_of_every_page_type(site, page, width):
    pages = dict(PAGE_TYPES)
    pages["post"] = Post.objects.get(title="Labour gain Loughborough").get_absolute_url()
    page.set_viewport_size({"width": width, "height": 900})
    for name, address in pages.items():
        response = page.goto(site + address)
        assert response.status == (404 if name == "not-found" else 200), address
        # No page may be wider than the screen: that would mean sideways scrolling.
        assert page.evaluate("document.documentElement.scrollWidth") <= width, address
        screenshot(page, f"{name}-{width}")


def test_no_page_scrolls_sideways_at_320px(site, page):
    page.set_viewport_size({"width": 320, "height": 800})
    for address in [*PAGE_TYPES.values(), "/constituencies/harborough-oadby-and-wigston/"]:
        page.goto(site + address)
        assert page.evaluate("document.documentElement.scrollWidth") <= 320, address
