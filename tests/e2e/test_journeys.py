"""What readers and editors do, in a real browser, at a phone's width and a laptop's."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from liveblog.models import LivePage, Post
from results.models import Constituency, Party, Region
from results.services import result_declare
from tests.e2e.conftest import WIDTHS, Problems

pytestmark = pytest.mark.parametrize("width", WIDTHS)


@pytest.fixture
def reader(page, width):
    page.set_viewport_size({"width": width, "height": 900})
    return page


def test_scoreboard_to_county_to_constituency_and_back(site, reader, problems):
    reader.goto(site + "/")
    expect(reader.get_by_role("heading", level=1)).to_have_text("UK general election 2024: results")
    # The seeds declare 7 seats: the scoreboard counts them, not the printed final result.
    table = reader.get_by_role(
        "table", name="Seats and votes: every party with a seat or at least 1% of the vote"
    )
    labour = table.get_by_role("row").nth(1)
    expect(labour.get_by_role("rowheader")).to_have_text("Labour")
    expect(labour.get_by_role("cell").nth(0)).to_have_text("5")

    reader.get_by_role("link", name="Northamptonshire", exact=True).click()
    expect(reader.get_by_role("heading", level=1)).to_have_text("Northamptonshire")
    reader.locator(".seats").get_by_role("link", name="Kettering", exact=True).click()
    expect(reader.get_by_role("heading", level=1)).to_have_text("Kettering")
    expect(reader.locator(".headline-verdict")).to_contain_text("LAB GAIN FROM CON")

    # The name cell carries the party beneath the name too, where the phone has no room.
    first_column = reader.locator(".data-table tbody tr th")
    expect(first_column.first).to_contain_text("Rosie Wrighting")
    reader.get_by_role("link", name=re.compile(r"^Candidate")).click()
    expect(first_column.first).to_contain_text("Crispian Besley")
    assert "sort=name" in reader.url

    reader.locator(".post-links a").first.click()
    expect(reader.locator("h1.post__title")).to_be_visible()
    assert "/posts/" in reader.url
    reader.go_back()
    expect(reader.get_by_role("heading", level=1)).to_have_text("Kettering")
    assert problems.found == []


def test_search_goes_straight_to_a_seat_or_says_there_is_none(site, reader, problems):
    reader.goto(site + "/")
    reader.get_by_label("Constituency, party or candidate").fill("wellingborough & rushden")
    reader.get_by_role("button", name="Search").click()
    expect(reader.get_by_role("heading", level=1)).to_have_text("Wellingborough and Rushden")
    assert reader.url.endswith("/constituencies/wellingborough-and-rushden/")

    reader.get_by_role("link", name="Find your seat").click()
    reader.get_by_label("Constituency, party or candidate").fill("Atlantis")
    reader.get_by_role("button", name="Search").click()
    expect(reader.get_by_role("status")).to_contain_text(
        "No constituency, party or candidate matches “Atlantis”"
    )
    expect(reader.get_by_role("status")).to_contain_text("try part of a name")
    assert problems.found == []


def test_new_posts_and_results_arrive_without_a_reload(site, reader, problems, settings):
    settings.LIVE_POLL_SECONDS = 1
    reader.goto(site + "/counties/derbyshire/")
    expect(reader.locator(".strip")).to_contain_text("643 seats to go")
    reader.evaluate("window.notReloaded = true")

    Post.objects.create(
        live_page=LivePage.objects.get(county__slug="derbyshire"),
        title="Erewash declares",
        published_at=timezone.now(),
    )
    prompt = reader.get_by_role("button", name="Show 1 new post")
    expect(prompt).to_be_visible(timeout=10000)
    expect(reader.get_by_text("Erewash declares")).to_have_count(0)
    prompt.click()
    expect(reader.locator("[data-stream] .post__title").first).to_have_text("Erewash declares")
    expect(prompt).to_be_hidden()

    dales = Constituency.objects.get(slug="derbyshire-dales")
    labour, conservative = Party.objects.get(slug="labour"), Party.objects.get(slug="conservative")
    dales.candidacies.create(name="John Whitby", party=labour, votes=17759)
    dales.candidacies.create(name="Sarah Dines", party=conservative, votes=17409)
    result_declare(constituency=dales, outcome="GAIN", gained_from=conservative)
    expect(reader.locator(".strip")).to_contain_text("642 seats to go", timeout=10000)
    expect(reader.locator(".strip")).to_contain_text("LAB 6")
    assert reader.evaluate("window.notReloaded") is True
    assert problems.found == []


def test_a_declaration_reaches_open_seat_home_and_region_pages(
    site, browser, width, problems, settings
):
    settings.LIVE_POLL_SECONDS = 1
    dales = Constituency.objects.get(slug="derbyshire-dales")
    dales.region = Region.objects.create(
        name="East Midlands", slug="east-midlands", ons_code="E12000004", nation="England"
    )
    dales.save()
    context = browser.new_context(viewport={"width": width, "height": 900})
    pages, seen = {}, []
    for address in ["/constituencies/derbyshire-dales/", "/", "/regions/east-midlands/"]:
        pages[address] = context.new_page()
        seen.append(Problems(pages[address]))
        pages[address].goto(site + address)
        pages[address].evaluate("window.notReloaded = true")
    expect(pages["/constituencies/derbyshire-dales/"].locator(".headline-verdict")).to_have_text(
        "Awaiting declaration"
    )

    labour, conservative = Party.objects.get(slug="labour"), Party.objects.get(slug="conservative")
    dales.candidacies.create(name="John Whitby", party=labour, votes=17759)
    dales.candidacies.create(name="Sarah Dines", party=conservative, votes=17409)
    result_declare(constituency=dales, outcome="GAIN", gained_from=conservative)

    seat = pages["/constituencies/derbyshire-dales/"]
    expect(seat.locator(".headline-verdict")).to_have_text("LAB GAIN FROM CON", timeout=10000)
    expect(seat.locator(".facts")).to_contain_text("350 votes")
    expect(seat.locator(".strip")).to_contain_text("642 seats to go")
    expect(seat.get_by_role("status")).to_have_text("Updated: LAB GAIN FROM CON")
    home = pages["/"]
    expect(home.locator(".counts").first).to_contain_text("8 of 650 seats declared", timeout=10000)
    expect(home.locator('.declarations a[href="/constituencies/derbyshire-dales/"]')).to_have_count(
        1
    )
    region = pages["/regions/east-midlands/"]
    expect(region.locator(".seats")).to_contain_text("LAB GAIN FROM CON", timeout=10000)
    for page in pages.values():
        assert page.evaluate("window.notReloaded") is True
    assert [problem for each in seen for problem in each.found] == []
    context.close()


def test_keyboard_only(site, reader, problems):
    reader.goto(site + "/constituencies/kettering/")
    reader.keyboard.press("Tab")
    skip = reader.locator(":focus")
    expect(skip).to_have_text("Skip to main content")
    assert visibly_focused(reader)
    reader.keyboard.press("Enter")
    assert reader.evaluate("document.activeElement.id") == "main"

    reachable = reader.evaluate(FOCUSABLE_COUNT)
    seen = set()
    for _ in range(reachable + 5):
        reader.keyboard.press("Tab")
        described = reader.evaluate(
            "el => el.outerHTML.slice(0, 120)", reader.evaluate_handle("document.activeElement")
        )
        assert visibly_focused(reader), described
        seen.add(described)
        if "Candidate" in described and "sort=name" in described:
            reader.keyboard.press("Enter")
            reader.wait_for_url(re.compile(r"sort=name"))
            expect(reader.locator(".data-table tbody tr th").first).to_contain_text(
                "Crispian Besley"
            )
            break
    else:
        pytest.fail("the Candidate column's sort link was never reached from the keyboard")
    assert problems.found == []


def test_every_control_on_the_home_page_is_reachable_and_visibly_focused(site, reader):
    reader.goto(site + "/")
    count = reader.evaluate(FOCUSABLE_COUNT)
    for _ in range(count):
        reader.keyboard.press("Tab")
        assert visibly_focused(reader)
        # Marked, not compared: two links may read alike (a seat in two lists).
        reader.evaluate("document.activeElement.setAttribute('data-reached', '')")
    assert reader.evaluate("document.querySelectorAll('[data-reached]').length") == count


def test_every_page_works_without_javascript(site, browser, width):
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": width, "height": 900}
    )
    page = context.new_page()
    checks = {
        "/": "7 of 650 seats declared",
        "/counties/leicestershire-and-rutland/": "Our live coverage has ended",
        "/constituencies/kettering/": "Rosie Wrighting",
        "/parties/labour/": "seats won",
        "/search/?q=northampton": "Northampton North",
    }
    for address, text in checks.items():
        page.goto(site + address)
        expect(page.locator("main")).to_contain_text(text)
    page.goto(site + "/counties/leicestershire-and-rutland/")
    expect(page.locator("article.post")).to_have_count(20)
    expect(page.locator(".new-posts")).to_have_count(0)
    context.close()


FOCUSABLE_COUNT = """
() => [...document.querySelectorAll('a[href], button, input, select, textarea, [tabindex]')]
  .filter(el => el.tabIndex >= 0 && !el.disabled && el.offsetParent !== null).length
"""


def visibly_focused(page):
    """The focused element shows an outline or a focus ring."""
    return page.evaluate(
        """() => {
          const style = getComputedStyle(document.activeElement);
          return (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2)
            || style.boxShadow !== 'none';
        }"""
    )


__all__ = ["Problems"]
