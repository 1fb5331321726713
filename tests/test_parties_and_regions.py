"""Index pages of parties and regions, and a party's own page, with every seat."""

import re

import pytest

from results.models import Party
from tests.national_data import correct_by
from tests.pages import text_of

pytestmark = pytest.mark.django_db
PAGE_BUDGET = 60 * 1024


def test_every_party_that_stood(client, every_seat):
    text = text_of(client.get("/parties/"))
    stood = Party.objects.filter(candidacies__isnull=False).distinct().count()
    assert f"{stood} parties and independents stood · 28,809,340 valid votes counted" in text
    assert "Labour 631 411 +211 9,708,716 33.70% +1.62" in text
    assert "Reform UK 609 5 +5 4,117,610 14.29% +12.28" in text


def test_every_nation_and_region(client, every_seat):
    text = text_of(client.get("/regions/"))
    assert "Scotland 57 57 Labour 37 " in text
    assert "Northern Ireland 18 18 Sinn Féin 7 " in text
    assert "London 75 75 Labour 59 " in text


def test_a_partys_page_leads_with_gains_and_fits_the_budget(client, every_seat):
    response = client.get("/parties/labour/")
    text = text_of(response)
    # The Library's results file names Labour second in 105 seats.
    seconds = 105
    assert f"411 seats won · 218 gained · 7 lost · second in {seconds}" in text
    assert "9,708,716 votes · 33.7% of the vote (+1.6 pts since 2019) · 631 candidates" in text
    assert (
        "The national scoreboard counts Chorley (Speaker) with Labour: 412 seats with it." in text
    )
    listed = 411 + 7 + seconds
    pages = -(-listed // 100)
    assert f"1 to 100 of {listed}" in text and f"Page 1 of {pages}" in text
    rows = text.split("Winner Majority ")[1]
    assert rows.startswith("Airdrie and Shotts Gain LAB GAIN FROM SNP Kenneth Stevenson 7,547 ")
    assert len(response.content) <= PAGE_BUDGET
    last = text_of(client.get("/parties/labour/", {"page": pages}))
    assert " Second " in last and " Gain " not in last


def test_a_correction_shows_on_the_partys_page_at_once(client, every_seat):
    first = "Airdrie and Shotts Gain LAB GAIN FROM SNP"
    assert f"{first} Kenneth Stevenson 7,547 " in text_of(client.get("/parties/labour/"))
    correct_by("airdrie-and-shotts", 10)
    text = text_of(client.get("/parties/labour/"))
    assert f"{first} Corrected Kenneth Stevenson 7,557 " in text


def test_a_seat_lost_and_come_second_in_is_listed_as_both(client, every_seat):
    # Kettering: Labour gained it from the Conservatives, who came second (as the
    # Library's file says).
    pages = " ".join(
        text_of(client.get("/parties/conservative/", {"page": page})) for page in range(1, 9)
    )
    assert re.findall(r"Kettering (\w+) LAB GAIN FROM CON Rosie Wrighting 3,820 ", pages) == [
        "Loss",
        "Second",
    ]


def test_a_region_shows_votes_share_and_turnout(client, every_seat):
    text = text_of(client.get("/regions/scotland/"))
    assert "57 of 57 seats declared" in text
    assert " Labour 37 +36 " in text and " Scottish National Party 9 −39 " in text
    replayed = text_of(client.get("/regions/scotland/", {"at": "03:00"}))
    assert "1 of 57 seats declared" in replayed
    assert "42,478 valid votes · turnout 56.9% (−6.8 pts since 2019)" in replayed
    assert " Labour 1 +1 19,055 44.9% +" in replayed
