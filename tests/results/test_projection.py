"""The seat projection on hand-made elections, its notional-votes parser, and the real night."""

from collections import Counter

import pytest

from results.documents import DocumentError, read_document
from results.national import (
    parse_candidates_csv,
    parse_constituencies_csv,
    parse_notionals_csv,
)
from results.notionals import OTHERS, SPEAKER, parse_notional_votes_csv
from results.projection import (
    MINIMUM_DECLARED,
    REGIONAL_MINIMUM,
    Method,
    SeatShares,
    misallocated,
    project,
    projected_shares,
    seat_errors,
    seats_from_national,
    shares_from_votes,
)
from tests.national_data import FILES, national_data

# The swing methods; the seat model has tests of its own (tests/results/test_seat_model.py).
BOTH = pytest.mark.parametrize("method", [Method.UNIFORM, Method.REGIONAL])
EVERY_METHOD = pytest.mark.parametrize("method", list(Method))


def seat(code, notional, declared=None, winner=None, region="North", nation="England"):
    return SeatShares(
        ons_code=code,
        region=region,
        nation=nation,
        notional=notional,
        declared=declared,
        winner=winner,
    )


def declared_seat(code, notional, declared, **where):
    """A declared seat won by its largest 2024 share."""
    return seat(code, notional, declared, max(declared, key=declared.get), **where)


# Uniform swing, worked by hand: A changes Con -10, Lab +10; B Con -6, Lab +6.
# The mean swing is Con -8, Lab +8: C goes from Con 52 Lab 38 to Con 44 Lab 46 (Lab gain),
# D from Con 60 Lab 25 to Con 52 Lab 33 (Con hold).
SMALL_ELECTION = [
    declared_seat("A", {"Con": 50, "Lab": 40, OTHERS: 10}, {"Con": 40, "Lab": 50, OTHERS: 10}),
    declared_seat("B", {"Con": 60, "Lab": 30, OTHERS: 10}, {"Con": 54, "Lab": 36, OTHERS: 10}),
    seat("C", {"Con": 52, "Lab": 38, OTHERS: 10}),
    seat("D", {"Con": 60, "Lab": 25, OTHERS: 15}),
]


def test_uniform_swing_adds_the_mean_change_to_each_undeclared_seat():
    shares = projected_shares(SMALL_ELECTION, Method.UNIFORM)

    assert shares["C"] == pytest.approx({"Con": 44, "Lab": 46, OTHERS: 10})
    assert shares["D"] == pytest.approx({"Con": 52, "Lab": 33, OTHERS: 15})
    projection = project(SMALL_ELECTION, Method.UNIFORM)
    assert projection.winners == {"A": "Lab", "B": "Con", "C": "Lab", "D": "Con"}
    assert projection.seats == {"Con": 2, "Lab": 2}
    assert (projection.declared, projection.total, projection.method) == (2, 4, "uniform")


def test_declared_seats_keep_their_actual_winner():
    # An Independent won A on votes the shares count as Others; no swing takes it away.
    election = [
        seat("A", {"Con": 50, "Lab": 40, OTHERS: 10}, {"Con": 30, "Lab": 28, OTHERS: 42}, "Ind"),
        seat("B", {"Con": 75, "Lab": 15, OTHERS: 10}),
    ]

    projection = project(election, Method.UNIFORM)

    # B: Con 55, Lab 3, Others 42.
    assert projection.winners == {"A": "Ind", "B": "Con"}
    assert projection.seats == {"Con": 1, "Ind": 1}


def two_regions(south_declared):
    """North: 5 declared seats, each Con -10 and Lab +10. South: `south_declared` seats with
    no change, and one undeclared seat at Con 48, Lab 45."""
    north = [
        declared_seat(
            f"N{n}", {"Con": 50, "Lab": 40, OTHERS: 10}, {"Con": 40, "Lab": 50, OTHERS: 10}
        )
        for n in range(5)
    ]
    south = [
        declared_seat(
            f"S{n}",
            {"Con": 50, "Lab": 40, OTHERS: 10},
            {"Con": 50, "Lab": 40, OTHERS: 10},
            region="South",
        )
        for n in range(south_declared)
    ]
    return [*north, *south, seat("S", {"Con": 48, "Lab": 45, OTHERS: 7}, region="South")]


