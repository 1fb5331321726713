"""The night replayed in a real browser (issue 30): a seat still awaiting at the moment
shown, followed from the home page, opens as it stood then, and the pages that learnt to
replay pass axe-core and fit the screen."""

import pytest

from tests.e2e.conftest import WIDTHS, Problems, violations_at

REPLAYED = {
    "seat": "/constituencies/kettering/?at=03:00",
    "every-seat": "/constituencies/?at=03:00",
    "parties": "/parties/?at=03:00",
    "party": "/parties/labour/?at=03:00",
    "regions": "/regions/?at=03:00",
    "county": "/counties/northamptonshire/?at=04:00",
}


@pytest.mark.parametrize("width", WIDTHS)
def test_a_seat_followed_from_a_replayed_page_stays_in_the_replay(national_site, page, width):
    page.set_viewport_size({"width": width, "height": 900})
    problems = Problems(page)
    page.goto(national_site + "/?at=03:00")
    # "Still to declare": 606 seats at 03:00, the first named among them.
    awaiting = page.locator("#list-still-to-declare ~ p a").first
    name = awaiting.text_content()
    awaiting.click()
    page.wait_for_load_state()
    assert page.url.endswith("?at=03:00")
    assert page.locator("h1").text_content() == name
    assert "Awaiting declaration" in page.locator(".headline-verdict").text_content()
    assert "The night replayed" in page.locator(".replay").text_content()
    # Its breadcrumb back home keeps the moment; "See the final result" leaves it.
    home = page.locator(".breadcrumbs a").first.get_attribute("href")
    assert home == "/?at=03:00"
    seat = page.url.removeprefix(national_site).removesuffix("?at=03:00")
    assert page.locator(".replay a").get_attribute("href") == seat

    found = {}
    for label, address in REPLAYED.items():
        found[label] = violations_at(page, national_site + address, width)
    assert found == {label: [] for label in REPLAYED}
    assert problems.found == []
