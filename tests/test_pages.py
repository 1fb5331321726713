"""The three kinds of page, plain, showing the seed data."""

import pytest

from tests.pages import text_of

pytestmark = pytest.mark.django_db


def test_home_shows_the_national_scoreboard_and_counties(client, seeded):
    response = client.get("/")
    assert response.status_code == 200
    text = text_of(response)
    assert "326 seats for a majority. 0 seats to go." in text
    for row in [
        "Labour 412 +211",
        "Conservative 121 \u2212251",
        "Liberal Democrat 72 +64",
        "Scottish National Party 9 \u221239",
        "Sinn Fein 7 No change",
        "Others 29 +15",
    ]:
        assert row in text
    html = response.content.decode()
    assert '<a href="/counties/northamptonshire/">Northamptonshire</a>' in html
    assert '<a href="/counties/derbyshire/">Derbyshire</a>' in html


def test_county_page_lists_seats_with_results_and_posts(client, seeded):
    response = client.get("/counties/northamptonshire/")
    assert response.status_code == 200
    text = text_of(response)
    assert "Kettering : Rosie Wrighting (Labour), LAB GAIN FROM CON" in text
    assert "Daventry : Stuart Andrew (Conservative), CON HOLD" in text
    assert "Government minister Tom Pursglove loses his Corby seat" in text
    assert text.index("Labour candidate says health is big issue for voters") < text.index(
        "Kettering, where three counts are taking take place"
    )
    assert "02:43 BST" in text


def test_county_page_without_results_says_awaiting(client, seeded):
    text = text_of(client.get("/counties/derbyshire/"))
    assert "Derbyshire Dales : awaiting declaration" in text
    assert "Owen Bradley, BBC Radio Derby Sport" in text


def test_breaking_label_on_breaking_posts(client, seeded):
    html = client.get("/counties/leicestershire-and-rutland/").content.decode()
    assert html.count('<p class="breaking">Breaking</p>') == 3


def test_constituency_page_shows_the_full_result(client, seeded):
    response = client.get("/constituencies/kettering/")
    assert response.status_code == 200
    text = text_of(response)
    assert "LAB GAIN FROM CON" in text
    assert "Winner Rosie Wrighting (Labour)" in text
    assert "Majority 3,820" in text
    assert "Turnout 64.30%" in text
    assert "Rosie Wrighting Labour 18,009 35.85%" in text
    assert "Jehad Aburamadan Alliance for Democracy and Freedom 62 0.12%" in text
    assert "It's the 32nd most marginal Conservative seat in the Anglia region" in text


def test_constituency_slug_from_an_ampersand_name(client, seeded):
    text = text_of(client.get("/constituencies/wellingborough-and-rushden/"))
    assert "Gen Kitchen Labour 17,734 40.32%" in text
    assert "Majority 5,486" in text


def test_undeclared_constituency_awaits(client, seeded):
    text = text_of(client.get("/constituencies/derbyshire-dales/"))
    assert "Awaiting declaration" in text


def test_unknown_pages_are_404(client, seeded):
    assert client.get("/constituencies/atlantis/").status_code == 404
    assert client.get("/counties/atlantis/").status_code == 404


def test_post_permalink(client, seeded):
    from liveblog.models import Post

    post = Post.objects.get(title="Labour gain Loughborough")
    response = client.get(f"/counties/leicestershire-and-rutland/posts/{post.pk}/")
    assert response.status_code == 200
    assert "Former Conservative MP Jane Hunt has lost her seat" in text_of(response)
    assert client.get(f"/counties/derbyshire/posts/{post.pk}/").status_code == 404
