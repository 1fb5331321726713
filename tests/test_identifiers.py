"""Stable ids in the open data: seats by ONS code, candidates by an id of their own and
the ids others know them by, parties by Electoral Commission id, in the API and the CSVs."""

import csv
import io

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from results.models import Candidacy, Party, RegisteredParty
from tests.pages import text_of

pytestmark = pytest.mark.django_db

GREEN_PARTY = [
    RegisteredParty("Green", "PP63", ""),
    RegisteredParty("Scottish Green Party", "PP130", ""),
    RegisteredParty("Green Party Northern Ireland", "PP305", ""),
]
LABOUR = [
    RegisteredParty("Labour", "PP53", ""),
    RegisteredParty("Labour and Co-operative", "PP53", "PP119"),
]


def rows_of(response):
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def candidate(seat, name):
    return next(c for c in seat["candidates"] if c["name"] == name)


# Parties by Electoral Commission id.


def test_each_party_has_the_registered_parties_its_candidates_stood_for(
    every_seat, django_assert_num_queries
):
    with django_assert_num_queries(1):
        registered = Party.objects.registered_parties()
    by_slug = {party.slug: registered.get(party.pk, []) for party in Party.objects.all()}
    assert by_slug["green-party"] == GREEN_PARTY
    assert by_slug["labour"] == LABOUR
    # Neither an independent nor the Speaker stands for a registered party.
    assert by_slug["independent"] == by_slug["speaker"] == []


def test_a_party_found_by_an_electoral_commission_id(every_seat):
    green = Party.objects.get(slug="green-party")
    assert Party.objects.with_ec_id("PP130") == green
    assert Party.objects.with_ec_id("pp305") == green
    assert Party.objects.with_ec_id("PP53").slug == "labour"
    # The Co-operative Party stands only with Labour, under Labour's id: no party of its own.
    assert Party.objects.with_ec_id("PP119") is None
    assert Party.objects.with_ec_id("PP0") is None
    assert Party.objects.with_ec_id("") is None
    assert Party.objects.with_ec_id(" PP63 ") == green


def test_the_party_api_gives_its_registered_parties(client, every_seat):
    green = client.get("/api/v1/parties/green-party").json()
    assert green["registered_parties"] == [
        {"name": "Green", "ec_id": "PP63", "adjunct_ec_id": None},
        {"name": "Scottish Green Party", "ec_id": "PP130", "adjunct_ec_id": None},
        {"name": "Green Party Northern Ireland", "ec_id": "PP305", "adjunct_ec_id": None},
    ]
    labour = client.get("/api/v1/parties/labour").json()
    assert labour["registered_parties"] == [
        {"name": "Labour", "ec_id": "PP53", "adjunct_ec_id": None},
        {"name": "Labour and Co-operative", "ec_id": "PP53", "adjunct_ec_id": "PP119"},
    ]
    assert client.get("/api/v1/parties/independent").json()["registered_parties"] == []


def test_the_list_of_parties_gives_their_registered_parties(client, every_seat):
    parties = {row["party"]["slug"]: row for row in client.get("/api/v1/parties").json()}
    assert parties["green-party"]["registered_parties"] == [
        {"name": "Green", "ec_id": "PP63", "adjunct_ec_id": None},
        {"name": "Scottish Green Party", "ec_id": "PP130", "adjunct_ec_id": None},
        {"name": "Green Party Northern Ireland", "ec_id": "PP305", "adjunct_ec_id": None},
    ]
    assert parties["independent"]["registered_parties"] == []


def test_the_list_of_parties_by_electoral_commission_id(client, every_seat):
    for ec_id in ("PP130", "pp130"):
        found = client.get("/api/v1/parties", {"ec_id": ec_id}).json()
        assert [(row["party"]["name"], row["seats"]) for row in found] == [("Green Party", 4)]
    # An adjunct id names no party of its own; a well-formed id no party's, none.
    assert client.get("/api/v1/parties", {"ec_id": "PP119"}).json() == []
    assert client.get("/api/v1/parties", {"ec_id": "PP999999"}).json() == []
    refused = client.get("/api/v1/parties", {"ec_id": "130"})
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["parameter"] == "ec_id"


def test_the_party_page_says_what_its_candidates_stood_as(client, every_seat):
    page = text_of(client.get("/parties/green-party/"))
    assert "Stood as: Green, Scottish Green Party, Green Party Northern Ireland." in page
    assert "Stood as: Labour, Labour and Co-operative." in text_of(client.get("/parties/labour/"))
    assert "Stood as" not in text_of(client.get("/parties/independent/"))


# Candidates by id.


def test_a_candidate_in_the_api_carries_their_ids(client, every_seat):
    seat = client.get("/api/v1/constituencies/birmingham-edgbaston").json()
    gill = candidate(seat, "Preet Gill")
    assert gill["id"] == Candidacy.objects.get(name="Preet Gill").pk
    assert (gill["dc_person_id"], gill["mnis_id"], gill["party"]["slug"]) == (
        19009,
        4603,
        "labour",
    )
    assert gill["registered_party"] == {
        "name": "Labour and Co-operative",
        "ec_id": "PP53",
        "adjunct_ec_id": "PP119",
    }
    kettering = client.get("/api/v1/constituencies/kettering").json()
    hakewill = candidate(kettering, "Jim Hakewill")
    assert (hakewill["dc_person_id"], hakewill["mnis_id"], hakewill["registered_party"]) == (
        30433,
        None,
        None,
    )
    ids = [c["id"] for c in kettering["candidates"]]
    assert sorted(ids) == sorted(
        Candidacy.objects.filter(constituency__slug="kettering").values_list("pk", flat=True)
    )


