"""Party pages and search."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from results.models import Constituency, Party
from tests.pages import text_of

pytestmark = pytest.mark.django_db


def test_party_page_lists_seats_won_and_changed(client, seeded):
    text = text_of(client.get("/parties/labour/"))
    assert "5 seats won · 5 gained · 0 lost · second in 2" in text
    assert "Daventry Second CON HOLD Stuart Andrew 3,012" in text
    assert "Kettering Gain LAB GAIN FROM CON Rosie Wrighting 3,820" in text


def test_party_page_lists_gains_then_losses_then_holds_then_second_places(client, seeded):
    text = text_of(client.get("/parties/conservative/"))
    assert "2 seats won · 0 gained · 5 lost · second in 5" in text
    assert (
        "Constituency For CON Result Winner Majority"
        " Corby and East Northamptonshire Loss LAB GAIN FROM CON Lee Barron 6,331"
        " Kettering Loss LAB GAIN FROM CON Rosie Wrighting 3,820"
    ) in text
    assert "Daventry Hold CON HOLD Stuart Andrew 3,012" in text
    assert text.index("Daventry Hold") > text.index("Wellingborough and Rushden Loss")
    assert text.index("Kettering Second") > text.index("South Northamptonshire Hold")


@pytest.mark.parametrize(
    "query",
    [
        "wellingborough & rushden",
        "Wellingborough and Rushden",
        "WELLINGBOROUGH-AND-RUSHDEN",
        "  wellingborough  &  rushden ",
    ],
)
def test_exact_constituency_goes_straight_to_its_page(client, seeded, query):
    response = client.get("/search/", {"q": query})
    assert response.status_code == 302
    assert response["Location"] == "/constituencies/wellingborough-and-rushden/"


def test_part_of_a_name_lists_constituencies(client, seeded):
    text = text_of(client.get("/search/", {"q": "northampton"}))
    assert "4 constituencies, 0 parties and 0 candidates match “northampton”." in text
    for name in ["Corby and East Northamptonshire", "Northampton North", "South Northamptonshire"]:
        assert name in text


def test_candidates_by_name_forgiving_accents_and_case(client, seeded):
    text = text_of(client.get("/search/", {"q": "FEDÓROWYCZ"}))
    assert "Emily Fedorowycz, Green Party, in Kettering" in text


def test_punctuation_is_forgiven(client, seeded):
    response = client.get("/search/", {"q": "harborough oadby and wigston"})
    assert response["Location"] == "/constituencies/harborough-oadby-and-wigston/"


def test_no_match_says_so_helpfully(client, seeded):
    text = text_of(client.get("/search/", {"q": "Atlantis"}))
    assert "No constituency, party or candidate matches “Atlantis”" in text
    assert "try part of a name" in text


def test_empty_search_shows_the_form(client, seeded):
    response = client.get("/search/")
    assert response.status_code == 200
    assert "Find your constituency" in text_of(response)


def test_parties_by_name_abbreviation_or_without_accents(client, seeded):
    assert "1 party" in text_of(client.get("/search/", {"q": "reform"}))
    assert "Reform UK REF" in text_of(client.get("/search/", {"q": "reform"}))
    text = text_of(client.get("/search/", {"q": "sinn fein"}))
    assert "1 party" in text and "Sinn Féin SF" in text
    assert "Scottish National Party SNP" in text_of(client.get("/search/", {"q": "snp"}))


def test_mps_come_first_and_say_so(client, every_seat):
    text = text_of(client.get("/search/", {"q": "starmer"}))
    assert "Keir Starmer, Labour, MP for Holborn and St Pancras" in text
    text = text_of(client.get("/search/", {"q": "wrighting"}))
    assert "Rosie Wrighting, Labour, MP for Kettering" in text


def test_a_seat_in_detail_in_two_queries_its_parties_taken_from_those_given(every_seat):
    parties = Party.objects.in_bulk()
    with CaptureQueriesContext(connection) as queries:
        seat = Constituency.objects.detail("kettering", parties=parties)
        names = [(candidacy.name, candidacy.party.name) for candidacy in seat.candidates[:2]]
        winner = seat.result.winner
    assert len(queries) == 2
    assert names == [("Rosie Wrighting", "Labour"), ("Philip Hollobone", "Conservative")]
    assert winner is seat.candidates[0] and winner.party is parties[winner.party_id]
    # A party not among those given is read for its candidate alone.
    labour_only = {pk: party for pk, party in parties.items() if party.slug == "labour"}
    with CaptureQueriesContext(connection) as queries:
        seat = Constituency.objects.detail("kettering", parties=labour_only)
        assert seat.candidates[1].party.name == "Conservative"
    assert len(queries) == 3
    assert Constituency.objects.detail("atlantis") is None
