"""The national GE2024 CSV parsers, on small strings and on the real files."""

from collections import Counter
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from results.documents import DocumentError, read_document
from results.national import (
    LONDON,
    NationalCandidacy,
    NationalConstituency,
    ResultLabel,
    parse_candidates_csv,
    parse_constituencies_csv,
    parse_declarations_csv,
    parse_notionals_csv,
    parse_result_label,
)
from tests.national_data import national_data

CONSTITUENCY_HEADER = (
    "ONS ID,ONS region ID,Constituency name,Region name,Country name,Constituency type,"
    "Member first name,Member surname,Result,First party,Second party,"
    "Electorate,Valid votes,Invalid votes,Majority\n"
)
DAVENTRY = (
    "E14001192,E12000004,Daventry,East Midlands,England,County,Stuart,Andrew,"
    "Con hold,Con,Lab,80879,53082,216,3012\n"
)
CANDIDATE_HEADER = (
    "ONS ID,Constituency name,Party name,Party abbreviation,"
    "Candidate first name,Candidate surname,Votes,Share,Change\n"
)
CORBY_LABOUR = (
    "E14001179,Corby and East Northamptonshire,Labour,Lab,Lee,Barron,21020,0.423884,0.038525\n"
)


def parse_one_constituency(row):
    (constituency,) = parse_constituencies_csv(CONSTITUENCY_HEADER + row, "hoc.csv")
    return constituency


def parse_one_candidacy(row):
    (candidacy,) = parse_candidates_csv(CANDIDATE_HEADER + row, "hoc.csv")
    return candidacy


def test_constituency_row_becomes_a_record():
    assert parse_constituencies_csv(CONSTITUENCY_HEADER + DAVENTRY, "hoc.csv") == (
        NationalConstituency(
            ons_code="E14001192",
            name="Daventry",
            region_code="E12000004",
            region_name="East Midlands",
            country_name="England",
            constituency_type="County",
            electorate=80879,
            valid_votes=53082,
            invalid_votes=216,
            majority=3012,
            result="Con hold",
            winner_abbreviation="Con",
            outcome="HOLD",
            gained_from_abbreviation=None,
            first_party="Con",
            second_party="Lab",
            member_first_name="Stuart",
            member_surname="Andrew",
            line=2,
        ),
    )


def test_turnout_is_valid_votes_over_electorate():
    assert parse_one_constituency(DAVENTRY).turnout == Decimal("65.63")


def test_byte_order_mark_is_dropped():
    (constituency,) = parse_constituencies_csv("\ufeff" + CONSTITUENCY_HEADER + DAVENTRY, "x.csv")
    assert constituency.ons_code == "E14001192"


def test_numbers_with_thousands_separators():
    constituency = parse_one_constituency(
        "E14001170,E12000002,Chorley,North West,England,County,Lindsay,Hoyle,"
        'Spk hold,Spk,Green,"74,801","33,964","1,198","20,575"\n'
    )
    assert (
        constituency.electorate,
        constituency.valid_votes,
        constituency.invalid_votes,
        constituency.majority,
    ) == (74801, 33964, 1198, 20575)


def test_trailing_spaces_in_constituency_type_are_stripped():
    constituency = parse_one_constituency(DAVENTRY.replace(",County,", ",County  ,"))
    assert constituency.constituency_type == "County"


def test_speaker_seat():
    constituency = parse_one_constituency(
        "E14001170,E12000002,Chorley,North West,England,County,Lindsay,Hoyle,"
        "Spk hold,Spk,Green,74801,33964,1198,20575\n"
    )
    assert (constituency.result, constituency.first_party) == ("Spk hold", "Spk")
    assert (
        constituency.winner_abbreviation,
        constituency.outcome,
        constituency.gained_from_abbreviation,
    ) == ("Spk", "HOLD", None)


