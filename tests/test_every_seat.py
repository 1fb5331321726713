"""Every seat at a glance: the table of every seat, its CSV (the map: tests/test_seat_map.py)."""

import csv
import io
import re

import pytest

from results.models import Outcome, Result
from tests.national_data import national_data
from tests.pages import text_of

pytestmark = pytest.mark.django_db


def test_every_seat_in_one_table(client, every_seat):
    page = client.get("/constituencies/")
    text = text_of(page)
    assert "650 seats" in text
    assert "Seats 1 to 50 of 650" in text
    assert "Page 1 of 13" in text
    assert "Aberafan Maesteg Wales Stephen Kinnock Labour Hold 10,354" in text


def test_the_table_filters_and_sorts(client, every_seat):
    text = text_of(
        client.get(
            "/constituencies/", {"region": "east-midlands", "outcome": "gain", "sort": "majority"}
        )
    )
    seats = Result.objects.filter(
        constituency__region__slug="east-midlands", outcome=Outcome.GAIN
    ).count()
    assert f"{seats} seats match" in text
    closest = (
        Result.objects.filter(constituency__region__slug="east-midlands", outcome=Outcome.GAIN)
        .order_by("majority")
        .select_related("constituency")
        .first()
    )
    assert text.split("Declared ")[1].startswith(closest.constituency.name)


def test_the_filters_offer_every_nation_region_and_party_each_labelled(client, every_seat):
    page = client.get("/constituencies/", {"region": "london", "held": "conservative"})
    html = page.content.decode()
    labels = re.findall(r'<label for="id_(\w+)">([^<]*)</label>', html)
    assert labels == [
        ("nation", "Nation"),
        ("region", "Region"),
        ("party", "Won by"),
        ("held", "Held in 2019 by"),
        ("outcome", "Result"),
    ]
    selects = dict(re.findall(r'<select name="(\w+)" id="id_\1">(.*?)</select>', html, re.S))
    options = {
        name: re.findall(r'<option value="([^"]*)"( selected)?>([^<]*)</option>', select)
        for name, select in selects.items()
    }
    assert options["nation"] == [
        ("", " selected", "Every nation"),
        ("england", "", "England"),
        ("scotland", "", "Scotland"),
        ("wales", "", "Wales"),
        ("northern-ireland", "", "Northern Ireland"),
    ]
    regions = [label for _, chosen, label in options["region"]]
    assert regions == [
        "Every region",
        "East Midlands",
        "East of England",
        "London",
        "North East",
        "North West",
        "Northern Ireland",
        "Scotland",
        "South East",
        "South West",
        "Wales",
        "West Midlands",
        "Yorkshire and The Humber",
    ]
    assert [value for value, chosen, _ in options["region"] if chosen] == ["london"]
    # Every party that won a seat or held one in 2019, by name, under both.
    parties = [
        "Any party",
        "Alliance Party of Northern Ireland",
        "Conservative",
        "Democratic Unionist Party",
        "Green Party",
        "Independent",
        "Labour",
        "Liberal Democrat",
        "Plaid Cymru",
        "Reform UK",
        "Scottish National Party",
        "Sinn Féin",
        "Social Democratic and Labour Party",
        "Speaker",
        "Traditional Unionist Voice",
        "Ulster Unionist Party",
    ]
    assert [label for _, _, label in options["party"]] == parties
    assert [label for _, _, label in options["held"]] == parties
    assert [value for value, chosen, _ in options["held"] if chosen] == ["conservative"]
    assert options["outcome"] == [
        ("", " selected", "Any"),
        ("gain", "", "Gain"),
        ("hold", "", "Hold"),
        ("awaiting", "", "Awaiting declaration"),
    ]


