"""Search in a real browser, at a phone's width and a laptop's: a misspelt seat found
and followed, a postcode told plainly it cannot be looked up, and the pages' look
(axe-core, WCAG 2.2 A and AA; no sideways scrolling) with every seat in the country."""

from urllib.parse import urlencode

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.e2e.conftest import WIDTHS, Problems, violations_at
from tests.national_data import import_national_arguments, national_data

pytestmark = pytest.mark.parametrize("width", WIDTHS)

BOX = "Constituency, party or candidate"


@pytest.fixture
def reader(page, width):
    page.set_viewport_size({"width": width, "height": 900})
    return page


def test_a_misspelt_seat_is_found_and_followed(site, reader, problems):
    reader.goto(site + "/")
    reader.get_by_label(BOX).fill("Kettring")
    reader.get_by_label(BOX).press("Enter")
    expect(reader.get_by_role("status")).to_have_text(
        "1 constituency, 0 parties and 0 candidates match “Kettring”."
    )
    seats = reader.get_by_role("region", name="Constituencies")
    seats.get_by_role("link").first.click()
    expect(reader.get_by_role("heading", level=1)).to_have_text("Kettering")
    assert problems.found == []


def test_a_postcode_is_told_plainly_and_offered_the_search(site, reader, problems):
    reader.goto(site + "/")
    reader.get_by_label(BOX).fill("NN16 8AB")
    reader.get_by_role("button", name="Search").click()
    status = reader.get_by_role("status")
    expect(status.get_by_role("heading")).to_have_text("Postcode lookup is not available")
    expect(status).to_contain_text("“NN16 8AB” looks like a postcode.")
    # The box is offered again, empty, and a name typed into it is searched.
    expect(reader.get_by_label(BOX)).to_have_value("")
    reader.get_by_label(BOX).fill("kettering")
    reader.get_by_label(BOX).press("Enter")
    expect(reader.get_by_role("heading", level=1)).to_have_text("Kettering")
    assert problems.found == []


def test_search_pages_have_no_violations_and_fit_the_screen(site, reader, width):
    call_command("import_national", *import_national_arguments(national_data()), verbosity=0)
    problems = Problems(reader)
    found = {}
    for query in ["Kettring", "green", "ric", "NN16 8AB", "zzzz", "%%%"]:
        found[query] = violations_at(reader, f"{site}/search/?{urlencode({'q': query})}", width)
    assert found == {query: [] for query in found}
    assert problems.found == []