def test_northern_ireland_gains():
    lagan_valley, north_down = parse_constituencies_csv(
        CONSTITUENCY_HEADER
        + "N05000009,N92000002,Lagan Valley,Northern Ireland,Northern Ireland,County,"
        "Sorcha-Lucy,Eastwood,APNI gain from DUP,APNI,DUP,82201,49081,162,2959\n"
        + "N05000013,N92000002,North Down,Northern Ireland,Northern Ireland,County,"
        "Alex,Easton,Ind gain from APNI,Ind,APNI,73885,43296,168,7305\n",
        "hoc.csv",
    )
    assert (lagan_valley.winner_abbreviation, lagan_valley.gained_from_abbreviation) == (
        "APNI",
        "DUP",
    )
    assert (north_down.winner_abbreviation, north_down.outcome, north_down.line) == (
        "Ind",
        "GAIN",
        3,
    )


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("Lab gain from Con", ResultLabel("Lab", "GAIN", "Con")),
        ("Con hold", ResultLabel("Con", "HOLD", None)),
        ("Spk hold", ResultLabel("Spk", "HOLD", None)),
        ("SF hold", ResultLabel("SF", "HOLD", None)),
        ("APNI gain from DUP", ResultLabel("APNI", "GAIN", "DUP")),
        ("TUV gain from DUP", ResultLabel("TUV", "GAIN", "DUP")),
        # Some abbreviations in the candidate file have spaces: "Comm L", "Scot Libt".
        ("Comm L gain from Scot Libt", ResultLabel("Comm L", "GAIN", "Scot Libt")),
        (" Lab  hold ", ResultLabel("Lab", "HOLD", None)),
    ],
)
def test_parse_result_label(label, expected):
    assert parse_result_label(label) == expected


@pytest.mark.parametrize(
    ("label", "message"),
    [
        ("Lab win", "'Lab win' is not 'PARTY hold' or 'PARTY gain from PARTY'"),
        ("hold", "'hold' is not 'PARTY hold' or 'PARTY gain from PARTY'"),
        ("Lab gain from", "'Lab gain from' is not 'PARTY hold' or 'PARTY gain from PARTY'"),
        ("Lab gain from Lab", "'Lab gain from Lab' says a party gained the seat from itself"),
    ],
)
def test_parse_result_label_refuses(label, message):
    with pytest.raises(ValueError) as raised:
        parse_result_label(label)
    assert str(raised.value) == message


def test_unreadable_result_names_the_line():
    with pytest.raises(DocumentError) as raised:
        parse_constituencies_csv(
            CONSTITUENCY_HEADER
            + DAVENTRY
            + DAVENTRY.replace("E14001192", "E14001193").replace("Con hold", "Con win"),
            "hoc.csv",
        )
    assert str(raised.value) == (
        "hoc.csv, line 3: Result 'Con win' is not 'PARTY hold' or 'PARTY gain from PARTY'"
    )


def test_result_winner_must_be_first_party():
    with pytest.raises(DocumentError) as raised:
        parse_one_constituency(DAVENTRY.replace("Con hold", "Lab gain from Con"))
    assert str(raised.value) == (
        "hoc.csv, line 2: Result 'Lab gain from Con' names Lab as the winner, "
        "but First party is Con"
    )


def test_missing_columns_are_named_at_line_1():
    header = CONSTITUENCY_HEADER.replace("Result,", "").replace(",Majority", "")
    with pytest.raises(DocumentError) as raised:
        parse_constituencies_csv(header + DAVENTRY, "hoc.csv")
    assert str(raised.value) == "hoc.csv, line 1: missing columns 'Result', 'Majority'"


def test_one_missing_column():
    with pytest.raises(DocumentError) as raised:
        parse_notionals_csv("ONS code,Win 19\nE14001170,Spkr\n", "rt.csv")
    assert str(raised.value) == "rt.csv, line 1: missing column 'Win19'"


def test_header_names_may_have_spaces_around_them():
    header = " " + CONSTITUENCY_HEADER.replace(",", " , ").replace("\n", " \n")
    (constituency,) = parse_constituencies_csv(header + DAVENTRY, "hoc.csv")
    assert (constituency.name, constituency.majority) == ("Daventry", 3012)


