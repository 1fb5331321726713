"""The county results page parser, on seed 001 and on broken copies of it."""

from decimal import Decimal

import pytest

from results.documents import DocumentError
from results.parsers import parse_results_page
from tests.seeds import seed_text

# Every candidacy in seed 001, as printed: seat -> [(name, label, votes, share)].
NORTHAMPTONSHIRE = {
    "Corby and East Northamptonshire": [
        ("Lee Barron", "Labour", 21020, "42.39"),
        ("Tom Pursglove", "Conservatives", 14689, "29.62"),
        ("Eddie McDonald", "Reform UK", 8760, "17.67"),
        ("Lee Forster", "Greens", 2507, "5.06"),
        ("Chris Lofts", "Lib Dems", 2191, "4.42"),
        ("Karen Blott", "Ind", 422, "0.85"),
    ],
    "Daventry": [
        ("Stuart Andrew", "Conservatives", 17872, "33.67"),
        ("Marianne Kimani", "Labour", 14860, "27.99"),
        ("Scott Cameron", "Reform UK", 10636, "20.04"),
        ("Jonathan Harris", "Lib Dems", 6755, "12.73"),
        ("Clare Slater", "Greens", 2959, "5.57"),
    ],
    "Kettering": [
        ("Rosie Wrighting", "Labour", 18009, "35.85"),
        ("Philip Hollobone", "Conservatives", 14189, "28.25"),
        ("Crispian Besley", "Reform UK", 8468, "16.86"),
        ("Emily Fedorowycz", "Greens", 7004, "13.94"),
        ("Sarah Ryan", "Lib Dems", 1357, "2.70"),
        ("Jim Hakewill", "Independent", 1057, "2.10"),
        ("Matthew Murphy", "SDP", 85, "0.17"),
        ("Jehad Aburamadan", "Alliance for Democracy and Freedom", 62, "0.12"),
    ],
    "Northampton North": [
        ("Lucy Rigby", "Labour", 18209, "43.55"),
        ("Dan Bennett", "Conservatives", 9195, "21.99"),
        ("Antony Antoniou", "Reform UK", 7010, "16.77"),
        ("Eishar Bassan", "Greens", 2558, "6.12"),
        ("Christopher Leggett", "Lib Dems", 2251, "5.38"),
        ("Khalid Razzaq", "Workers' Party", 1531, "3.66"),
        ("Paul Clark", "Independent", 1059, "2.53"),
    ],
    "Northampton South": [
        ("Mike Reader", "Labour", 16890, "38.47"),
        ("Andrew Lewer", "Conservatives", 12819, "29.20"),
        ("Tony Owens", "Reform UK", 8210, "18.70"),
        ("Jill Hope", "Lib Dems", 3193, "7.27"),
        ("Simon Sneddon", "Greens", 2398, "5.46"),
        ("Katie Simpson", "TUSC", 296, "0.67"),
        ("Penelope Tollitt", "Climate", 98, "0.22"),
    ],
    "South Northamptonshire": [
        ("Sarah Bool", "Conservatives", 19191, "35.74"),
        ("Rufia Ashraf", "Labour", 15504, "28.87"),
        ("Paul Hogan", "Reform UK", 8962, "16.69"),
        ("Stewart Tolley", "Lib Dems", 4989, "9.29"),
        ("Emmie Williamson", "Greens", 3040, "5.66"),
        ("Ian McCord", "Independent", 1556, "2.90"),
        ("Mick Stott", "Workers' Party", 246, "0.46"),
        ("Stuart Robert", "Independent", 209, "0.39"),
    ],
    "Wellingborough & Rushden": [
        ("Gen Kitchen", "Labour", 17734, "40.32"),
        ("David Goss", "Conservatives", 12248, "27.85"),
        ("Ben Habib", "Reform UK", 9456, "21.50"),
        ("Paul Mannion", "Greens", 2704, "6.15"),
        ("Christopher Townsend", "Lib Dems", 1570, "3.57"),
        ("Jeremy Brittin", "SDP", 273, "0.62"),
    ],
}


@pytest.fixture(scope="module")
def page():
    return parse_results_page(seed_text("001"), source="001.txt")


def test_county_comes_from_the_title(page):
    assert page.county == "Northamptonshire"


def test_every_candidacy_is_read_with_votes_and_share(page):
    parsed = {
        seat.name: [(c.name, c.party_label, c.votes, str(c.share)) for c in seat.candidates]
        for seat in page.seats
    }
    assert parsed == NORTHAMPTONSHIRE
    assert sum(len(seat.candidates) for seat in page.seats) == 47


def test_majorities_printed_and_computed(page):
    assert {seat.name: seat.majority for seat in page.seats} == {
        "Corby and East Northamptonshire": 6331,
        "Daventry": 3012,
        "Kettering": 3820,
        "Northampton North": 9014,
        "Northampton South": 4071,
        # Not printed in the document: computed from the votes.
        "South Northamptonshire": 3687,
        "Wellingborough & Rushden": 5486,
    }