def winners_by(moment):
    """The parties, as the site names them, whose candidates the Library's file records
    elected by `moment` (UK time): the oracle."""
    path = national_data() / "HoC-GE2024-winning-members-time-recorded.csv"
    with path.open(encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    named = {"Labour and Co-operative": "Labour"}
    return sorted(
        {
            named.get(row["party_name"], row["party_name"])
            for row in rows
            if row["time_recorded"] <= f"2024-07-05 {moment}:00"
        }
    )


@pytest.mark.parametrize(
    ("moment", "offered"),
    [
        ("02:00", ["Labour", "Liberal Democrat"]),
        ("02:30", ["Conservative", "Labour", "Liberal Democrat", "Reform UK"]),
    ],
)
def test_replayed_the_list_offers_only_the_winners_by_then(client, every_seat, moment, offered):
    html = client.get("/constituencies/", {"at": moment}).content.decode()
    select = re.search(r'<select name="party" id="id_party">(.*?)</select>', html, re.S)[1]
    labels = re.findall(r"<option [^>]*>([^<]*)</option>", select)
    assert winners_by(moment) == offered
    assert labels == ["Any party", *offered]


def test_seats_awaiting_their_declaration_sort_last_either_way(client, seeded):
    # The seeds: seven Northamptonshire results, every other seat awaiting.
    for sort in ["majority", "-majority", "party", "-party", "-winner"]:
        text = text_of(client.get("/constituencies/", {"sort": sort}))
        rows = text.split("Declared ")[1]
        declared = [rows.index(name) for name in ("Kettering", "Daventry", "Corby")]
        assert max(declared) < rows.index("Awaiting declaration"), sort
    smallest = text_of(client.get("/constituencies/", {"sort": "majority"})).split("Declared ")[1]
    assert smallest.startswith("Daventry – Stuart Andrew Conservative Hold 3,012 ")


def test_every_seat_once_in_the_pages_of_a_sort_that_ties(client, every_seat):
    # 411 seats tie on Labour: by name among them, so no seat is on two pages or none.
    names = [
        name
        for page in range(1, 14)
        for name in re.findall(
            r'<th scope="row" [^>]*><a href="/constituencies/[^"]+/">([^<]+)</a>',
            client.get("/constituencies/", {"sort": "party", "page": page}).content.decode(),
        )
    ]
    assert len(names) == len(set(names)) == 650


def test_an_unknown_filter_value_is_not_found(client, every_seat):
    assert client.get("/constituencies/", {"region": "atlantis"}).status_code == 404
    assert client.get("/constituencies/", {"page": "99"}).status_code == 404
    # A value no filter knows is no filter at all.
    assert "650 seats" in text_of(client.get("/constituencies/", {"outcome": "landslide"}))


def test_the_filtered_rows_as_csv(client, every_seat):
    response = client.get("/data/constituencies.csv", {"nation": "wales"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 32
    ynys_mon = next(row for row in rows if row["ons_code"] == "W07000112")
    assert ynys_mon["constituency"] == "Ynys Môn"
    assert ynys_mon["winner"] == "Llinos Medi" and ynys_mon["winner_party"] == "Plaid Cymru"
    assert ynys_mon["result"] == "GAIN" and ynys_mon["gained_from"] == "Conservative"
    page = client.get("/constituencies/", {"nation": "wales"}).content.decode()
    assert 'href="/data/constituencies.csv?nation=wales"' in page


def test_replayed_a_party_yet_to_win_has_an_empty_list_not_a_missing_one(client, every_seat):
    # A replayed party page links to its seats as they stood, before it had won any.
    response = client.get("/constituencies/", {"at": "02:00", "party": "reform-uk"})
    assert response.status_code == 200
    assert "0 seats match" in text_of(response)
    html = response.content.decode()
    select = re.search(r'<select name="party" id="id_party">(.*?)</select>', html, re.S)[1]
    assert re.findall(r"<option [^>]*>([^<]*)</option>", select) == [
        "Any party",
        "Labour",
        "Liberal Democrat",
        "Reform UK",
    ]
    assert '<option value="reform-uk" selected>Reform UK</option>' in select
