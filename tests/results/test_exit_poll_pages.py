"""The exit poll on the pages: from when it was announced it leads the home page and the
national strip, labelled as a poll, until declared seats take over (issue 30)."""

import csv
from datetime import datetime, timedelta
from io import StringIO

import pytest
from django.core.management import call_command

from results.exit_poll import LEADS_UNTIL_DECLARED
from results.models import ExitPoll
from results.services import ExitPollLineEntered, exit_poll_record
from results.times import UK
from tests.national_data import FILES, national_data
from tests.pages import text_of

pytestmark = pytest.mark.django_db

SOURCE = "Ipsos for BBC, ITV News and Sky News"
SHORT_NAMES = {
    "Labour": "LAB",
    "Conservative": "CON",
    "Liberal Democrat": "LD",
    "Reform UK": "REF",
    "Scottish National Party": "SNP",
    "Plaid Cymru": "PC",
    "Green Party": "GRN",
    "Others": "OTH",
}


def poll_file():
    """(party, seats) of exit-poll-2024.csv, read with the csv module: the oracle."""
    with (national_data() / "exit-poll-2024.csv").open(encoding="utf-8") as file:
        return [(row["party"], int(row["seats"])) for row in csv.DictReader(file)]


def majority_in_file():
    """The largest party's seats less every other seat of the 650."""
    seats = max(seats for party, seats in poll_file() if party != "Others")
    return seats - (650 - seats)


@pytest.fixture
def exit_poll(every_seat):
    call_command("import_exit_poll", str(national_data() / "exit-poll-2024.csv"), stdout=StringIO())


def home_text(client, at):
    return text_of(client.get(f"/?at={at}"))


def strip_text(client, at):
    return text_of(client.get(f"/fragments/strip/?at={at}"))


def test_the_file_is_the_broadcast_poll():
    assert poll_file() == [
        ("Labour", 410),
        ("Conservative", 131),
        ("Liberal Democrat", 61),
        ("Reform UK", 13),
        ("Scottish National Party", 10),
        ("Plaid Cymru", 4),
        ("Green Party", 2),
        ("Others", 19),
    ]
    assert majority_in_file() == 170


def test_the_poll_s_table_scrolls_in_a_named_region_a_keyboard_reaches(client, exit_poll):
    html = client.get("/?at=22:30").content.decode()
    scroller = html[: html.index('<table class="scoreboard exit-poll__table">')]
    scroller = scroller[scroller.rindex("<div") :]
    assert scroller.strip() == (
        '<div class="table-scroll" role="region" tabindex="0" '
        'aria-label="Exit poll: seats by party">'
    )


def test_at_half_past_ten_the_poll_leads_the_home_page(client, exit_poll):
    text = home_text(client, "22:30")
    lines = " ".join(f"{party} {seats}" for party, seats in poll_file())
    lead = (
        f"Exit poll, 22:00 · {SOURCE} Labour majority {majority_in_file()}, if the poll is "
        "right. Seats the exit poll projects for each party: a poll, not results Party Seats "
        f"(poll) {lines} A poll of voters leaving polling stations"
    )
    assert lead in text
    assert lines == (
        "Labour 410 Conservative 131 Liberal Democrat 61 Reform UK 13 Scottish National Party "
        "10 Plaid Cymru 4 Green Party 2 Others 19"
    )
    # It leads: above the seats won (none yet).
    assert text.index(lead) < text.index("Parties by seats No seats declared yet.")
    assert "for comparison" not in text


def test_at_half_past_ten_the_poll_leads_the_strip_on_every_page(client, exit_poll):
    lines = " ".join(f"{SHORT_NAMES[party]} {seats}" for party, seats in poll_file())
    expected = (
        f"Exit poll, 22:00 a poll, not a result {lines} Labour majority 170 "
        "National result 650 seats to go"
    )
    assert strip_text(client, "22:30") == expected
    assert expected in text_of(client.get("/regions/north-east/?at=22:30"))
    html = client.get("/fragments/strip/?at=22:30").content.decode()
    assert '<abbr title="Liberal Democrat">LD</abbr> <strong>61</strong>' in html
    assert '<abbr title="Others">OTH</abbr> <strong>19</strong>' in html


def test_at_21_59_the_next_evening_declared_seats_have_taken_over(client, exit_poll):
    """`21:59` is the evening after polling day (pages.params): 649 seats are in. The poll
    no longer leads; the home page keeps it as a line for comparison."""
    text = home_text(client, "21:59")
    assert "649 of 650 seats declared" in text
    assert "Exit poll, 22:00" not in text
    assert (
        f"The exit poll at 22:00, for comparison {SOURCE}: Labour 410, Conservative 131, "
        "Liberal Democrat 61, Reform UK 13, Scottish National Party 10, Plaid Cymru 4, "
        "Green Party 2, Others 19. Labour majority 170. A poll, not a result"
    ) in text
    assert "Exit poll" not in strip_text(client, "21:59")
    assert strip_text(client, "21:59").startswith("National result LAB 412")


def test_nothing_of_the_poll_shows_before_it_was_announced(client, exit_poll):
    # Replays start at 22:00, as polls close: a poll announced at 22:05 shows from 22:05.
    poll = ExitPoll.objects.select_related("election").get()
    exit_poll_record(
        election=poll.election,
        published_at=datetime(2024, 7, 4, 22, 5, tzinfo=UK),
        source=poll.source,
        lines=[
            ExitPollLineEntered(line.label, line.party, line.seats) for line in poll.lines.all()
        ],
    )
    for at in ("22:04", "2024-07-04T21:59"):
        assert "exit poll" not in home_text(client, at).lower()
        assert "poll" not in strip_text(client, at).lower()
    assert "Exit poll, 22:05" in home_text(client, "22:05")
    assert strip_text(client, "22:05").startswith("Exit poll, 22:05 a poll, not a result LAB 410")


def declared_by_minute():
    """The Library's declaration times, to the minute, in order: the oracle of the night."""
    with (national_data() / FILES["declarations"]).open(encoding="utf-8") as file:
        times = sorted(row["time_recorded"] for row in csv.DictReader(file))
    return [datetime.fromisoformat(time).replace(second=0) for time in times]


def test_the_poll_leads_until_the_projections_minimum_has_declared(client, exit_poll):
    times = declared_by_minute()
    # The minute the projection's minimum had declared, by the Library's times.
    takes_over = times[LEADS_UNTIL_DECLARED - 1]
    before = takes_over - timedelta(minutes=1)
    assert sum(time <= before for time in times) < LEADS_UNTIL_DECLARED
    assert "Exit poll, 22:00" in home_text(client, f"{before:%H:%M}")
    assert strip_text(client, f"{before:%H:%M}").startswith("Exit poll, 22:00")
    after = home_text(client, f"{takes_over:%H:%M}")
    assert "Exit poll, 22:00" not in after
    assert "The exit poll at 22:00, for comparison" in after
    assert after.index("Projected from") < after.index("The exit poll at 22:00")
    assert strip_text(client, f"{takes_over:%H:%M}").startswith("National result")


def test_now_the_home_page_keeps_the_poll_to_compare(client, exit_poll):
    text = text_of(client.get("/"))
    assert "The exit poll at 22:00, for comparison" in text
    assert "Exit poll" not in text_of(client.get("/fragments/strip/"))


def test_without_a_poll_nothing_is_said_of_one(client, every_seat):
    assert "exit poll" not in home_text(client, "22:30").lower()
    assert "poll" not in strip_text(client, "22:30").lower()
    assert not ExitPoll.objects.exists()
