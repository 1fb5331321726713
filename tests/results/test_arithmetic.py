"""One rule for every figure (results.arithmetic): shares, turnout, majority and swing to
two places, halves rounded up, whichever way a result came in."""

import csv
from decimal import ROUND_HALF_EVEN, Decimal
from fractions import Fraction

import pytest
from django.core.management import call_command
from hypothesis import given
from hypothesis import strategies as st

from results import arithmetic
from results.imports import NationalFiles, national_import
from results.models import Candidacy, Constituency, Outcome, Party, Result
from results.national import parse_candidates_csv, parse_constituencies_csv
from results.parsers import parse_results_page
from results.services import result_declare
from tests.national_data import FILES, import_national_arguments, national_data

# Where rounding half to even and half up part: 1 of 800 is exactly 0.125%.
HALVES = [
    (1, 800, "0.13"),  # half-even: 0.12
    (5, 800, "0.63"),  # half-even: 0.62
    (799, 800, "99.88"),  # the same either way: 99.875, and 7 is odd
    (3, 8, "37.50"),
    (0, 800, "0.00"),
    (800, 800, "100.00"),
]


@pytest.mark.parametrize("part, whole, expected", HALVES)
def test_a_percentage_rounds_half_up(part, whole, expected):
    assert arithmetic.percentage(part, whole) == Decimal(expected)
    # Figures read back from a decimal column go through the same rule.
    assert arithmetic.percentage(Decimal(part), Decimal(whole)) == Decimal(expected)
    assert arithmetic.share(part, whole) == Decimal(expected)
    assert arithmetic.turnout(part, whole) == Decimal(expected)


def test_half_even_and_half_up_differ_on_these_values():
    # The rule under test, against the one the results-page parser used before.
    exact = Decimal(1) * 100 / Decimal(800)
    assert exact.quantize(Decimal("0.01"), rounding=ROUND_HALF_EVEN) == Decimal("0.12")
    assert arithmetic.rounded(exact) == Decimal("0.13")
    assert arithmetic.rounded(Decimal("-0.125")) == Decimal("-0.13")
    assert arithmetic.rounded(Fraction(-1, 8)) == Decimal("-0.13")
    assert arithmetic.rounded("2.345") == Decimal("2.35")
    assert arithmetic.rounded(Fraction(2345, 1000)) == Decimal("2.35")
    assert arithmetic.from_fraction("0.00125") == Decimal("0.13")
    assert arithmetic.from_fraction("0.01905") == Decimal("1.91")


def test_a_percentage_is_exact_before_it_is_rounded():
    # 28 significant digits (Decimal's context) would round this up to a half first.
    whole = 10**30
    part = whole // 800 - 1  # just under 0.125%
    assert arithmetic.percentage(part, whole) == Decimal("0.12")
    assert arithmetic.percentage(0, 0) == Decimal("0.00")
    # A page prints the figure as it is: 0.0% of nothing to one place, not 0.00%.
    assert str(arithmetic.percentage(0, 0, places=1)) == "0.0"
    assert arithmetic.turnout(800, None) is None


def half_up(exact, places):
    """The rule, as written: the exact value to `places`, halves away from zero."""
    units = int(abs(exact) * 10**places + Fraction(1, 2))
    return Decimal(units if exact >= 0 else -units).scaleb(-places)


votes = st.integers(min_value=0, max_value=40_000_000)


@given(votes, st.integers(min_value=1, max_value=40_000_000), st.sampled_from([1, 2]))
def test_a_percentage_of_whole_numbers_is_the_rule_exactly(part, whole, places):
    assert arithmetic.percentage(part, whole, places) == half_up(
        Fraction(part * 100, whole), places
    )


@given(
    votes,
    st.integers(min_value=1, max_value=40_000_000),
    votes,
    st.integers(min_value=1, max_value=40_000_000),
    st.sampled_from([1, 2]),
)
def test_a_change_in_share_is_the_rule_exactly(part, whole, then_part, then_whole, places):
    exact = (Fraction(part, whole) - Fraction(then_part, then_whole)) * 100
    assert arithmetic.change_in_share(part, whole, then_part, then_whole, places) == half_up(
        exact, places
    )