def test_regional_swing_uses_the_seats_own_region():
    election = two_regions(south_declared=REGIONAL_MINIMUM)

    # Nationally Con -5, Lab +5 (10 seats): S is Con 43, Lab 50. In the South, no change.
    assert projected_shares(election, Method.UNIFORM)["S"] == pytest.approx(
        {"Con": 43, "Lab": 50, OTHERS: 7}
    )
    assert projected_shares(election, Method.REGIONAL)["S"] == pytest.approx(
        {"Con": 48, "Lab": 45, OTHERS: 7}
    )
    assert project(election, Method.UNIFORM).winners["S"] == "Lab"
    assert project(election, Method.REGIONAL).winners["S"] == "Con"


def test_regional_swing_falls_back_to_the_national_figure_below_the_threshold():
    assert REGIONAL_MINIMUM == 5
    election = two_regions(south_declared=REGIONAL_MINIMUM - 1)

    # 4 South seats are too few: the national figure, Con -50/9, Lab +50/9, is used.
    shares = projected_shares(election, Method.REGIONAL)["S"]

    assert shares == pytest.approx({"Con": 48 - 50 / 9, "Lab": 45 + 50 / 9, OTHERS: 7})
    assert project(election, Method.REGIONAL).winners["S"] == "Lab"


# Reform UK stood in A in 2019 (as the Brexit Party) and rose 15 points; it did not stand
# in B and took 20%. C starts from nothing, D from 5%.
NEW_PARTY = [
    declared_seat(
        "A",
        {"Con": 50, "Lab": 30, "RUK": 10, OTHERS: 10},
        {"Con": 30, "Lab": 35, "RUK": 25, OTHERS: 10},
    ),
    declared_seat(
        "B",
        {"Con": 60, "Lab": 30, "RUK": 0, OTHERS: 10},
        {"Con": 40, "Lab": 30, "RUK": 20, OTHERS: 10},
    ),
    seat("C", {"Con": 55, "Lab": 35, "RUK": 0, OTHERS: 10}),
    seat("D", {"Con": 45, "Lab": 30, "RUK": 5, OTHERS: 20}),
]


@BOTH
def test_a_party_new_to_a_seat_gets_its_share_where_it_was_new_elsewhere(method):
    shares = projected_shares(NEW_PARTY, method)

    # Con -20 and Lab +2.5 everywhere; RUK its mean share where it was new (20) in C, and
    # its mean change where it stood (+15) in D.
    assert shares["C"] == pytest.approx({"Con": 35, "Lab": 37.5, "RUK": 20, OTHERS: 10})
    assert shares["D"] == pytest.approx({"Con": 25, "Lab": 32.5, "RUK": 20, OTHERS: 20})


def test_a_new_party_takes_its_swing_from_zero_until_a_seat_like_it_declares():
    election = [NEW_PARTY[0], NEW_PARTY[2]]

    assert projected_shares(election, Method.UNIFORM)["C"]["RUK"] == pytest.approx(15)


@BOTH
def test_a_projected_share_below_zero_is_floored_at_zero(method):
    election = [
        declared_seat("A", {"Lab": 50, "LD": 20, OTHERS: 30}, {"Lab": 60, "LD": 5, OTHERS: 35}),
        seat("B", {"Lab": 40, "LD": 10, OTHERS: 50}),
    ]

    shares = projected_shares(election, method)["B"]

    assert shares == pytest.approx({"Lab": 50, "LD": 0, OTHERS: 55})


