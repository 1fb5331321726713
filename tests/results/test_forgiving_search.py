"""Search that forgives (issue 30): misspellings and the start of words, ranked seats,
then parties, then people, best first; a postcode told plainly it cannot be looked up.
Expected names come from the House of Commons Library's candidate file."""

import csv
import html
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pages.params import polling_day
from results.naming import normalise_name
from tests.national_data import DATA, FILES
from tests.pages import text_of

pytestmark = pytest.mark.django_db

SECTIONS = re.compile(
    r'<section aria-labelledby="[a-z-]+">\s*<h2 id="[a-z-]+">(?P<heading>[^<]+)</h2>'
    r"(?P<body>.*?)</section>",
    re.S,
)
ITEM = re.compile(r"<li>(.*?)</li>", re.S)


def found(response):
    """{section heading: [each item's text]}, in the page's order."""
    page = response.content.decode()
    return {
        section["heading"]: [
            html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", item))).strip()
            for item in ITEM.findall(section["body"])
        ]
        for section in SECTIONS.finditer(page)
    }


def search(client, query):
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200, query
    return response


def library_candidates():
    """Each candidate's name as the Library's file gives it."""
    with (DATA / FILES["candidates"]).open(encoding="utf-8-sig") as file:
        return [
            f"{row['Candidate first name']} {row['Candidate surname']}"
            for row in csv.DictReader(file)
        ]


def library_seats():
    with (DATA / FILES["candidates"]).open(encoding="utf-8-sig") as file:
        return {row["Constituency name"] for row in csv.DictReader(file)}


def test_a_misspelt_seat_is_found_first(client, every_seat):
    seats = found(search(client, "Kettring"))["Constituencies"]
    assert seats[0] == "Kettering Northamptonshire"


def test_the_start_of_a_name_finds_the_seat(client, every_seat):
    results = found(search(client, "kett"))
    assert results["Constituencies"] == ["Kettering Northamptonshire"]
    # People whose names start so too, after the seat: Ryan Kett, Amy Kettyles.
    assert [item.split(",")[0] for item in results["MPs and candidates"]] == [
        "Ryan Kett",
        "Amy Kettyles",
    ]


def test_lab_finds_labour_first_and_no_one_with_lab_inside_a_name(client, every_seat):
    response = search(client, "Lab")
    results = found(response)
    assert list(results)[0] == "Parties"
    assert results["Parties"][0] == "Labour LAB"
    text = text_of(response)
    assert "Alaba" not in text and "Solabarrieta" not in text
    # Every person listed has a word starting "lab"; the Library's file has Alaba and
    # Solabarrieta, with "lab" inside their names.
    inside = [name for name in library_candidates() if "lab" in normalise_name(name)]
    assert {"Bayo Alaba", "Izzy Solabarrieta"} <= set(inside)
    for item in results.get("MPs and candidates", []):
        name = item.split(",")[0]
        assert any(word.startswith("lab") for word in normalise_name(name).split()), name


def test_the_start_of_a_surname_finds_the_person(client, every_seat):
    people = found(search(client, "starm"))["MPs and candidates"]
    assert people[0] == "Keir Starmer, Labour, MP for Holborn and St Pancras"


def test_a_misspelt_surname_is_forgiven(client, every_seat):
    people = found(search(client, "Starmar"))["MPs and candidates"]
    assert people == ["Keir Starmer, Labour, MP for Holborn and St Pancras"]


@pytest.mark.parametrize("query", ["zzzz", "Atlantis"])
def test_nothing_like_a_name_finds_nothing_and_says_so(client, every_seat, query):
    response = search(client, query)
    assert found(response) == {}
    text = text_of(response)
    assert f"No constituency, party or candidate matches “{query}”" in text


def test_seats_then_parties_then_people_each_best_first(client, every_seat):
    response = search(client, "green")
    results = found(response)
    assert list(results) == ["Constituencies", "Parties", "MPs and candidates"]
    # The whole word before its start: Bethnal Green before Greenwich.
    seats = [item.split(" ", 1)[0] for item in results["Constituencies"]]
    assert results["Constituencies"][0].startswith("Bethnal Green and Stepney")
    assert seats.index("Bethnal") < seats.index("Greenwich")
    assert results["Parties"][0] == "Green Party GRN"
    # Of those named Green, MPs come first.
    people = results["MPs and candidates"]
    assert "MP for" in people[0] and people[0].split(",")[0].endswith(" Green")


def test_counts_say_how_many_match_and_how_many_are_shown(client, every_seat):
    # Three letters are matched from the start of words only, never misspelt.
    def starts_ric(name):
        return any(word.startswith("ric") for word in normalise_name(name).split())

    people = [name for name in library_candidates() if starts_ric(name)]
    seats = {seat for seat in library_seats() if starts_ric(seat)}
    assert (len(seats), len(people)) == (2, 72)
    response = search(client, "ric")
    text = text_of(response)
    assert "2 constituencies, 0 parties and 72 candidates match “ric”." in text
    assert "The best 50 of 72: type more of the name to find others." in text
    assert len(found(response)["MPs and candidates"]) == 50
    assert found(response)["Constituencies"] == ["Richmond Park", "Richmond and Northallerton"]


@pytest.mark.parametrize("query", ["NN16 8AB", "nn168ab", " nn16  8ab ", "NN16"])
def test_a_postcode_is_told_plainly_it_cannot_be_looked_up(client, every_seat, query):
    response = search(client, query)
    text = text_of(response)
    assert "Postcode lookup is not available" in text
    assert "looks like a postcode" in text
    assert "Search by the name of your constituency or of a candidate instead" in text
    assert found(response) == {}
    # The box is offered again, empty, for a name.
    assert 'name="q" type="search" value=""' in response.content.decode()


@pytest.mark.parametrize("query", ["%%%", "😀😀", "\x00%\u202e"])
def test_nothing_to_search_for_says_so(client, every_seat, query):
    response = search(client, query)
    assert "has no letters or numbers to search for" in text_of(response)
    assert "\x00" not in response.content.decode()


@pytest.mark.parametrize("query", ["", "   ", "\x00\x01"])
def test_nothing_typed_offers_the_box(client, every_seat, query):
    response = search(client, query)
    text = text_of(response)
    assert text.startswith("Find your constituency - general election 2024")
    assert "Constituency, party or candidate" in text
    assert "matches" not in text and "has no letters" not in text


def test_control_characters_are_dropped_before_searching(client, every_seat):
    response = client.get("/search/", {"q": "kette\x00ring"})
    assert response.status_code == 302
    assert response["Location"] == "/constituencies/kettering/"


def test_a_very_long_query_is_answered(client, every_seat):
    response = search(client, "kettering " * 1000)
    assert found(response)["Constituencies"][0] == "Kettering Northamptonshire"


def test_queries_do_not_grow_with_the_matches(client, every_seat):
    # Matching a few seats and people, or hundreds, or none.
    counts = {}
    for query in ["kett", "a", "green", "zzzz"]:
        cache.clear()
        polling_day()
        with CaptureQueriesContext(connection) as queries:
            search(client, query)
        counts[query] = len(queries)
    # Where nothing matches, no rows are read. One query of each is the strip's exit poll.
    assert counts == {"kett": 9, "a": 9, "green": 9, "zzzz": 7}
