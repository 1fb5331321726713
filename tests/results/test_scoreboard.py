"""The national scoreboard computed from the results, replayed and final."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from results.models import Candidacy, Constituency, Election, Party, Result
from results.replay import moment_of_the_night
from results.scoreboard import (
    SeatTally,
    StandingSums,
    party_standings,
    read_seat_tallies,
    scoreboard_from_results,
    scoreboard_from_sums,
    seats_won_by_party,
    turnout_of,
)
from results.services import count_declare
from tests.national_data import SCOREBOARD_AT_THE_END
from tests.pages import text_of

pytestmark = pytest.mark.django_db


def rows_at(value):
    election = Election.objects.current()
    scoreboard = scoreboard_from_results(election, moment_of_the_night(value, election.polling_day))
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
        sums = StandingSums.of(read_seat_tallies(at=moment).values())
        with CaptureQueriesContext(connection) as queries:
            from_tallies = scoreboard_from_sums(election, sums)
        assert len(queries) == 0
        assert from_tallies == scoreboard_from_results(election, moment), value
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
    by_query = scoreboard_from_results(election, chorley)
    from_sums = scoreboard_from_sums(
        election, StandingSums.of(read_seat_tallies(at=chorley).values())
    )
    assert by_query == from_sums
    assert [(row.label, row.seats, row.change) for row in by_query.rows] == [("Labour", 1, 0)]


# The seven Northamptonshire seats (fixtures/seeds/manifest.toml), by ONS code.
NORTHAMPTONSHIRE = [
    "E14001179",
    "E14001192",
    "E14001311",
    "E14001406",
    "E14001407",
    "E14001490",
    "E14001571",
]


def test_a_tie_on_seats_goes_to_the_party_that_held_more_in_2019(every_seat):
    # By 02:20 sixteen seats had declared. The Conservatives had held six of them in 2019
    # (notionally) and kept one; the Liberal Democrats had held none and won Harrogate and
    # Knaresborough. One seat each: the party that held more in 2019 is named first.
    assert rows_at("02:20") == [
        ("Labour", 14, 4),
        ("Conservative", 1, -5),
        ("Liberal Democrat", 1, 1),
    ]


def test_the_first_seat_is_one_seat_in_the_headline(client, every_seat):
    # Houghton and Sunderland South declared at 23:30, the only seat until 23:51.
    text = text_of(client.get("/", {"at": "23:45"}))
    assert "Labour leads with 1 seat, 325 short of the 326 needed for a majority." in text


FINAL_SEATS = [(label, seats) for label, seats, _ in SCOREBOARD_AT_THE_END]


def test_the_seat_bar_lays_the_parties_end_to_end(client, every_seat):
    html = client.get("/").content.decode()
    segments = re.findall(r'<rect x="(\d+)" y="8" width="(\d+)"', html)
    # On the grey ground of all 650 seats, each party's segment starts where the one
    # before it ends, in the scoreboard's order, and the fourteen fill the 650.
    expected, x = [("0", "650")], 0
    for _, seats in FINAL_SEATS:
        expected.append((str(x), str(seats)))
        x += seats
    assert segments == expected
    assert x == 650
    # Its text equivalent names each segment's party and seats, in the same order.
    named = ", ".join(f"{label} {seats}" for label, seats in FINAL_SEATS)
    assert f"Seats won: {named}. 326 needed for a majority.</title>" in html


def test_the_full_table_puts_equal_seats_in_order_of_votes(client, every_seat):
    text = text_of(client.get("/"))
    table = text.split("every party with a seat or at least 1% of the vote")[1]
    # Five seats each: Reform UK 4,117,610 votes, the DUP 172,058; four each: the Green
    # Party 1,944,501, Plaid Cymru 194,811 (the Library's figures).
    assert table.index(" Reform UK 5 ") < table.index(" Democratic Unionist Party 5 ")
    assert table.index(" Green Party 4 ") < table.index(" Plaid Cymru 4 ")


def test_a_county_tally_puts_equal_seats_in_order_of_change_then_name(client, every_seat):
    # By 03:50 Leicestershire and Rutland had three seats: Labour held one and lost
    # Leicester East to the Conservatives and Leicester South to an independent.
    response = client.get("/counties/leicestershire-and-rutland/", {"at": "03:50"})
    text = text_of(response)
    assert "3 of 11 seats declared" in text
    assert (
        "Change since 2019 Labour 1 \u22122 Conservative 1 +1 Independent 1 +1 Constituencies"
    ) in text
    # Each party in the tally links to its own page, replayed at the same moment.
    tally = response.content.decode().split('id="tally-heading"')[1].split("</table>")[0]
    links = re.findall(r'<a href="/parties/([a-z-]+)/\?at=03:50">([^<]+)</a>', tally)
    assert links == [
        ("labour", "Labour"),
        ("conservative", "Conservative"),
        ("independent", "Independent"),
    ]


def test_a_seat_with_no_2019_result_adds_a_seat_and_no_change():
    # A seat with no notional 2019 winner (a rehearsal's made-up seat, or one the
    # notional results leave out) counts as won, and as neither a gain nor a loss.
    labour = Party(pk=1, slug="labour", name="Labour")
    new_seat = SeatTally(
        candidacies=(), notional=(), declared=True, winner_party=1, notional_winner=None
    )
    [row] = seats_won_by_party([new_seat], {1: labour})
    assert (row.label, row.seats, row.change, row.party) == ("Labour", 1, 0, labour)


def test_a_withdrawn_declaration_leaves_the_figures_as_if_it_had_never_come(every_seat):
    # The night's sums follow a correction by taking the seat's old tally away: Chorley,
    # the Speaker's seat, the only one he stood in.
    election = Election.objects.current()
    tallies = read_seat_tallies()
    chorley = tallies.pop("chorley")
    sums = StandingSums.of([chorley, *tallies.values()])
    sums.add(chorley, -1)
    without = StandingSums.of(tallies.values())
    assert sums.standings() == without.standings()
    assert "Speaker" not in [row.party.name for row in sums.standings()[0]]
    assert scoreboard_from_sums(election, sums) == scoreboard_from_sums(election, without)
    labour = scoreboard_from_sums(election, sums).rows[0]
    assert (labour.label, labour.seats, labour.change) == ("Labour", 411, 211)


def test_a_party_that_held_a_seat_and_stands_nowhere_is_shown_with_its_loss(db):
    # A rehearsal with some nominations in: the Conservatives held Testham in 2019 and
    # have no candidate anywhere yet.
    election = Election.objects.current()
    labour, conservative, liberal_democrat = (
        Party.objects.get(slug=slug) for slug in ("labour", "conservative", "liberal-democrat")
    )
    seat = Constituency.objects.create(name="Testham", notional_winner=conservative)
    ann = Candidacy.objects.create(constituency=seat, name="Ann Smith", party=labour, votes=0)
    bob = Candidacy.objects.create(
        constituency=seat, name="Bob Jones", party=liberal_democrat, votes=0
    )
    count_declare(constituency=seat, votes={ann.pk: 500, bob.pk: 300})
    sums = StandingSums.of(read_seat_tallies().values())
    for scoreboard in (scoreboard_from_sums(election, sums), scoreboard_from_results(election)):
        assert [(row.label, row.seats, row.change) for row in scoreboard.rows] == [
            ("Labour", 1, 1),
            ("Conservative", 0, -1),
        ]


def test_turnout_counts_only_seats_with_both_figures():
    # Daventry: 53,082 valid votes of 80,879 (65.63%); in 2019, notionally, 56,956 of
    # 76,539. Kettering: 50,231 of 79,360; in 2019 52,037 of 76,163.
    daventry = turnout_of([(53082, 80879)])
    assert (daventry.share, daventry.change) == (Decimal("65.6"), None)
    # A seat without its valid votes or its electorate yet is left out.
    assert turnout_of([(53082, 80879), (0, 79360), (50231, None)]) == daventry
    both = turnout_of([(53082, 80879, 56956, 76539), (50231, 79360, 52037, 76163)])
    assert (both.share, both.change) == (Decimal("64.5"), Decimal("-6.9"))
    # The change is only over seats that all have their 2019 figures: like beside like.
    for kettering in [(50231, 79360, 0, 76163), (50231, 79360, 52037, 0), (50231, 79360)]:
        mixed = turnout_of([(53082, 80879, 56956, 76539), kettering])
        assert (mixed.share, mixed.change) == (Decimal("64.5"), None), kettering


def test_the_standings_over_some_seats_are_theirs_alone(every_seat):
    # Northamptonshire's seven seats, from the Library's files: 336,301 valid votes;
    # Labour won five with 122,226, the Conservatives two with 100,203, Reform UK none
    # with 61,502.
    standings, votes = party_standings(Constituency.objects.filter(ons_code__in=NORTHAMPTONSHIRE))
    assert votes == 336301
    assert [(row.party.name, row.seats, row.votes) for row in standings[:3]] == [
        ("Labour", 5, 122226),
        ("Conservative", 2, 100203),
        ("Reform UK", 0, 61502),
    ]


def test_the_api_names_every_party_that_won_a_vote(client, every_seat):
    # The API lists every party, however few its votes (some have under 0.005%, which is
    # 0.00% to two places): none is left to "other votes", and together they are all
    # 28,809,340 valid votes (the Library's).
    data = client.get("/api/v1/scoreboard").json()
    assert data["other_votes"] == 0
    assert sum(party["votes"] for party in data["parties"]) == data["valid_votes"] == 28809340


def test_the_full_table_adds_up_the_other_parties_votes_and_share(client, every_seat):
    # Every party without a seat had under 1% of the vote: 451,131 of the 28,809,340
    # valid votes between them, 1.6% (the Library's figures, with the Scottish Greens'
    # 92,685 and the Green Party Northern Ireland's 8,692 counted with the Green Party).
    text = text_of(client.get("/"))
    table = text.split("every party with a seat or at least 1% of the vote")[1]
    assert " Others 0 – 451,131 1.6% – " in table


def board(leader_seats, declared, counted_in=()):
    from results.scoreboard import Scoreboard, ScoreboardRow

    rows = (
        ScoreboardRow("Labour", leader_seats, 0, counted_in=counted_in),
        ScoreboardRow("Conservative", declared - leader_seats, 0),
    )
    return Scoreboard(rows, total_seats=650, seats_for_majority=326, seats_to_go=650 - declared)


def test_the_headline_says_the_majority_as_the_press_does():
    # Every seat in: the winner's seats less all the others' (412 - 238).
    assert board(412, 650).headline == (
        "Labour majority of 174: 412 seats against 238 for all other parties."
    )
    # Won before every seat is in: the least the majority can be.
    assert board(330, 600).headline == (
        "Labour has won a majority: 330 seats, a majority of at least 10 with 50 still to declare."
    )
    assert board(325, 640).headline == (
        "Labour leads with 325 seats, 1 short of the 326 needed for a majority."
    )


def test_what_the_headline_counts_is_said_beside_it():
    assert board(412, 650).counted_with_note == ""
    assert board(412, 650, counted_in=(("Speaker", 1),)).counted_with_note == (
        "Labour's 412 seats include the Speaker's, counted with Labour as the night's "
        "scoreboards count him: the table below shows Labour's own 411 and the Speaker apart."
    )
