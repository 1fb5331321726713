"""The constituency page: verdict, key figures, sortable candidates, chart, posts."""

import re

import pytest

from tests.pages import text_of, wide_screen

pytestmark = pytest.mark.django_db


@pytest.fixture
def kettering(client, seeded):
    return client.get("/constituencies/kettering/")


def candidate_rows(response):
    """(candidate, party, votes, share, change) for each row of the candidates table."""
    html = wide_screen(response.content.decode())
    table = html[html.index('<table class="data-table">') : html.index("</table>")]
    rows = []
    for row in re.findall(r"<tr>(.*?)</tr>", table.split("<tbody>")[1], re.S):
        cells = [text_of_html(cell) for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
        rows.append(tuple(cells))
    return rows


def text_of_html(fragment):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", fragment)).strip()


def test_kettering_lists_all_eight_candidates_winner_first(kettering):
    assert candidate_rows(kettering) == [
        ("Rosie Wrighting", "Labour", "18,009", "35.85%", "–"),
        ("Philip Hollobone", "Conservative", "14,189", "28.25%", "–"),
        ("Crispian Besley", "Reform UK", "8,468", "16.86%", "–"),
        ("Emily Fedorowycz", "Green Party", "7,004", "13.94%", "–"),
        ("Sarah Ryan", "Liberal Democrat", "1,357", "2.70%", "–"),
        ("Jim Hakewill", "Independent", "1,057", "2.10%", "–"),
        ("Matthew Murphy", "Social Democratic Party", "85", "0.17%", "–"),
        ("Jehad Aburamadan", "Alliance for Democracy and Freedom", "62", "0.12%", "–"),
    ]


def test_headline_verdict_and_key_figures(kettering):
    text = text_of(kettering)
    assert "Kettering LAB GAIN FROM CON" in text
    assert "Winner Rosie Wrighting, Labour" in text
    assert "Majority 3,820 votes (7.60%)" in text
    assert "Turnout 64.30%" in text
    assert "Held in 2019 by Conservative (notional)" in text


def test_party_swatch_beside_the_party_name(kettering):
    html = kettering.content.decode()
    assert (
        '<svg class="swatch" width="12" height="12" viewBox="0 0 12 12" aria-hidden="true" '
        'focusable="false"><rect x=".5" y=".5" width="11" height="11" fill="#E4003B" '
        'stroke="#505050"/></svg> Labour' in html
    )


def test_table_sorts_by_name_and_back(client, seeded):
    by_name = candidate_rows(client.get("/constituencies/kettering/?sort=name"))
    assert [row[0] for row in by_name][:3] == [
        "Crispian Besley",
        "Emily Fedorowycz",
        "Jehad Aburamadan",
    ]
    by_votes_ascending = candidate_rows(client.get("/constituencies/kettering/?sort=votes"))
    assert by_votes_ascending[0][0] == "Jehad Aburamadan"
    by_party = candidate_rows(client.get("/constituencies/kettering/?sort=party"))
    assert by_party[0][1] == "Alliance for Democracy and Freedom"


def test_sort_links_and_aria_sort(kettering):
    html = kettering.content.decode()
    assert 'aria-sort="descending"' in html
    assert '<a href="?sort=name">Candidate' in html
    assert '<a href="?sort=votes">Votes' in html


def test_vote_share_chart_with_text(kettering):
    html = kettering.content.decode()
    # Each candidate a bar in the party's colour, and the share in words beside it.
    assert (
        '<li>\n<span class="share-chart__label">Rosie Wrighting <span class="muted">LAB</span>'
        '</span>\n<svg class="share-chart__bar" viewBox="0 0 100 10" preserveAspectRatio="none"'
        ' aria-hidden="true" focusable="false"><rect width="100" height="10" fill="#ececec"/>'
        '<rect width="35.85" height="10" fill="#E4003B"/></svg>\n'
        '<span class="share-chart__value">35.85%</span>\n</li>' in html
    )
    assert "Share of the vote" in html


def test_profile(kettering):
    assert "It's the 32nd most marginal Conservative seat in the Anglia region" in text_of(
        kettering
    )


def test_posts_that_name_the_seat(kettering):
    text = text_of(kettering)
    assert "In the live coverage" in text
    assert "Dedicated follower of Green fashion spotted at count Northamptonshire" in text
    assert "Traditional Union Jack blazer missing in Kettering" in text


def test_every_seat_in_the_county(kettering):
    text = text_of(kettering)
    seats = text.split("Every seat in Northamptonshire", 1)[1]
    assert seats.startswith(
        " Corby and East Northamptonshire LAB GAIN FROM CON Daventry CON HOLD"
        " Kettering LAB GAIN FROM CON Northampton North LAB GAIN FROM CON"
    )


def test_undeclared_seat(client, seeded):
    text = text_of(client.get("/constituencies/derbyshire-dales/"))
    assert "Derbyshire Dales Awaiting declaration" in text
    assert "Climate change 'completely missed' by bigger parties" in text


def test_ampersand_name_has_an_and_slug(client, seeded):
    text = text_of(client.get("/constituencies/wellingborough-and-rushden/"))
    assert "Gen Kitchen Labour 17,734 40.32%" in text
    assert "Majority 5,486 votes (12.47%)" in text


def test_print_style_for_the_page():
    from django.conf import settings

    css = (settings.BASE_DIR / "static" / "css" / "site.css").read_text()
    assert "@media print" in css


@pytest.mark.django_db
def test_turnout_change_and_swing_with_every_seat(client, every_seat):
    text = text_of(client.get("/constituencies/kettering/"))
    assert "Turnout 63.30% (−5.03 pts since 2019)" in text
    # (8.94 + 32.03) / 2: Labour's rise and the Conservatives' fall in share, halved.
    assert "Swing 20.49 pts from Conservative to Labour" in text
    assert "Swing is Butler swing between the winner and the runner-up" in text