def test_the_seeds_give_no_ids(client, seeded):
    """The seed documents print names and parties, no ids: the ids are empty."""
    kettering = client.get("/api/v1/constituencies/kettering").json()
    wrighting = candidate(kettering, "Rosie Wrighting")
    assert wrighting["id"] == Candidacy.objects.get(name="Rosie Wrighting").pk
    assert (wrighting["dc_person_id"], wrighting["mnis_id"], wrighting["registered_party"]) == (
        None,
        None,
        None,
    )
    assert client.get("/api/v1/parties/labour").json()["registered_parties"] == []


def test_the_seeds_give_no_ids_in_the_csv(client, seeded):
    rows = rows_of(client.get("/data/results.csv"))
    assert {
        (row["dc_person_id"], row["mnis_id"], row["registered_party"], row["ec_party_id"])
        for row in rows
    } == {("", "", "", "")}
    assert {row["candidate_id"] for row in rows} == {
        str(pk) for pk in Candidacy.objects.values_list("pk", flat=True)
    }


def test_results_csv_carries_every_id(client, every_seat):
    rows = rows_of(client.get("/data/results.csv"))
    assert len(rows) == 4515
    assert len({row["candidate_id"] for row in rows}) == 4515
    gill = next(row for row in rows if row["candidate"] == "Preet Gill")
    assert {name: gill[name] for name in list(gill)[:16]} == {
        "ons_code": "E14001092",
        "constituency": "Birmingham Edgbaston",
        "region": "West Midlands",
        "nation": "England",
        "candidate_id": str(Candidacy.objects.get(name="Preet Gill").pk),
        "candidate": "Preet Gill",
        "dc_person_id": "19009",
        "mnis_id": "4603",
        "party": "Labour",
        "party_abbreviation": "LAB",
        "registered_party": "Labour and Co-operative",
        "ec_party_id": "PP53",
        "ec_adjunct_party_id": "PP119",
        "votes": "16599",
        "share": "44.35",
        "share_change": "-7.97",
    }
    scottish_greens = [row for row in rows if row["registered_party"] == "Scottish Green Party"]
    assert len(scottish_greens) == 44
    assert {(row["party"], row["ec_party_id"]) for row in scottish_greens} == {
        ("Green Party", "PP130")
    }
    assert sum(row["mnis_id"] != "" for row in rows) == 885


# Seats by ONS code.


def test_seats_filtered_by_ons_code(client, every_seat):
    for code in ("E14001311", "e14001311"):
        answer = client.get("/api/v1/constituencies", {"ons_code": code}).json()
        assert [seat["slug"] for seat in answer["results"]] == ["kettering"]
        assert answer["count"] == 1
    # As a filter on a list, a code that is no seat's narrows it to nothing.
    nothing = client.get("/api/v1/constituencies", {"ons_code": "E14009999"})
    assert nothing.status_code == 200
    assert nothing.json() == {
        "count": 0,
        "page": 1,
        "pages": 1,
        "next": None,
        "previous": None,
        "results": [],
    }
    # With another filter, both apply.
    welsh = client.get("/api/v1/constituencies", {"ons_code": "E14001311", "nation": "wales"})
    assert welsh.json()["count"] == 0


def test_a_seat_looked_up_by_ons_code_redirects_to_its_address(
    client, every_seat, django_assert_num_queries
):
    for code in ("E14001311", "e14001311"):
        cache.clear()
        # The seat by its address (none), the parties kept, the seat by its code.
        with django_assert_num_queries(3):
            response = client.get(f"/api/v1/constituencies/{code}")
        assert (response.status_code, response["Location"]) == (
            301,
            "/api/v1/constituencies/kettering",
        )
    assert client.get("/api/v1/constituencies/E14009999").status_code == 404


# A NUL is refused before any query: PostgreSQL takes no NUL in a string (psycopg
# raises, a 500), where SQLite reads the string up to it and finds nothing.


def test_an_ons_code_is_a_letter_and_eight_digits(client, every_seat):
    for code in ("\x00", "E1400131\x00", "E140013111", "kettering", " E14001311"):
        response = client.get("/api/v1/constituencies", {"ons_code": code})
        assert response.status_code == 422, code
        assert response.json()["errors"][0]["parameter"] == "ons_code"


@pytest.mark.parametrize(
    "address",
    [
        "/api/v1/constituencies/kettering%00",
        "/api/v1/constituencies/%00",
        "/api/v1/regions/london%00",
        "/api/v1/parties/labour%00",
        "/api/v1/counties/derbyshire%00/posts",
    ],
)
def test_a_nul_in_a_name_is_refused_before_any_query(client, every_seat, address):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(address)
    assert (response.status_code, len(queries)) == (422, 0)