def test_verdicts_as_printed(page):
    assert [(seat.verdict_label, seat.outcome) for seat in page.seats] == [
        ("LABOUR", "GAIN"),
        ("CONSERVATIVE", "HOLD"),
        ("LABOUR", "GAIN"),
        ("LABOUR", "GAIN"),
        ("LABOUR", "GAIN"),
        ("CONSERVATIVES", "HOLD"),
        ("LABOUR", "GAIN"),
    ]


def test_turnout_only_where_printed(page):
    turnouts = {seat.name: seat.turnout for seat in page.seats}
    assert turnouts["Daventry"] == Decimal("65.63")
    assert turnouts["Kettering"] == Decimal("64.30")
    assert turnouts["Corby and East Northamptonshire"] is None


def test_profile_with_and_without_its_prefix(page):
    seats = {seat.name: seat for seat in page.seats}
    assert seats["Kettering"].profile.startswith("The Conservatives won Kettering with Philip")
    assert seats["Northampton South"].profile.startswith("Northampton South is a semi-marginal")


def test_note_between_result_and_candidates(page):
    (wellingborough,) = [seat for seat in page.seats if seat.name.startswith("Wellingborough")]
    assert wellingborough.notes == (
        "This seat is classed as a gain from the former Conservative MP Peter Bone, despite a "
        "by-election being won by Labour in February.",
    )


def test_trailing_promotional_lines_belong_to_no_seat(page):
    last = page.seats[-1]
    assert last.profile.endswith("urban and suburban areas in North Northamptonshire.")
    assert not any("click here" in note for seat in page.seats for note in seat.notes)


def test_upper_case_heading_takes_its_name_from_the_full_result_line(page):
    assert page.seats[0].name == "Corby and East Northamptonshire"
    assert page.seats[0].line == 14


def broken(old, new):
    text = seed_text("001")
    assert old in text
    return text.replace(old, new, 1)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param("", "doc.txt, line 1: is empty", id="empty"),
        pytest.param(
            broken("Lee Barron - Labour - 21,020", "Lee Barron - Labour - 21,O20"),
            "doc.txt, line 17: votes '21,O20' is not a whole number",
            id="votes-not-a-number",
        ),
        pytest.param(
            broken("majority 6,331", "majority 6,332"),
            "doc.txt, line 15: majority 6,332 disagrees with the votes: Lee Barron 21,020 - "
            "Tom Pursglove 14,689 = 6,331",
            id="majority-disagrees",
        ),
        pytest.param(
            broken("Karen Blott - Ind - 422", "Lee Barron - Labour - 422"),
            "doc.txt, line 18: candidate 'Lee Barron' (Labour) appears twice in Corby and East "
            "Northamptonshire (first on line 17)",
            id="duplicate-candidate",
        ),
        pytest.param(
            broken("Lee Barron - Labour - 21,020", "Lee Barron - 21,020"),
            "doc.txt, line 17: candidate line has no party: 'Lee Barron - 21,020 (42.39%)' "
            "(expected NAME - PARTY - VOTES (SHARE%))",
            id="candidate-without-party",
        ),
        pytest.param(
            broken("(42.39%)", "(42.41%)"),
            "doc.txt, line 17: share 42.41% for Lee Barron disagrees with the votes: 21,020 of "
            "49,589 is 42.39%",
            id="share-off-by-more-than-tolerance",
        ),
        pytest.param(
            "\n".join(seed_text("001").splitlines()[:13]),
            "doc.txt, line 13: no seats found: no seat heading followed by a 'Result:' line",
            id="no-seats",
        ),
        pytest.param(
            broken("Result: LABOUR GAIN - majority 6,331", "Result: LABOUR WIN"),
            "doc.txt, line 15: expected 'Result: PARTY GAIN|HOLD [- majority N]', found "
            "'Result: LABOUR WIN'",
            id="unreadable-verdict",
        ),
        pytest.param(
            broken("Kettering: LABOUR GAIN", "Kettering: LABOUR HOLD"),
            "doc.txt, line 35: says GAIN but the results snapshot (line 9) says HOLD",
            id="snapshot-disagrees",
        ),
        pytest.param(
            broken("Full General Election results for", "Election results for"),
            "doc.txt, line 1: expected a title 'Full General Election results for COUNTY - every "
            "constituency result', found 'Election results for Northamptonshire - every "
            "constituency result'",
            id="no-title",
        ),
    ],
)
def test_malformed_pages_name_the_line(text, message):
    with pytest.raises(DocumentError) as raised:
        parse_results_page(text, source="doc.txt")
    assert str(raised.value) == message


def test_two_candidates_may_share_a_name_if_not_a_party():
    # As Mid Buckinghamshire's two Greg Smiths did in 2024.
    page = parse_results_page(
        broken("Karen Blott - Ind - 422", "Lee Barron - Ind - 422"), source="doc.txt"
    )
    names = [(c.name, c.party_label) for c in page.seats[0].candidates]
    assert ("Lee Barron", "Labour") in names and ("Lee Barron", "Ind") in names


def test_share_within_tolerance_is_accepted_and_recomputed():
    page = parse_results_page(broken("(42.39%)", "(42.40%)"), source="doc.txt")
    assert page.seats[0].candidates[0].share == Decimal("42.39")