def test_repeated_column_is_refused():
    with pytest.raises(DocumentError) as raised:
        parse_notionals_csv("ONS code,Win19,Win19\nE14001170,Spkr,Con\n", "rt.csv")
    assert str(raised.value) == "rt.csv, line 1: column 'Win19' appears more than once"


def test_unreadable_number_names_the_line_and_column():
    with pytest.raises(DocumentError) as raised:
        parse_one_constituency(DAVENTRY.replace("80879", '"80,87,9"'))
    assert str(raised.value) == "hoc.csv, line 2: Electorate '80,87,9' is not a whole number"


def test_line_numbers_count_lines_inside_quoted_fields():
    # The first record spans lines 2-3, so the bad record is on line 4, not 3.
    argyll = (
        'S14000067,S92000003,"Argyll,\nBute and South Lochaber",Scotland,Scotland,County,'
        "Brendan,O'Hara,SNP hold,SNP,Con,71756,44862,216,6232\n"
    )
    bad = DAVENTRY.replace("216", "2l6")
    with pytest.raises(DocumentError) as raised:
        parse_constituencies_csv(CONSTITUENCY_HEADER + argyll + bad, "hoc.csv")
    assert str(raised.value) == "hoc.csv, line 4: Invalid votes '2l6' is not a whole number"


def test_blank_lines_are_skipped_and_counted():
    argyll, daventry = parse_constituencies_csv(
        CONSTITUENCY_HEADER
        + "\n"
        + DAVENTRY.replace("Daventry", '"Argyll,\nBute"').replace("E14001192", "S14000067")
        + ",,,,,,,,,,,,,,\n"
        + DAVENTRY,
        "hoc.csv",
    )
    assert (argyll.name, argyll.line) == ("Argyll,\nBute", 3)
    assert (daventry.name, daventry.line) == ("Daventry", 6)


def test_blank_number_is_named():
    with pytest.raises(DocumentError) as raised:
        parse_one_constituency(DAVENTRY.replace(",3012", ","))
    assert str(raised.value) == "hoc.csv, line 2: Majority is blank"


def test_zero_electorate_is_refused():
    with pytest.raises(DocumentError) as raised:
        parse_one_constituency(DAVENTRY.replace("80879", "0"))
    assert str(raised.value) == "hoc.csv, line 2: Electorate is 0"


def test_row_with_wrong_number_of_fields():
    with pytest.raises(DocumentError) as raised:
        parse_one_constituency(DAVENTRY.replace("Daventry", "Daventry,Northants"))
    assert str(raised.value) == "hoc.csv, line 2: has 16 fields, but the header has 15"


def test_bad_ons_code():
    with pytest.raises(DocumentError) as raised:
        parse_one_constituency(DAVENTRY.replace("E14001192", "E1400119"))
    assert str(raised.value) == (
        "hoc.csv, line 2: ONS ID 'E1400119' is not an ONS code like E14001170"
    )


def test_duplicate_ons_code_names_both_lines():
    with pytest.raises(DocumentError) as raised:
        parse_constituencies_csv(CONSTITUENCY_HEADER + DAVENTRY + DAVENTRY, "hoc.csv")
    assert str(raised.value) == "hoc.csv, line 3: ONS ID E14001192 appears twice (first on line 2)"


@pytest.mark.parametrize(
    "parse",
    [parse_constituencies_csv, parse_candidates_csv, parse_declarations_csv, parse_notionals_csv],
)
@pytest.mark.parametrize("text", ["", "\n \n", "\ufeff"])
def test_empty_text(parse, text):
    with pytest.raises(DocumentError) as raised:
        parse(text, "empty.csv")
    assert str(raised.value) == "empty.csv, line 1: is empty"


def test_header_only_gives_no_records():
    assert parse_constituencies_csv(CONSTITUENCY_HEADER, "hoc.csv") == ()


