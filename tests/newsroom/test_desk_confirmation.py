"""Issue 27, "Why" 2: Enter published a partial result. Every box must be typed (no
silent 0), and the first submit only checks: the desk sees the whole result as readers
will, then publishes it, or goes back and changes it."""

import html as html_lib
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from results.models import Constituency, Result
from results.services import count_declare
from tests.newsroom.forms import (
    confirmation_data,
    declaration_address,
    declaration_form,
    declaration_post,
)
from tests.newsroom.test_desk_night import library_votes, nominations
from tests.pages import text_of
from tests.snapshots import database_rows

pytestmark = pytest.mark.django_db


@pytest.fixture
def nominated(seeded):
    nominations()


@pytest.fixture
def dales(nominated):
    return Constituency.objects.get(slug="derbyshire-dales")


def dales_entry(dales, votes=None, **fields):
    votes = votes if votes is not None else library_votes("derbyshire-dales")
    existing = [(c, votes.get(c.name)) for c in dales.candidacies.all()]
    data = declaration_form(dales, [], outcome="", existing=existing, electorate="74123")
    data.update(fields)
    return data


def votes_row(html, name):
    """The candidate's row of the declaration table, as HTML, entities read."""
    start = html.index(f'value="{name}"')
    return html_lib.unescape(html[html.rindex("<tr", 0, start) : html.index("</tr>", start)])


def test_every_votes_box_of_a_seat_not_declared_starts_empty(dales, desk_client):
    html = desk_client.get(declaration_address(dales)).content.decode()
    boxes = re.findall(r'<input[^>]*name="candidacies-\d+-votes"[^>]*>', html)
    assert len(boxes) == 7
    assert [re.search(r'value="([^"]*)"', box) for box in boxes] == [None] * 7
    assert all("required" in box for box in boxes)


