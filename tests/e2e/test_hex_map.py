"""The hex map of every seat in a real browser, with every seat in the country, at a
phone's and a laptop's width: 650 named links and a key, a phone's screen showing the
whole map, each hexagon reachable by keyboard with its focus seen, and `?at=` kept when
a hexagon is followed from a replay (issue 30: Why 2 and 4, What to build 3)."""

import pytest

from tests.e2e.conftest import NATIONAL_PAGES, WIDTHS, Problems, violations_at

PHONE = {"width": 375, "height": 667}
LAPTOP = {"width": 1280, "height": 800}
SCREENS = {375: PHONE, 1280: LAPTOP}
MAP_PAGES = [
    "/",
    "/?at=03:00",
    "/?view=gains",
    "/?party=reform-uk",
    "/regions/north-east/",
    "/regions/north-east/?at=02:00",
]


def box_of(locator):
    return locator.evaluate(
        "element => { const box = element.getBoundingClientRect();"
        " return {width: box.width, height: box.height}; }"
    )


@pytest.mark.parametrize("width", WIDTHS)
def test_the_hex_map_has_a_named_link_per_seat_a_key_and_fits_the_screen(
    national_site, page, width
):
    page.set_viewport_size(SCREENS[width])
    problems = Problems(page)
    page.goto(national_site + "/")
    hexes = page.locator(".hexmap__svg a")
    assert hexes.count() == 650
    # Each hexagon's name is its verdict, as a screen reader reads it.
    for name in [
        "Kettering: Labour gain from Conservative",
        "Chorley: Speaker hold",
        "Leicester South: Independent gain from Labour",
    ]:
        assert page.get_by_role("link", name=name, exact=True).count() == 1
    key = page.locator(".hexmap__key li")
    assert key.first.inner_text().split() == ["Labour", "411"]
    assert key.last.inner_text().split() == ["Changed", "hands", "(dot)", "303"]
    # The whole map in one screen, scaled to the width.
    svg = box_of(page.locator(".hexmap__svg"))
    assert svg["width"] <= width and svg["height"] <= SCREENS[width]["height"]
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert problems.found == []


@pytest.mark.parametrize("width", WIDTHS)
def test_every_map_page_has_no_violations_and_no_sideways_scrolling(national_site, page, width):
    page.set_viewport_size(SCREENS[width])
    found = {}
    for address in MAP_PAGES:
        # Where test_national_pages.py has run axe already, it is not run again.
        axe = address not in NATIONAL_PAGES.values()
        found[address] = violations_at(page, national_site + address, width, axe)
    assert found == {address: [] for address in MAP_PAGES}


@pytest.mark.parametrize("width", WIDTHS)
def test_a_hexagon_followed_from_a_replay_keeps_the_moment(national_site, page, width):
    page.set_viewport_size(SCREENS[width])
    page.goto(national_site + "/?at=03:00")
    inverness = page.get_by_role(
        "link", name="Inverness, Skye and West Ross-shire: awaiting result", exact=True
    )
    inverness.click()
    page.wait_for_url("**/constituencies/inverness-skye-and-west-ross-shire/?at=03:00")


def test_each_hexagon_is_reached_by_keyboard_with_its_focus_seen_and_the_map_skipped(
    national_site, page
):
    page.set_viewport_size(PHONE)
    page.goto(national_site + "/")
    skip = page.locator(".hexmap__skip")
    skip.focus()
    assert skip.is_visible()
    page.keyboard.press("Tab")
    first = page.evaluate("document.activeElement.getAttribute('href')")
    assert first.startswith("/constituencies/")
    stroke = page.evaluate(
        "getComputedStyle(document.activeElement.querySelector('use')).strokeWidth"
    )
    assert stroke == "3px"
    skip.focus()
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#map-key"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('.hexmap__key') !== null")
