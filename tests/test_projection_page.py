"""The projection on the home page, replayed: its method, the seats it rests on, its range."""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from results.exit_poll import parse_exit_poll_csv
from results.models import Election, ExitPoll, ExitPollLine, Party
from results.projected import projection_at
from tests.national_data import DATA
from tests.pages import text_of

LONDON = ZoneInfo("Europe/London")


@pytest.fixture
def exit_poll(every_seat):
    """2024's exit poll as the desk would enter it, announced at 22:00 on polling day."""
    poll = ExitPoll.objects.create(
        election=Election.objects.current(),
        published_at=datetime(2024, 7, 4, 22, tzinfo=LONDON),
        source="Ipsos for BBC, ITV News and Sky News",
    )
    lines = parse_exit_poll_csv((DATA / "exit-poll-2024.csv").read_text(), "exit-poll-2024.csv")
    for position, line in enumerate(lines):
        party = None if line.label == "Others" else Party.objects.get(name=line.label)
        ExitPollLine.objects.create(
            exit_poll=poll, position=position, label=line.label, party=party, seats=line.seats
        )
    return poll


def test_at_three_the_projection_shows_its_method_seats_and_range(client, exit_poll):
    text = text_of(client.get("/", {"at": "03:00"}))

    assert (
        "Where the night is heading: a projection Projected from 44 seats declared and the "
        "exit poll, by the seat model:"
    ) in text
    labour = re.search(r"Labour (\d+) \(range (\d+)–(\d+)\)", text)
    assert labour, text
    seats, fewest, most = map(int, labour.groups())
    assert seats >= 326  # a majority, not the hung parliament the swing pointed to
    assert fewest <= 411 <= most  # the final result lies in the range
    assert "Conservative" in text.split("by the seat model:", 1)[1]
    # Beside the seats won, never instead of them.
    assert "Labour leads with 40 seats, 286 short of the 326 needed for a majority." in text


def test_without_an_exit_poll_the_projection_starts_from_2019(client, every_seat):
    text = text_of(client.get("/", {"at": "03:00"}))

    assert "Projected from 44 seats declared, by the seat model:" in text
    assert "and the exit poll" not in text
    assert "with no exit poll entered it starts from no change since 2019" in text


def test_the_exit_poll_is_not_used_before_it_is_announced(exit_poll):
    before = projection_at(datetime(2024, 7, 4, 21, 59, tzinfo=LONDON))
    after = projection_at(datetime(2024, 7, 4, 22, 0, tzinfo=LONDON))

    assert not before.has_prior
    assert after.has_prior
    # With nothing declared, the projection from the exit poll is the exit poll's seats.
    assert {key: after.projection.seats[key] for key in ("Lab", "Con", "LD", "RUK")} == {
        "Lab": 410,
        "Con": 131,
        "LD": 61,
        "RUK": 13,
    }
