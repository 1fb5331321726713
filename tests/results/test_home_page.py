"""The home page: the national scoreboard, latest declarations, counties, search."""

import pytest

from tests.pages import text_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def home(client, seeded):
    return client.get("/")


@pytest.fixture
def final_home(client, every_seat):
    return client.get("/")


def test_the_seeds_alone_show_the_seats_they_declare_not_the_printed_result(home):
    """The seed pages printed the final scoreboard (650 declared); the seeds declare 7
    seats, and the home page says so (issue 27: the printed one once outranked them)."""
    text = text_of(home)
    assert "Labour leads with 5 seats, 321 short of the 326 needed for a majority." in text
    assert "7 of 650 seats declared · 643 to go · 326 for a majority" in text
    # The seeds give no electorates, so no turnout can be worked out (not "0.0%").
    assert "336,301 valid votes Seats and votes" in text
    assert "412" not in text


def test_headline_and_counts(final_home):
    text = text_of(final_home)
    assert "Labour majority of 174: 412 seats against 238 for all other parties." in text
    assert "650 of 650 seats declared · 0 to go · 326 for a majority" in text


SEATS_WON = (
    "Seats won: Labour 412, Conservative 121, Liberal Democrat 72, Scottish National Party "
    "9, Sinn Féin 7, Independents 6, Democratic Unionist Party 5, Reform UK 5, Plaid Cymru "
    "4, Green Party 4, Social Democratic and Labour Party 2, Alliance Party of Northern "
    "Ireland 1, Traditional Unionist Voice 1, Ulster Unionist Party 1. 326 needed for a "
    "majority."
)


def test_scoreboard_table_with_signed_changes(final_home):
    html = final_home.content.decode()
    assert SEATS_WON in html
    text = text_of(final_home)
    for row in [
        "Labour 411 +211 9,708,716 33.7% +1.6",
        "Conservative 121 \u2212251 6,828,925 23.7% \u221219.9",
        "Reform UK 5 +5 4,117,610 14.3% +12.3",
    ]:
        assert row in text


def test_seat_bar_in_party_colours_with_the_majority_line(final_home):
    html = final_home.content.decode()
    assert '<svg viewBox="0 0 650 44"' in html
    assert '<rect x="0" y="8" width="412" height="28" fill="#E4003B"/>' in html
    assert '<rect x="412" y="8" width="121" height="28" fill="#0087DC"/>' in html
    # Reform UK in its own colour, after the Independents' 6 and the DUP's 5.
    assert '<rect x="632" y="8" width="5" height="28" fill="#12B6CF"/>' in html
    assert '<line x1="326" x2="326"' in html
    # The text equivalent of the bar.
    assert SEATS_WON in html


def test_latest_declarations(home):
    text = text_of(home)
    assert "Kettering LAB GAIN FROM CON" in text
    assert "Daventry CON HOLD" in text


def test_links_to_counties_and_a_search_box(home):
    html = home.content.decode()
    assert '<a href="/counties/leicestershire-and-rutland/">Leicestershire and Rutland</a>' in html
    assert '<input id="search-q" name="q" type="search"' in html
    assert '<label for="search-q">Constituency, party or candidate</label>' in html


def test_before_any_declaration(client, db):
    text = text_of(client.get("/"))
    assert "No seats declared yet. 0 of 650 seats declared · 650 to go · 326 for a majority" in text
