"""The national scoreboard computed from the results, replayed and final."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from results.models import Election, Result
from results.replay import moment_of_the_night
from results.scoreboard import StandingSums, computed_scoreboard, scoreboard_from, seat_tallies
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


def test_the_scoreboard_from_each_seats_tally_is_the_one_computed_by_a_query(every_seat):
    # On the night the scoreboard is worked out from the standings' sums over every
    # seat's tally, kept seat by seat (pages.seats.running_sums); a replay's and the open
    # data's, by its own query.
    election = Election.objects.current()
    for value in ["02:00", "05:00", None]:
        moment = moment_of_the_night(value, election.polling_day) if value else None
        sums = StandingSums.of(seat_tallies(at=moment).values())
        with CaptureQueriesContext(connection) as queries:
            from_tallies = scoreboard_from(election, sums)
        assert len(queries) == 0
        assert from_tallies == computed_scoreboard(election, moment), value
    # The Speaker's seat counts with Labour's, as the night's scoreboards did.
    labour = from_tallies.rows[0]
    assert (labour.label, labour.seats, labour.change) == ("Labour", 412, 211)


def test_the_speakers_seat_counts_with_labour_before_labour_has_one(every_seat):
    # A replay of the moment only Chorley had declared: Labour has no seat of its own
    # yet, and the Speaker's is still counted with it.
    election = Election.objects.current()
    chorley = Result.objects.get(constituency__slug="chorley").declared_at
    Result.objects.exclude(constituency__slug="chorley").update(
        declared_at=chorley + timedelta(hours=1)
    )
    by_query = computed_scoreboard(election, chorley)
    from_sums = scoreboard_from(election, StandingSums.of(seat_tallies(at=chorley).values()))
    assert by_query == from_sums
    assert [(row.label, row.seats, row.change) for row in by_query.rows] == [("Labour", 1, 0)]