@pytest.mark.parametrize("button", ["_save", "_continue", "none"])
def test_enter_in_one_box_publishes_nothing(dales, desk_client, button):
    """The night's mistake: 7,728 typed in one row, Enter pressed."""
    before = database_rows()
    data = dales_entry(dales, {"Edward Oakenfull": 7728})
    if button != "none":
        data[button] = "Save"
    response = desk_client.post(declaration_address(dales), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Type Sarah Dines's votes: 0 if none." in votes_row(html, "Sarah Dines")
    assert "Type John Whitby's votes: 0 if none." in votes_row(html, "John Whitby")
    assert "0 if none" not in votes_row(html, "Edward Oakenfull")
    assert confirmation_data(response) is None
    assert database_rows() == before


def test_the_first_submit_shows_the_whole_result_and_publishes_nothing(dales, desk_client):
    before = database_rows()
    data = dales_entry(dales, declared_at_0="2024-07-05", declared_at_1="02:31")
    response = desk_client.post(declaration_address(dales), {**data, "_save": "Save"})
    assert response.status_code == 200
    assert database_rows() == before
    page = text_of(response)
    assert "Check this result before it goes to readers" in page
    assert "Derbyshire Dales LAB GAIN FROM CON" in page
    assert "Winner John Whitby (Labour)" in page
    assert "Majority 350 votes (0.68%)" in page
    assert "John Whitby Labour 17,759 34.64%" in page
    assert "Sarah Dines Conservative 17,409 33.95%" in page
    assert "Total valid votes 51,272" in page
    assert "Turnout 69.17%" in page and "Electorate 74,123" in page
    assert "Declared 02:31, 5 July 2024" in page
    html = response.content.decode()
    assert html.count('<form method="post"') == 1
    assert re.search(r'<button[^>]*name="_confirm"[^>]*>Publish this result</button>', html)
    assert "Go back and change" in page
    # Every figure typed travels with the confirmation.
    confirmation = confirmation_data(response)
    for name, value in data.items():
        assert confirmation[name] == [str(value)], name

    response = desk_client.post(declaration_address(dales), confirmation)
    assert response.status_code == 302
    result = Result.objects.get(constituency=dales)
    assert (result.verdict, result.majority, str(result.turnout)) == (
        "LAB GAIN FROM CON",
        350,
        "69.17",
    )


def test_a_candidate_who_got_nothing_is_typed_as_0(dales, desk_client):
    votes = {**library_votes("derbyshire-dales"), "Helen Wetherall": 0}
    response = declaration_post(desk_client, dales, dales_entry(dales, votes))
    assert response.status_code == 302, text_of(response)[:2000]
    assert dales.candidacies.get(name="Helen Wetherall").votes == 0
    assert Result.objects.get(constituency=dales).verdict == "LAB GAIN FROM CON"


def test_a_typed_0_result_is_shown_before_it_is_published(dales, desk_client):
    """Every other box typed 0: a result, but one the desk sees in full first."""
    votes = dict.fromkeys(library_votes("derbyshire-dales"), 0) | {"Edward Oakenfull": 7728}
    response = desk_client.post(declaration_address(dales), {**dales_entry(dales, votes)})
    page = text_of(response)
    assert "REF GAIN FROM CON" in page and "Majority 7,728 votes (100.00%)" in page
    assert not Result.objects.filter(constituency=dales).exists()


def test_go_back_and_change_keeps_what_was_typed(dales, desk_client):
    data = dales_entry(dales)
    checked = desk_client.post(declaration_address(dales), data)
    back = {**confirmation_data(checked)}
    del back["_confirm"]
    back["_edit"] = "Go back and change"
    response = desk_client.post(declaration_address(dales), back)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="17759"' in votes_row(html, "John Whitby")
    assert "Please correct" not in html
    assert "Nothing is published yet" in text_of(response)
    assert not Result.objects.filter(constituency=dales).exists()


def test_a_stale_confirmation_is_refused(dales, desk_client, desk):
    votes = library_votes("derbyshire-dales")
    checked = desk_client.post(declaration_address(dales), dales_entry(dales))
    confirmation = confirmation_data(checked)
    # Meanwhile another desk member publishes other figures.
    other = {
        c.pk: votes[c.name] + 1000 * (c.name == "Sarah Dines") for c in dales.candidacies.all()
    }
    count_declare(constituency=dales, votes=other, user=desk)
    before = database_rows()
    response = desk_client.post(declaration_address(dales), confirmation)
    assert response.status_code == 200
    assert (
        "The result of Derbyshire Dales changed after you checked these figures: "
        "check them again." in text_of(response)
    )
    assert database_rows() == before
    assert Result.objects.get(constituency=dales).verdict == "CON HOLD"


def test_a_confirmation_is_checked_again(dales, desk_client):
    """Figures altered in the confirmation's hidden inputs are checked as if typed."""
    checked = desk_client.post(declaration_address(dales), dales_entry(dales))
    confirmation = confirmation_data(checked)
    confirmation["electorate"] = ["3000"]
    response = desk_client.post(declaration_address(dales), confirmation)
    assert response.status_code == 200
    assert "more than the electorate of 3,000" in text_of(response)
    assert not Result.objects.filter(constituency=dales).exists()


def test_the_declaration_page_reads_as_much_for_five_candidates_as_for_eight(
    nominated, desk_client
):
    """Each row's party list and heading once per page, not once per candidate."""
    counts = {}
    desk_client.get(declaration_address(Constituency.objects.get(slug="amber-valley")))
    for slug in ["amber-valley", "kettering", "derbyshire-dales"]:
        seat = Constituency.objects.get(slug=slug)
        with CaptureQueriesContext(connection) as queries:
            assert desk_client.get(declaration_address(seat)).status_code == 200
        counts[slug, seat.candidacies.count()] = len(queries)
    assert counts == {
        ("amber-valley", 5): 11,
        ("kettering", 8): 12,  # declared: its audit trail too
        ("derbyshire-dales", 7): 11,
    }