def test_unclosed_quote_names_the_line_it_opens_on():
    with pytest.raises(DocumentError) as raised:
        parse_constituencies_csv(
            CONSTITUENCY_HEADER + DAVENTRY.replace("Daventry", '"Daventry') + DAVENTRY, "hoc.csv"
        )
    assert str(raised.value) == "hoc.csv, line 2: is not readable CSV: unexpected end of data"


def test_text_after_a_closing_quote_is_refused():
    with pytest.raises(DocumentError) as raised:
        parse_one_constituency(DAVENTRY.replace("Daventry", '"Daventry" Town'))
    assert str(raised.value) == ("hoc.csv, line 2: is not readable CSV: ',' expected after '\"'")


def test_candidate_row_becomes_a_record():
    # Share and Change are fractions in the file: 0.423884 is 42.39%.
    assert parse_candidates_csv(CANDIDATE_HEADER + CORBY_LABOUR, "hoc.csv") == (
        NationalCandidacy(
            ons_code="E14001179",
            constituency_name="Corby and East Northamptonshire",
            party_name="Labour",
            party_abbreviation="Lab",
            first_name="Lee",
            surname="Barron",
            name="Lee Barron",
            votes=21020,
            share=Decimal("42.39"),
            change=Decimal("3.85"),
            line=2,
        ),
    )


def test_blank_change_is_none():
    candidacy = parse_one_candidacy(
        "E14001170,Chorley,Democracy for Chorley,DFC,Ben,Holden-Crowther,2424,0.07137,\n"
    )
    assert (candidacy.share, candidacy.change) == (Decimal("7.14"), None)


def test_negative_change():
    candidacy = parse_one_candidacy(
        "N05000009,Lagan Valley,Democratic Unionist Party,DUP,Jonathan,Buckley,"
        "15659,0.319044,-0.115025\n"
    )
    assert (candidacy.share, candidacy.change) == (Decimal("31.90"), Decimal("-11.50"))


def test_shares_round_half_up():
    # 0.01905 is exactly 1.905%; half-even would give 1.90.
    candidacy = parse_one_candidacy(CORBY_LABOUR.replace("0.423884", "0.01905"))
    assert candidacy.share == Decimal("1.91")


def test_speaker_and_northern_ireland_candidacies():
    speaker, sinn_fein, alliance = parse_candidates_csv(
        CANDIDATE_HEADER
        + "E14001170,Chorley,Speaker,Spk,Lindsay,Hoyle,25238,0.743081,0.070119\n"
        + "N05000004,Belfast West,Sinn Fein,SF,Paul,Maskey,21009,0.528621,0.044088\n"
        + "N05000009,Lagan Valley,Alliance,APNI,Sorcha-Lucy,Eastwood,18618,0.379332,0.108805\n",
        "hoc.csv",
    )
    assert (speaker.party_abbreviation, speaker.party_name, speaker.share, speaker.change) == (
        "Spk",
        "Speaker",
        Decimal("74.31"),
        Decimal("7.01"),
    )
    assert (sinn_fein.party_abbreviation, sinn_fein.name, sinn_fein.votes) == (
        "SF",
        "Paul Maskey",
        21009,
    )
    assert (alliance.party_abbreviation, alliance.share, alliance.line) == (
        "APNI",
        Decimal("37.93"),
        4,
    )


def test_candidate_votes_with_thousands_separator_and_bom():
    (candidacy,) = parse_candidates_csv(
        "\ufeff" + CANDIDATE_HEADER + CORBY_LABOUR.replace("21020", '"21,020"'), "hoc.csv"
    )
    assert candidacy.votes == 21020


def test_candidate_with_only_a_surname():
    candidacy = parse_one_candidacy(CORBY_LABOUR.replace("Lee,Barron", ",Barron"))
    assert (candidacy.first_name, candidacy.name) == ("", "Barron")