def test_the_speakers_seat_is_the_speakers_and_stays_out_of_the_swing():
    chorley = {SPEAKER: 67, "Green": 9, OTHERS: 24}
    election = [
        declared_seat(
            "A", {"Lab": 50, "Green": 5, OTHERS: 45}, {"Lab": 50, "Green": 5, OTHERS: 45}
        ),
        seat("Chorley", chorley),
        seat("B", {"Lab": 40, "Green": 5, OTHERS: 55}),
    ]

    projection = project(election, Method.UNIFORM)

    assert projection.winners["Chorley"] == SPEAKER
    assert projection.seats == {"Lab": 1, OTHERS: 1, SPEAKER: 1}
    assert "Chorley" not in projected_shares(election, Method.UNIFORM)

    # Declared, it keeps its winner, and the Green rise there (+6) moves no other seat.
    declared_chorley = seat("Chorley", chorley, {SPEAKER: 75, "Green": 15, OTHERS: 10}, SPEAKER)
    election[1] = declared_chorley
    shares = projected_shares(election, Method.UNIFORM)["B"]

    assert shares == pytest.approx({"Lab": 40, "Green": 5, OTHERS: 55})
    assert project(election, Method.UNIFORM).winners["Chorley"] == SPEAKER


def northern_ireland_election(*, ni_declared):
    ni = {"nation": "Northern Ireland", "region": "Northern Ireland"}
    election = [
        declared_seat("G1", {"Con": 50, "Lab": 40, OTHERS: 10}, {"Con": 30, "Lab": 60, OTHERS: 10}),
        seat("G2", {"Con": 50, "Lab": 40, OTHERS: 10}),
        seat("N2", {"DUP": 42, "SF": 38, "Con": 10, OTHERS: 10}, **ni),
    ]
    if ni_declared:
        election.append(
            declared_seat(
                "N1",
                {"DUP": 40, "SF": 35, "Con": 5, OTHERS: 20},
                {"DUP": 30, "SF": 45, "Con": 0, OTHERS: 25},
                **ni,
            )
        )
    return election


@BOTH
def test_northern_ireland_swings_only_by_its_own_seats(method):
    shares = projected_shares(northern_ireland_election(ni_declared=True), method)

    # NI: DUP -10, SF +10, Con -5, Others +5; the GB fall of Con (-20) is not applied there.
    assert shares["N2"] == pytest.approx({"DUP": 32, "SF": 48, "Con": 5, OTHERS: 15})
    # GB: Con -20, Lab +20; the NI parties, which stood in no British seat, get nothing.
    assert shares["G2"] == pytest.approx({"Con": 30, "Lab": 60, OTHERS: 10})


@BOTH
def test_with_no_seat_of_its_own_declared_northern_ireland_stays_as_it_was(method):
    election = northern_ireland_election(ni_declared=False)

    shares = projected_shares(election, method)["N2"]

    assert shares == pytest.approx({"DUP": 42, "SF": 38, "Con": 10, OTHERS: 10})
    assert project(election, method).winners["N2"] == "DUP"


def test_a_tie_goes_to_the_notional_winner():
    election = [
        declared_seat("A", {"Con": 50, "Lab": 40, OTHERS: 10}, {"Con": 45, "Lab": 45, OTHERS: 10}),
        seat("B", {"Con": 48, "Lab": 38, OTHERS: 14}),
    ]

    # Con -5, Lab +5: B is 43 all, and Con held it notionally.
    assert project(election, Method.UNIFORM).winners["B"] == "Con"


def test_the_projection_is_shown_from_the_minimum_number_of_declared_seats():
    def election(declared):
        shares = {"Con": 50, "Lab": 40, OTHERS: 10}
        seats = [declared_seat(f"D{n}", shares, shares) for n in range(declared)]
        return [*seats, seat("U", shares)]

    assert MINIMUM_DECLARED == 3  # chosen by the held-out check: docs/projection.md
    assert not project(election(MINIMUM_DECLARED - 1), Method.REGIONAL).is_shown
    shown = project(election(MINIMUM_DECLARED), Method.REGIONAL)
    assert shown.is_shown
    assert shown.declared == MINIMUM_DECLARED