@given(st.fractions(), st.sampled_from([0, 1, 2]))
def test_a_fraction_rounds_by_the_rule(value, places):
    assert arithmetic.rounded(value, places) == half_up(value, places)


whole_numbers = st.integers(min_value=-40_000_000, max_value=40_000_000)


@given(whole_numbers, whole_numbers.filter(bool), st.sampled_from([0, 1, 2]))
def test_a_ratio_of_whole_numbers_of_either_sign_is_the_rule_exactly(
    numerator, denominator, places
):
    # A fall in share is a negative numerator; the rule is the same either side of zero.
    assert arithmetic.rounded_ratio(numerator, denominator, places) == half_up(
        Fraction(numerator, denominator), places
    )


amounts = st.fractions(min_value=0, max_value=40_000_000)
totals = st.fractions(min_value=Fraction(1, 100), max_value=40_000_000)


@given(amounts, totals, amounts, totals, st.sampled_from([1, 2]))
def test_shares_of_figures_that_are_not_whole_are_the_rule_exactly(
    part, whole, then_part, then_whole, places
):
    assert arithmetic.percentage(part, whole, places) == half_up(part * 100 / whole, places)
    exact = (part / whole - then_part / then_whole) * 100
    assert arithmetic.change_in_share(part, whole, then_part, then_whole, places) == half_up(
        exact, places
    )


def test_no_change_and_no_swing_without_a_figure_for_each_side():
    # A seat new in 2024 has no 2019 total; nor does a seat with no valid votes yet.
    assert arithmetic.change_in_share(5, 10, 0, 0) is None
    assert arithmetic.change_in_share(0, 0, 5, 10) is None
    assert arithmetic.swing(Decimal("2"), None) is None


def test_majority_and_swing():
    assert arithmetic.majority([14189, 18009, 8468]) == 3820
    assert arithmetic.majority([17000]) == 17000  # unopposed, as the Speaker nearly is
    assert arithmetic.majority([]) == 0  # no candidates yet, no lead
    # Butler swing: ((10.50 − −15.23) / 2) = 12.865 points, rounded up to 12.87.
    assert arithmetic.swing(Decimal("10.50"), Decimal("-15.23")) == Decimal("12.87")
    assert arithmetic.swing(Decimal("-3"), Decimal("2")) == Decimal("-2.50")
    assert arithmetic.swing(None, Decimal("2")) is None


HALF_PAGE = """Full General Election results for Testshire - every constituency result
TESTHAM
Result: LABOUR GAIN - majority 798
Full result in the 2024 General Election in Testham:
Ann Smith - Labour - 799 (99.88%)
Bob Jones - Conservatives - 1 (0.12%)
Turnout: 0.13%
"""


def test_the_results_page_parser_rounds_half_up():
    [seat] = parse_results_page(HALF_PAGE, source="doc.txt").seats
    assert [c.share for c in seat.candidates] == [Decimal("99.88"), Decimal("0.13")]
    assert seat.majority == 798


@pytest.fixture
def two_parties(db):
    labour = Party.objects.create(slug="lab", name="Labour", short_name="LAB", aliases=["Lab"])
    conservative = Party.objects.create(
        slug="con", name="Conservative", short_name="CON", aliases=["Con", "Conservatives"]
    )
    return labour, conservative


def test_the_national_import_rounds_half_up(two_parties):
    constituencies = (
        "ONS ID,ONS region ID,Constituency name,Region name,Country name,Constituency type,"
        "Member first name,Member surname,Result,First party,Second party,"
        "Electorate,Valid votes,Invalid votes,Majority\n"
        "E14009999,E12000004,Testham,East Midlands,England,County,Ann,Smith,"
        "Lab gain from Con,Lab,Con,640000,800,0,798\n"
    )
    candidates = (
        "ONS ID,Constituency name,Party name,Party abbreviation,"
        "Candidate first name,Candidate surname,Votes,Share,Change\n"
        "E14009999,Testham,Labour,Lab,Ann,Smith,799,0.99875,\n"
        "E14009999,Testham,Conservative,Con,Bob,Jones,1,0.00125,\n"
    )
    national_import(
        files=NationalFiles(
            constituencies=parse_constituencies_csv(constituencies, "c.csv"),
            candidacies=parse_candidates_csv(candidates, "k.csv"),
            constituencies_source="c.csv",
            candidacies_source="k.csv",
        )
    )
    shares = dict(Candidacy.objects.values_list("name", "share"))
    assert shares == {"Ann Smith": Decimal("99.88"), "Bob Jones": Decimal("0.13")}
    assert Result.objects.get().turnout == Decimal("0.13")  # 800 of 640,000