@pytest.mark.parametrize(
    ("replace", "by", "message"),
    [
        ("0.423884", "42.39", "Share 42.39 is not a fraction between 0 and 1"),
        ("0.423884", "42%", "Share '42%' is not a number"),
        ("0.423884", "NaN", "Share 'NaN' is not a number"),
        ("0.423884", "", "Share is blank"),
        ("0.038525", "-1.5", "Change -1.5 is not a fraction between -1 and 1"),
        ("21020", "21020.0", "Votes '21020.0' is not a whole number"),
        ("Lee,Barron", ",", "Candidate first name and surname are blank"),
        ("Lab,", ",", "Party abbreviation is blank"),
    ],
)
def test_bad_candidate_rows(replace, by, message):
    with pytest.raises(DocumentError) as raised:
        parse_candidates_csv(
            CANDIDATE_HEADER + CORBY_LABOUR + CORBY_LABOUR.replace(replace, by), "hoc.csv"
        )
    assert str(raised.value) == f"hoc.csv, line 3: {message}"


DECLARATIONS = (
    "ons_id,constituency_name,time_recorded\n"
    "W07000081,Aberafan Maesteg,2024-07-05 04:07:00\n"
    'S14000094,"Inverness, Skye and West Ross-shire",2024-07-06 18:00\n'
    "E14001170,Chorley,\n"
)


def test_declaration_times_are_london_time():
    declared = parse_declarations_csv(DECLARATIONS, "times.csv")
    assert declared == {
        "W07000081": datetime(2024, 7, 5, 4, 7, tzinfo=LONDON),
        "S14000094": datetime(2024, 7, 6, 18, 0, tzinfo=LONDON),
    }
    assert declared["W07000081"].utcoffset() == timedelta(hours=1)
    assert declared["W07000081"].astimezone(UTC) == datetime(2024, 7, 5, 3, 7, tzinfo=UTC)


def test_declaration_time_in_winter_is_gmt():
    declared = parse_declarations_csv(
        "ons_id,time_recorded\nE14001170,2019-12-13 02:30\n",
        "times.csv",
        polling_day=date(2019, 12, 12),
    )
    assert declared["E14001170"].utcoffset() == timedelta(0)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        (
            "2099-07-05 00:00",
            "time_recorded 2099-07-05 00:00 is not in the night of the election: give a "
            "time from 22:00, 4 Jul 2024, when polls closed, to 22:00, 11 Jul 2024.",
        ),
        (
            "2024-07-04 12:00",
            "time_recorded 2024-07-04 12:00 is not in the night of the election: give a "
            "time from 22:00, 4 Jul 2024, when polls closed, to 22:00, 11 Jul 2024.",
        ),
    ],
)
def test_a_declaration_time_outside_the_night_names_file_and_line(typed, message):
    with pytest.raises(DocumentError) as raised:
        parse_declarations_csv(DECLARATIONS + f"E14001192,Daventry,{typed}\n", "t.csv")
    assert str(raised.value) == f"t.csv, line 5: {message}"


def test_unreadable_declaration_time():
    with pytest.raises(DocumentError) as raised:
        parse_declarations_csv(DECLARATIONS + "E14001192,Daventry,05/07/2024 03:12\n", "t.csv")
    assert str(raised.value) == (
        "t.csv, line 5: time_recorded '05/07/2024 03:12' is not a time 'YYYY-MM-DD HH:MM[:SS]'"
    )


def test_duplicate_declaration():
    with pytest.raises(DocumentError) as raised:
        parse_declarations_csv(DECLARATIONS + "W07000081,Aberafan Maesteg,\n", "t.csv")
    assert str(raised.value) == "t.csv, line 5: ons_id W07000081 appears twice (first on line 2)"


NOTIONALS = (
    'Boundary Comm name,PA name,ONS code,"""turnout""",Win19,Second19\n'
    "Chorley,Chorley,E14001170,53.5,Spkr,Green\n"
    "North Down,North Down,N05000013,60.6,All,DUP\n"
    "Belfast West,Belfast West,N05000004,59.1,SF,DUP\n"
)


def test_notional_winners():
    assert parse_notionals_csv("\ufeff" + NOTIONALS, "rt.csv") == {
        "E14001170": "Spkr",
        "N05000013": "All",
        "N05000004": "SF",
    }