def test_with_every_seat_declared_the_projection_is_the_result():
    declared = [record for record in SMALL_ELECTION if record.is_declared]

    assert project(declared, Method.REGIONAL).seats == {"Con": 1, "Lab": 1}


def test_shares_from_votes_puts_small_parties_together_as_others():
    shares = shares_from_votes({"Lab": 500, "WPB": 200, "Ind": 100, SPEAKER: 0, "RUK": 200})

    assert shares == pytest.approx({"Lab": 50, OTHERS: 30, SPEAKER: 0, "RUK": 20})
    with pytest.raises(ValueError):
        shares_from_votes({"Lab": 0})


def test_a_declared_seat_needs_its_winner():
    with pytest.raises(ValueError, match="both its shares and winner"):
        seat("A", {"Lab": 100}, {"Lab": 100})


def test_unknown_method_is_refused():
    with pytest.raises(ValueError):
        project(SMALL_ELECTION, "proportional")


def test_misallocated_seats_are_half_the_per_party_differences():
    projected = {"Lab": 3, "Con": 1}
    final = {"Lab": 2, "Con": 1, "LD": 1}

    assert seat_errors(projected, final) == {"Con": 0, "LD": -1, "Lab": 1}
    assert misallocated(projected, final) == 1
    assert misallocated(final, final) == 0
    with pytest.raises(ValueError):
        misallocated({"Lab": 3}, final)


NOTIONAL_HEADER = (
    "ONS code,Boundary Comm name,region_name,country_name,Conv,Labv,LDv,Grnv,Brxv,SNPv,PCv,"
    "APNIv,DUPv,SDLPv,SFv,UUPv,TotOthv,MaxOthv,total_votes,electorate,Win19\n"
)
ABERAFAN = (
    "W07000081,Aberafan Maesteg,WA,Wales,10052,23509,1645,701,3794,0,3991,0,0,0,0,0,731,731,"
    "44423,69817,Lab\n"
)
CHORLEY = "E14001170,Chorley,NW,England,0,0,0,3600,0,0,0,0,0,0,0,0,36270,26831,39870,74250,Spkr\n"
BELFAST_EAST = (
    "N05000001,Belfast East,NI,Northern Ireland,1007,,,685,,,,10423,16818,1432,3120,6671,0,0,"
    '"40,156",70212,DUP\n'
)


def test_notional_votes_by_party_with_the_candidate_files_abbreviations():
    aberafan, chorley, belfast_east = parse_notional_votes_csv(
        NOTIONAL_HEADER + ABERAFAN + CHORLEY + BELFAST_EAST, "notionals.csv"
    )

    assert (aberafan.ons_code, aberafan.name, aberafan.region, aberafan.nation) == (
        "W07000081",
        "Aberafan Maesteg",
        "Wales",
        "Wales",
    )
    assert aberafan.votes == {
        "Con": 10052,
        "Lab": 23509,
        "LD": 1645,
        "RUK": 3794,
        "Green": 701,
        "SNP": 0,
        "PC": 3991,
        "DUP": 0,
        "SF": 0,
        "SDLP": 0,
        "UUP": 0,
        "APNI": 0,
        OTHERS: 731,
    }
    assert (aberafan.total, aberafan.winner, aberafan.line) == (44423, "Lab", 2)
    assert aberafan.electorate == 69817
    # The Speaker's votes leave Others for a key of his own.
    assert (chorley.region, chorley.winner) == ("North West", SPEAKER)
    assert (chorley.votes[SPEAKER], chorley.votes[OTHERS], chorley.votes["Green"]) == (
        26831,
        9439,
        3600,
    )
    # Blank GB parties in Northern Ireland are 0; the total may have thousands separators.
    assert belfast_east.votes["Lab"] == 0
    assert (belfast_east.votes["DUP"], belfast_east.total) == (16818, 40156)
    assert belfast_east.region == "Northern Ireland"


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (ABERAFAN.replace("44423", "44424"), "the party votes add up to 44423, but total_votes"),
        (ABERAFAN.replace("23509", "235O9"), "Labv '235O9' is not a whole number"),
        (ABERAFAN.replace(",WA,", ",XX,"), "region_name 'XX' is not one of NE"),
        (ABERAFAN.replace(",Wales,", ",England,"), "does not fit region WA (Wales)"),
        (ABERAFAN.replace(",Lab\n", ",Con\n"), "Win19 is Con, but Lab has the most votes"),
        (ABERAFAN.replace("W07000081", "W0700008"), "ONS code 'W0700008' is not an ONS code"),
        (CHORLEY, "ONS code E14001170 appears twice (first on line 2)"),
    ],
)
def test_a_bad_notional_row_is_refused_naming_the_file_and_line(row, message):
    with pytest.raises(DocumentError) as raised:
        parse_notional_votes_csv(NOTIONAL_HEADER + CHORLEY + row, "notionals.csv")

    assert str(raised.value).startswith("notionals.csv, line 3: ")
    assert message in raised.value.message


