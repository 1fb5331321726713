"""What changed hands in a real browser, with every seat in the country (issue 30): the
from->to table's counts as a reader sees them equal the Library's and add up to 650, the
parliament chart has its text equivalent, axe finds nothing and no page is wider than
the screen, at a phone's and a laptop's width."""

import pytest

from tests.e2e.conftest import NATIONAL_PAGES, WIDTHS, Problems, violations_at
from tests.story_oracle import library_crosstab, library_gains

PAGES = ("/", "/?at=03:00", "/regions/scotland/", "/regions/northern-ireland/")

# Each cell of the table as the browser shows it: (row's party, column's party, number),
# the parties by their full names (the <abbr> titles), the Held and Won sums left out.
READ_TABLE = """() => {
  const table = document.querySelector('table.changed-hands__table');
  const columns = [...table.querySelectorAll('thead th')].map(th =>
    th.querySelector('abbr') ? th.querySelector('abbr').title : th.textContent.trim());
  const cells = [];
  for (const row of table.querySelectorAll('tbody tr')) {
    const from = row.querySelector('th abbr').title;
    [...row.querySelectorAll('td')].forEach((td, index) => {
      if (!td.classList.contains('changed-hands__total') && td.innerText.trim()) {
        cells.push([from, columns[index + 1], Number(td.innerText.trim())]);
      }
    });
  }
  return cells;
}"""


@pytest.mark.parametrize("width", WIDTHS)
def test_what_changed_hands_as_a_reader_sees_it(national_site, page, width):
    page.set_viewport_size({"width": width, "height": 900})
    problems = Problems(page)
    page.goto(national_site + "/")

    cells = page.evaluate(READ_TABLE)
    assert {(held, won): seats for held, won, seats in cells} == dict(library_crosstab())
    assert sum(seats for _, _, seats in cells) == 650
    assert page.get_by_text(f"{library_gains()} of 650 seats changed hands").is_visible()

    # The table scrolls inside a focusable region named by its caption, which is seen
    # whole, within the screen, whatever the table's width.
    region = page.get_by_role("region", name="Seats: 2019 holder by 2024 winner")
    assert region.get_attribute("tabindex") == "0"
    caption = page.locator("table.changed-hands__table caption").bounding_box()
    assert caption["x"] >= 0 and caption["x"] + caption["width"] <= width

    chart = page.locator("figure.hemicycle")
    dots = "paths => paths.reduce((n, p) => n + p.getAttribute('d').split('h0').length - 1, 0)"
    assert chart.locator("path.hemicycle__seats").evaluate_all(dots) == 650
    assert page.get_by_role("img", name="Parliament chart, one dot per seat").is_visible()
    key = chart.locator("figcaption").inner_text()
    for line in ("Labour 411", "Speaker 1", "Reform UK 5", "326 seats for a majority"):
        assert line in key

    found = {}
    for address in PAGES:
        # Where test_national_pages.py has run axe already, it is not run again.
        axe = address not in NATIONAL_PAGES.values()
        found[address] = violations_at(page, national_site + address, width, axe)
    assert found == {address: [] for address in PAGES}
    assert problems.found == []


def test_a_cell_opens_the_list_of_its_seats(national_site, page):
    page.set_viewport_size({"width": 375, "height": 900})
    page.goto(national_site + "/")
    page.locator("table.changed-hands__table tbody tr", has_text="CON").get_by_role(
        "link", name="5", exact=True
    ).click()
    page.wait_for_url("**/constituencies/?held=conservative&party=reform-uk")
    assert page.get_by_text("Seats 1 to 5 of 5").is_visible()