def test_notional_blank_winner():
    with pytest.raises(DocumentError) as raised:
        parse_notionals_csv(NOTIONALS + "Daventry,Daventry,E14001192,70.1,,Lab\n", "rt.csv")
    assert str(raised.value) == "rt.csv, line 5: Win19 is blank"


def test_duplicate_notional():
    with pytest.raises(DocumentError) as raised:
        parse_notionals_csv(NOTIONALS + "Chorley,Chorley,E14001170,53.5,Spkr,Green\n", "rt.csv")
    assert str(raised.value) == "rt.csv, line 5: ONS code E14001170 appears twice (first on line 2)"


# The real files.


@pytest.fixture(scope="module")
def ge2024():
    folder = national_data()

    def parse(parser, name):
        path = folder / name
        return parser(read_document(path), path.name)

    return {
        "constituencies": parse(parse_constituencies_csv, "HoC-GE2024-results-by-constituency.csv"),
        "candidacies": parse(parse_candidates_csv, "HoC-GE2024-results-by-candidate.csv"),
        "declarations": parse(
            parse_declarations_csv, "HoC-GE2024-winning-members-time-recorded.csv"
        ),
        "notionals": parse(parse_notionals_csv, "RT-2019-notional-results-2024-boundaries.csv"),
    }


@pytest.fixture(scope="module")
def seats(ge2024):
    return {constituency.name: constituency for constituency in ge2024["constituencies"]}


def test_real_counts(ge2024):
    assert len(ge2024["constituencies"]) == 650
    assert len(ge2024["candidacies"]) == 4515


def test_real_speaker_seat(seats):
    assert seats["Chorley"].result == "Spk hold"
    assert seats["Chorley"].outcome == "HOLD"


def test_real_leicester_south(seats):
    leicester_south = seats["Leicester South"]
    assert (leicester_south.result, leicester_south.majority) == ("Ind gain from Lab", 979)
    assert leicester_south.gained_from_abbreviation == "Lab"


def test_real_derbyshire_dales(seats):
    derbyshire_dales = seats["Derbyshire Dales"]
    assert (derbyshire_dales.majority, derbyshire_dales.winner_abbreviation) == (350, "Lab")


def test_real_daventry_turnout(seats):
    daventry = seats["Daventry"]
    assert (daventry.valid_votes, daventry.electorate) == (53082, 80879)
    assert daventry.turnout == Decimal("65.63")


def test_real_candidate_votes_add_up_to_valid_votes(ge2024):
    totals = Counter()
    for candidacy in ge2024["candidacies"]:
        totals[candidacy.ons_code] += candidacy.votes
    assert totals == {c.ons_code: c.valid_votes for c in ge2024["constituencies"]}


def test_real_declaration_times(ge2024):
    declared = ge2024["declarations"]
    assert len(declared) == 650
    assert set(declared) == {c.ons_code for c in ge2024["constituencies"]}
    inverness = declared["S14000094"]
    assert inverness == datetime(2024, 7, 6, 18, 0, tzinfo=LONDON)
    assert inverness.tzname() == "BST"


def test_real_notional_winners(ge2024):
    notionals = ge2024["notionals"]
    assert set(notionals) == {c.ons_code for c in ge2024["constituencies"]}
    # The notional file spells Alliance "All" and the Speaker "Spkr".
    assert Counter(notionals.values()) == {
        "Con": 372,
        "Lab": 200,
        "SNP": 48,
        "LD": 8,
        "DUP": 8,
        "SF": 7,
        "SDLP": 2,
        "PC": 2,
        "Green": 1,
        "All": 1,
        "Spkr": 1,
    }


def test_the_parsers_need_no_django_settings():
    """The benchmarks and scripts read the files' names and parse them before Django is
    set up: the parsers are pure, and import nothing that needs settings."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    result = subprocess.run(
        [sys.executable, "-c", "import results.national"],
        cwd=root,
        env={**env, "PYTHONPATH": str(root)},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr.splitlines()[-1:]