def test_a_notional_file_missing_a_party_column_is_refused_at_line_1():
    with pytest.raises(DocumentError, match=r"notionals.csv, line 1: missing column 'Brxv'"):
        parse_notional_votes_csv(NOTIONAL_HEADER.replace("Brxv", "Reform"), "notionals.csv")


@pytest.fixture(scope="module")
def library():
    folder = national_data()
    texts = {name: read_document(folder / file) for name, file in FILES.items()}
    return {
        "constituencies": parse_constituencies_csv(texts["constituencies"]),
        "candidacies": parse_candidates_csv(texts["candidates"]),
        "notional_votes": parse_notional_votes_csv(texts["notionals"]),
        "notional_winners": parse_notionals_csv(texts["notionals"]),
    }


def test_the_real_notional_votes_agree_with_the_notional_winners(library):
    spellings = {"Spkr": SPEAKER, "All": "APNI"}
    winners = {code: spellings.get(w, w) for code, w in library["notional_winners"].items()}

    assert len(library["notional_votes"]) == 650
    assert {record.ons_code: record.winner for record in library["notional_votes"]} == winners


@EVERY_METHOD
def test_with_every_real_seat_declared_the_projection_is_the_result(library, method):
    final = Counter(record.winner_abbreviation for record in library["constituencies"])
    seats = seats_from_national(
        library["notional_votes"], library["constituencies"], library["candidacies"]
    )

    projection = project(seats, method)

    assert projection.seats == dict(final)
    assert (projection.seats["Lab"], projection.seats["Con"], projection.seats[SPEAKER]) == (
        411,
        121,
        1,
    )
    assert (projection.declared, projection.total) == (650, 650)
    assert misallocated(projection.seats, final) == 0


def test_the_model_projects_the_same_seats_once_and_a_new_declaration_afresh():
    seats = [
        SeatShares("E1", "North", "England", {"Con": 50.0, "Lab": 40.0, OTHERS: 10.0}),
        SeatShares("E2", "North", "England", {"Con": 45.0, "Lab": 45.0, OTHERS: 10.0}),
    ]
    declared = [
        SeatShares(
            "E1",
            "North",
            "England",
            {"Con": 50.0, "Lab": 40.0, OTHERS: 10.0},
            declared={"Con": 30.0, "Lab": 60.0, OTHERS: 10.0},
            winner="Lab",
        ),
        seats[1],
    ]

    first = project(seats, Method.MODEL)

    # Readers replaying one moment ask for the same projection: it is worked out once.
    assert project(list(seats), Method.MODEL) is first
    # A declaration changes the seats as they stand: the projection is worked out again.
    again = project(declared, Method.MODEL)
    assert again is not first
    assert again.declared == 1
