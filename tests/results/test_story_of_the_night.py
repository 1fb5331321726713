"""What changed hands (issue 30, Why item 3): seats that changed hands, the from->to
table, the swing, every party with a seat named, the majority as the press says it.

Every figure is checked against an oracle worked out here from the Library's files
(tests/national_data.py), not from the site's code."""

import re
from collections import Counter
from decimal import Decimal
from html.parser import HTMLParser

import pytest

from tests.pages import text_of
from tests.story_oracle import (
    declared_by,
    library_crosstab,
    library_gains,
    library_swing,
)

pytestmark = pytest.mark.django_db


class TableReader(HTMLParser):
    """The from->to table as a reader's screen reader gives it: each cell's row and
    column headers (their full names, from <abbr title>), and its number."""

    def __init__(self):
        super().__init__()
        self.in_table = False
        self.columns, self.cells, self.row = [], {}, None
        self.cell, self.text, self.title = None, "", None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table" and "changed-hands__table" in (attrs.get("class") or ""):
            self.in_table = True
        if not self.in_table:
            return
        if tag in ("th", "td"):
            self.cell, self.text, self.title = (tag, attrs.get("scope")), "", None
            self.total = "total" in (attrs.get("class") or "")  # the Held and Won sums
        if tag == "abbr" and self.cell:
            self.title = attrs.get("title")

    def handle_data(self, data):
        if self.in_table and self.cell:
            self.text += data

    def handle_endtag(self, tag):
        if tag == "table":
            self.in_table = False
        if not self.in_table or tag not in ("th", "td") or not self.cell:
            return
        name = self.title or self.text.strip()
        if self.cell == ("th", "col"):
            self.columns.append(name)
        elif self.cell == ("th", "row"):
            self.row, self.column = name, 0
        elif self.cell[0] == "td":
            self.column += 1
            if self.text.strip() and not self.total:
                self.cells[(self.row, self.columns[self.column])] = int(self.text.strip())
        self.cell = None


def table_of(response):
    reader = TableReader()
    reader.feed(response.content.decode())
    return reader


def test_the_home_page_says_how_many_seats_changed_hands(client, every_seat):
    assert library_gains() == 303
    assert "303 of 650 seats changed hands" in text_of(client.get("/"))


def test_the_from_to_table_is_the_librarys_crosstab_and_adds_up_to_650(client, every_seat):
    table = table_of(client.get("/"))
    expected = library_crosstab()
    assert table.cells == dict(expected)
    assert table.cells[("Conservative", "Labour")] == 182
    assert sum(table.cells.values()) == 650


def test_each_cell_links_to_its_seats(client, every_seat):
    html = client.get("/").content.decode()
    assert '<a href="/constituencies/?held=conservative&amp;party=reform-uk">5</a>' in html
    seats = text_of(client.get("/constituencies/?held=conservative&party=reform-uk"))
    assert "Seats 1 to 5 of 5" in seats
    assert "Clacton" in seats


def test_the_national_swing_conservative_to_labour_names_its_method(client, every_seat):
    swing = library_swing()
    assert swing == Decimal("10.77")
    text = text_of(client.get("/"))
    assert (
        "Swing: 10.77 points from Conservative to Labour (two-party Butler swing: half the "
        "difference between the Labour and Conservative changes in share, over the 650 "
        "seats declared)"
    ) in text


def test_each_region_page_gives_its_swing(client, every_seat):
    wales, scotland = library_swing(region="Wales"), library_swing(region="Scotland")
    assert (wales, scotland) == (Decimal("6.96"), Decimal("14.56"))
    assert f"Swing: {wales} points from Conservative to Labour" in text_of(
        client.get("/regions/wales/")
    )
    assert f"Swing: {scotland} points from Conservative to Labour" in text_of(
        client.get("/regions/scotland/")
    )
    # Replayed: over the seats of the region declared by then.
    early = library_swing("2024-07-05 03:00:00", region="Scotland")
    assert f"Swing: {early} points from Conservative to Labour" in text_of(
        client.get("/regions/scotland/?at=03:00")
    )


