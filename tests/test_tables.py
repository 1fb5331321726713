"""The sortable tables as readers see them: the table of every seat, a seat's candidates."""

import html
import re

import pytest

from tests.pages import wide_screen

pytestmark = pytest.mark.django_db


def rows_of(response):
    """The table's body rows, each a list of its cells' text as a laptop shows them."""
    assert response.status_code == 200
    [body] = re.findall(r"<tbody>(.*?)</tbody>", wide_screen(response.content.decode()), re.S)
    return [
        [
            html.unescape(" ".join(re.sub(r"<[^>]+>", " ", cell).split()))
            for cell in re.findall(r"<t[hd] [^>]*>(.*?)</t[hd]>", row, re.S)
        ]
        for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)
    ]


def caption_of(response):
    [caption] = re.findall(r"<caption>(.*?)<", response.content.decode())
    return caption.strip()


def test_every_seat_is_listed_with_its_figures(client, every_seat):
    response = client.get("/constituencies/")
    assert caption_of(response) == "Seats 1 to 50 of 650"
    assert len(rows_of(response)) == 50
    east_midlands = client.get("/constituencies/", {"region": "east-midlands"})
    assert caption_of(east_midlands) == "Seats 1 to 47 of 47"
    [kettering] = [row for row in rows_of(east_midlands) if row[0] == "Kettering"]
    # The Library's figures: 3,820 of 50,231 valid votes, 18,009 for the winner, of an
    # electorate of 79,360.
    assert kettering == [
        "Kettering",
        "East Midlands",
        "Rosie Wrighting",
        "Labour",
        "Gain from Conservative",
        "3,820",
        "7.60%",
        "35.85%",
        "63.30%",
        "06:42, 5 Jul",
    ]
    # A seat held: its result column says so in words, as the outcome's label.
    north_west = rows_of(client.get("/constituencies/", {"region": "north-west"}))
    [chorley] = [row for row in north_west if row[0] == "Chorley"]
    assert chorley[2:5] == ["Lindsay Hoyle", "Speaker", "Hold"]


def test_a_seat_awaiting_its_declaration_shows_a_dash_for_each_figure(client, seeded):
    rows = rows_of(client.get("/constituencies/", {"outcome": "awaiting"}))
    assert rows
    assert rows[0][1:] == ["–", "Awaiting declaration", "–", "–", "–", "–", "–", "–", "–"]


def test_a_seats_candidates_sorted_by_party(client, every_seat):
    rows = rows_of(client.get("/constituencies/kettering/", {"sort": "party"}))
    # Sorted by party: the Alliance for Democracy and Freedom first, then Conservative.
    assert rows[:2] == [
        ["Jehad Abduramadan", "Alliance for Democracy and Freedom", "62", "0.12%", "–"],
        ["Philip Hollobone", "Conservative", "14,189", "28.25%", "−32.03"],
    ]


def headings_of(response):
    [head] = re.findall(r"<thead>(.*?)</thead>", response.content.decode(), re.S)
    return head


def test_the_headings_sort_the_table_and_keep_the_other_parameters(client, seeded):
    head = headings_of(client.get("/constituencies/", {"sort": "-majority"}))
    # Sorted by majority, largest first: its link sorts the other way; others keep to
    # their own order.
    assert (
        '<th scope="col" class="desc num orderable" aria-sort="descending">'
        '<a href="?sort=majority">Majority<span class="sort-indicator" aria-hidden="true">'
        "▼</span></a></th>"
    ) in head
    assert '<a href="?sort=name">Constituency' in head
    # The result column does not sort: its heading is plain.
    assert '<th scope="col" >Result</th>' in head
    hostile = {"sort": "region", "page": "2", "q": "<North & South>"}
    head = headings_of(client.get("/constituencies/", hostile))
    # Every other parameter kept, escaped.
    assert '<a href="?sort=-region&amp;page=2&amp;q=%3CNorth+%26+South%3E">Region' in head
