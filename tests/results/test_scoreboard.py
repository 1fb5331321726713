"""The national scoreboard computed from the results, replayed and final."""

import pytest

from results.models import Election
from results.replay import moment_of_the_night
from results.scoreboard import computed_scoreboard
from tests.pages import text_of

pytestmark = pytest.mark.django_db


def rows_at(value):
    election = Election.objects.current()
    scoreboard = computed_scoreboard(election, moment_of_the_night(value, election.polling_day))
    return [(row.label, row.seats, row.change) for row in scoreboard.rows]


def test_a_party_that_has_only_lost_seats_is_shown_with_its_loss(client, every_seat):
    # By 02:00 twelve seats had declared: eleven Labour, two of them gains from the
    # Conservatives, and Harrogate and Knaresborough, a Liberal Democrat gain from them.
    assert rows_at("02:00") == [
        ("Labour", 11, 2),
        ("Liberal Democrat", 1, 1),
        ("Conservative", 0, -3),
    ]
    page = text_of(client.get("/", {"at": "02:00"}))
    table = page.split("every party with a seat or at least 1% of the vote")[1]
    assert table.startswith(" Party Seats +/− Votes Share +/− pts Labour 11 +2 218,209 42.8% +1.0 ")
    assert " Liberal Democrat 1 +1 " in table
    assert " Conservative 0 −3 " in table