def test_the_strip_names_every_party_with_a_seat(client, every_seat):
    text = text_of(client.get("/regions/wales/"))
    assert (
        "National result LAB 412 CON 121 LD 72 SNP 9 SF 7 IND 6 DUP 5 REF 5 PC 4 GRN 4 "
        "SDLP 2 ALL 1 TUV 1 UUP 1 All 650 seats declared"
    ) in text
    assert "OTH" not in text
    html = client.get("/regions/wales/").content.decode()
    assert '<abbr title="Reform UK">REF</abbr> <strong>5</strong>' in html


def test_the_seat_bar_names_reform_uk_with_its_5(client, every_seat):
    html = client.get("/").content.decode()
    assert "Reform UK 5" in re.search(r"<title id=\"seat-bar-title\">(.*?)</title>", html)[1]
    assert "Others" not in re.search(r"<title id=\"seat-bar-title\">(.*?)</title>", html)[1]


def test_the_headline_gives_the_majority_as_the_press_did(client, every_seat):
    text = text_of(client.get("/"))
    assert "Labour majority of 174" in text
    assert (
        "Labour's 412 seats include the Speaker's, counted with Labour as the night's "
        "scoreboards count him: the table below shows Labour's own 411 and the Speaker apart."
    ) in text


def test_the_hemicycle_has_one_dot_a_seat_and_a_text_equivalent(client, every_seat):
    html = client.get("/").content.decode()
    chart = re.search(r'<figure class="hemicycle".*?</figure>', html, re.S)[0]
    assert dots_in(chart) == 650
    text = text_of_html(chart)
    assert "Labour 411" in text
    assert "Reform UK 5" in text
    assert "Speaker 1" in text
    assert "326 seats for a majority" in text


def dots_in(chart):
    """The dots of a parliament chart: a zero-length line each in the seats' paths."""
    paths = re.findall(r'<path class="hemicycle__seats" d="([^"]*)"', chart)
    return sum(path.count("h0") for path in paths)


def text_of_html(html):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def test_a_replay_gives_the_figures_of_the_seats_declared_by_then(client, every_seat):
    moment = "2024-07-05 03:00:00"
    declared = len(declared_by(moment))
    response = client.get("/?at=03:00")
    text = text_of(response)
    assert f"{library_gains(moment)} of {declared} seats changed hands" in text
    assert table_of(response).cells == dict(library_crosstab(moment))
    assert sum(table_of(response).cells.values()) == declared
    assert f"Swing: {library_swing(moment)} points from Conservative to Labour" in text
    assert f"over the {declared} seats declared" in text


def test_the_hemicycle_places_every_seat_once_left_to_right():
    from pages.hemicycle import HEIGHT, WIDTH, places

    dots, radius = places(650)
    assert len(set(dots)) == 650
    assert all(0 <= dot.x <= WIDTH and 0 <= dot.y <= HEIGHT for dot in dots)
    # No two dots overlap: every pair is more than a dot's width apart.
    assert (
        min((a.x - b.x) ** 2 + (a.y - b.y) ** 2 for i, a in enumerate(dots) for b in dots[i + 1 :])
        > (2 * radius) ** 2
    )
    # Taken left to right: the first seat on the floor at the left, the last at the right.
    assert dots[0].y == dots[-1].y == 500
    assert dots[0].x < WIDTH / 2 < dots[-1].x


MOMENT = "2024-07-05 03:00:00"  # ?at=03:00


def test_the_parties_sit_left_to_right_and_seats_to_declare_last(client, every_seat):
    html = client.get("/?at=03:00").content.decode()
    chart = re.search(r'<figure class="hemicycle".*?</figure>', html, re.S)[0]
    groups = re.findall(r"<g[^>]*><title>([^<]+)</title>", chart)
    assert groups[-1] == f"Still to declare {650 - len(declared_by(MOMENT))}"
    won = Counter(won for (_, won), seats in library_crosstab(MOMENT).items() for _ in range(seats))
    left_to_right = ["Labour", "Speaker", "Liberal Democrat", "Conservative", "Reform UK"]
    assert set(won) == set(left_to_right)
    assert groups[:-1] == [f"{party} {won[party]}" for party in left_to_right]
    assert dots_in(chart) == 650


def test_a_cell_keeps_the_moment_of_a_replayed_page(client, every_seat):
    html = client.get("/?at=03:00").content.decode()
    assert '<a href="/constituencies/?held=conservative&amp;party=labour&amp;at=03:00">' in html