def test_a_declaration_rounds_half_up(two_parties):
    labour, conservative = two_parties
    seat = Constituency.objects.create(name="Testham", notional_winner=conservative)
    Candidacy.objects.create(constituency=seat, name="Ann Smith", party=labour, votes=799)
    Candidacy.objects.create(constituency=seat, name="Bob Jones", party=conservative, votes=1)
    result, _ = result_declare(
        constituency=seat, outcome=Outcome.GAIN, gained_from=conservative, electorate=640000
    )
    shares = dict(seat.candidacies.values_list("name", "share"))
    assert shares == {"Ann Smith": Decimal("99.88"), "Bob Jones": Decimal("0.13")}
    assert (result.turnout, result.majority) == (Decimal("0.13"), 798)


def test_shares_shown_equal_the_librarys_for_every_candidacy(db):
    """All 4,515: the share each candidacy shows is the Library's `Share` to two places.

    The Library's fractions are themselves rounded (0.01905 for 570 of 29,922 votes,
    which is 1.90495%). Where such a fraction lands exactly on a half at two places (45
    candidacies), it no longer says which way to round and the votes decide: each share
    shown is then within 0.005 points of the Library's figure, and for 19 of them it is
    the lower one (1.90 beside the Library's 1.905), as the votes make it.
    """
    folder = national_data()
    call_command("import_national", *import_national_arguments(folder), verbosity=0)
    shown = {
        (ons_code, name, party): share
        for ons_code, name, party, share in Candidacy.objects.values_list(
            "constituency__ons_code", "name", "party_label", "share"
        )
    }
    with open(folder / FILES["candidates"], encoding="utf-8-sig", newline="") as file:
        rows = list(csv.DictReader(file))
    assert len(rows) == len(shown) == 4515
    on_a_half, lower = 0, 0
    for row in rows:
        name = f"{row['Candidate first name']} {row['Candidate surname']}".strip()
        share = shown[(row["ONS ID"], name, row["Party name"])]
        library = Decimal(row["Share"]) * 100
        if (library * 1000) % 10 == 5 and (library * 1000) == int(library * 1000):
            on_a_half += 1
            assert abs(share - library) == Decimal("0.005"), row
            lower += share < library
        else:
            assert share == arithmetic.from_fraction(row["Share"]), row
    assert (on_a_half, lower) == (45, 19)


@given(votes, votes, votes, votes, st.integers(1, 40_000_000), st.integers(1, 40_000_000))
def test_a_two_party_swing_is_the_rule_exactly(to_now, to_then, away_now, away_then, now, then):
    """Half of (one party's change in share less the other's), exact, rounded once."""
    exact = (
        (Fraction(to_now, now) - Fraction(to_then, then))
        - (Fraction(away_now, now) - Fraction(away_then, then))
    ) * 50
    swing = arithmetic.two_party_swing((to_now, to_then), (away_now, away_then), now, then)
    assert swing == half_up(exact, 2)


def test_the_national_swing_of_2024_from_the_librarys_totals():
    # Labour 9,708,716 and Conservative 6,828,925 of 28,809,340 valid votes; 2019
    # (notional): 10,269,051 and 13,966,454 of 32,014,119. (+1.62 + 19.92) / 2.
    swing = arithmetic.two_party_swing(
        (9_708_716, 10_269_051), (6_828_925, 13_966_454), 28_809_340, 32_014_119
    )
    assert swing == Decimal("10.77")
    assert arithmetic.two_party_swing((1, 1), (1, 1), 0, 10) is None
