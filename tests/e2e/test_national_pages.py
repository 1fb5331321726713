"""The national picture in a real browser, with every seat in the country: accessibility
(axe-core, WCAG 2.2 A and AA) at a phone's and a laptop's width, no sideways scrolling at
320 px, and screenshots for docs/screenshots."""

import pytest

from tests.e2e.conftest import NATIONAL_PAGES as PAGES
from tests.e2e.conftest import WIDTHS, Problems, screenshot, violations_at


@pytest.mark.parametrize("width", WIDTHS)
def test_the_national_pages_have_no_violations_and_no_sideways_scrolling(
    national_site, page, width
):
    page.set_viewport_size({"width": width, "height": 900})
    problems = Problems(page)
    found = {}
    for name, address in PAGES.items():
        found[name] = violations_at(page, national_site + address, width)
        screenshot(page, f"{name}-{width}")
    assert found == {name: [] for name in PAGES}
    assert problems.found == []


def test_no_national_page_scrolls_sideways_at_320px(national_site, page):
    page.set_viewport_size({"width": 320, "height": 800})
    for address in PAGES.values():
        page.goto(national_site + address)
        assert page.evaluate("document.documentElement.scrollWidth") <= 320, address
