"""The home page: the national scoreboard, latest declarations, counties, search."""

import pytest

from tests.pages import text_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def home(client, seeded):
    return client.get("/")


def test_headline_and_counts(home):
    text = text_of(home)
    assert "Labour has won a majority: 412 seats, 86 more than the 326 needed." in text
    assert "650 of 650 seats declared · 0 to go · 326 for a majority" in text


def test_scoreboard_table_with_signed_changes(home):
    text = text_of(home)
    assert "Seats won by each party, and the change since 2019" in text
    for row in [
        "Labour 412 +211",
        "Conservative 121 \u2212251",
        "Liberal Democrat 72 +64",
        "Scottish National Party 9 \u221239",
        "Sinn Fein 7 No change",
        "Others 29 +15",
    ]:
        assert row in text


def test_seat_bar_in_party_colours_with_the_majority_line(home):
    html = home.content.decode()
    assert '<svg viewBox="0 0 650 44"' in html
    assert '<rect x="0" y="8" width="412" height="28" fill="#E4003B"/>' in html
    assert '<rect x="412" y="8" width="121" height="28" fill="#0087DC"/>' in html
    assert '<rect x="621" y="8" width="29" height="28" fill="#767676"/>' in html
    assert '<line x1="326" x2="326"' in html
    # The text equivalent of the bar.
    assert (
        "Seats won: Labour 412, Conservative 121, Liberal Democrat 72, Scottish National Party "
        "9, Sinn Fein 7, Others 29. 326 needed for a majority." in html
    )


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
