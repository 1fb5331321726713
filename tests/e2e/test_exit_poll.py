"""The exit poll in a real browser at 22:30 on election night, with every seat in the
country: it leads the home page and the strip on a phone and a laptop, with no
accessibility violations (axe-core, WCAG 2.2 A and AA) and no sideways scrolling."""

import pytest
from django.core.management import call_command

from tests.e2e.conftest import WIDTHS, Problems, screenshot, violations_at
from tests.national_data import national_data

PAGES = {"home": "/?at=22:30", "county": "/counties/northamptonshire/?at=22:30"}


@pytest.fixture
def polled_site(national_site):
    call_command("import_exit_poll", str(national_data() / "exit-poll-2024.csv"), verbosity=0)
    return national_site


@pytest.mark.parametrize("width", WIDTHS)
def test_the_exit_poll_at_half_past_ten(polled_site, page, width):
    page.set_viewport_size({"width": width, "height": 900})
    problems = Problems(page)
    found = {}
    for name, address in PAGES.items():
        found[name] = violations_at(page, polled_site + address, width)
    assert found == {name: [] for name in PAGES}
    assert problems.found == []

    page.goto(polled_site + PAGES["home"])
    lead = page.locator("section.exit-poll")
    assert lead.locator("h2").inner_text() == (
        "Exit poll, 22:00 · Ipsos for BBC, ITV News and Sky News"
    )
    assert lead.locator(".lede").inner_text() == "Labour majority 170, if the poll is right."
    rows = lead.locator("tbody tr")
    assert [" ".join(row.inner_text().split()) for row in rows.all()] == [
        "Labour 410",
        "Conservative 131",
        "Liberal Democrat 61",
        "Reform UK 13",
        "Scottish National Party 10",
        "Plaid Cymru 4",
        "Green Party 2",
        "Others 19",
    ]
    # It leads: the first panel a reader meets, above the seats won.
    assert lead.bounding_box()["y"] < page.locator("#scoreboard-heading").bounding_box()["y"]
    assert lead.bounding_box()["x"] + lead.bounding_box()["width"] <= width
    screenshot(page, f"home-exit-poll-{width}", full_page=False)

    page.goto(polled_site + PAGES["county"])
    strip = page.locator(".strip__poll")
    assert " ".join(strip.inner_text().split()) == (
        "Exit poll, 22:00 a poll, not a result LAB 410 CON 131 LD 61 REF 13 SNP 10 PC 4 "
        "GRN 2 OTH 19 Labour majority 170"
    )
