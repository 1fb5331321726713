"""Parse the 2019 notional votes per party (Rallings & Thrasher, 2024 boundaries). No database.

The file is RT-2019-notional-results-2024-boundaries.csv (see shared/data/ge2024/SOURCE.md);
results.national.parse_notionals_csv reads only its winners, parse_notional_votes_csv reads
the votes. Rules, and why:

- Party columns become the abbreviations of the HoC candidate file, so 2019 and 2024 figures
  join on one key: Conv -> Con, Labv -> Lab, LDv -> LD, Grnv -> Green, SNPv -> SNP,
  PCv -> PC, APNIv -> APNI, DUPv -> DUP, SDLPv -> SDLP, SFv -> SF, UUPv -> UUP.
- Brxv (the Brexit Party) becomes RUK: Reform UK is the Brexit Party renamed (January 2021),
  the same registered party, so its 2024 change is measured against the Brexit Party's 2019.
- TotOthv (every other candidate) becomes OTHERS.
- The Speaker (Win19 "Spkr") has no column of his own: his votes are in TotOthv, and as he
  won the seat he is its largest "other", so MaxOthv is moved from OTHERS to SPEAKER.
- A blank party cell is 0 votes: the Northern Ireland rows leave the GB parties blank.
- The parties' votes must add up to total_votes, and a winner with a column of its own must
  have the most votes; either failing means misread columns, so it is an error.
- Regions are given as codes (NE, GL, WA, ...) and become the HoC files' names ("North East",
  "London", "Wales", ...), so seats join the HoC results by region as well as ONS code.
- Win19 is spelt as the HoC files spell it: "Spkr" -> "Spk", "All" -> "APNI".

Errors are DocumentError naming the file and line, as in results.national.
"""

from dataclasses import dataclass

from results.documents import DocumentError
from results.national import check_first, read_rows

OTHERS = "Oth"
SPEAKER = "Spk"
NOTIONAL_COLUMNS = {
    "Conv": "Con",
    "Labv": "Lab",
    "LDv": "LD",
    "Brxv": "RUK",
    "Grnv": "Green",
    "SNPv": "SNP",
    "PCv": "PC",
    "DUPv": "DUP",
    "SFv": "SF",
    "SDLPv": "SDLP",
    "UUPv": "UUP",
    "APNIv": "APNI",
    "TotOthv": OTHERS,
}
NOTIONAL_SPELLINGS = {"Spkr": SPEAKER, "All": "APNI"}
REGIONS = {
    "NE": ("North East", "England"),
    "NW": ("North West", "England"),
    "YH": ("Yorkshire and The Humber", "England"),
    "EM": ("East Midlands", "England"),
    "WM": ("West Midlands", "England"),
    "EE": ("East of England", "England"),
    "GL": ("London", "England"),
    "SE": ("South East", "England"),
    "SW": ("South West", "England"),
    "WA": ("Wales", "Wales"),
    "SC": ("Scotland", "Scotland"),
    "NI": ("Northern Ireland", "Northern Ireland"),
}


@dataclass(frozen=True)
class NotionalVotes:
    """One seat's 2019 notional votes by party abbreviation (every party key, zeros included)."""

    ons_code: str
    name: str
    region: str
    nation: str
    votes: dict[str, int]
    total: int
    electorate: int
    winner: str
    line: int


def parse_notional_votes_csv(text, source="<text>"):
    """One NotionalVotes per row of the Rallings & Thrasher notional results file."""
    columns = (
        "ONS code",
        "Boundary Comm name",
        "region_name",
        "country_name",
        "Win19",
        "MaxOthv",
        "total_votes",
        "electorate",
        *NOTIONAL_COLUMNS,
    )
    seats = []
    seen = {}
    for row in read_rows(text, source, columns):
        ons_code = row.ons_code("ONS code")
        check_first(seen, ons_code, "ONS code", row)
        region, nation = region_and_nation(row)
        votes = {
            party: row.whole_number(column) if row[column] else 0
            for column, party in NOTIONAL_COLUMNS.items()
        }
        total = row.whole_number("total_votes")
        if sum(votes.values()) != total:
            raise DocumentError(
                source,
                row.line,
                f"the party votes add up to {sum(votes.values())}, but total_votes is {total}",
            )
        winner = row.required("Win19")
        winner = NOTIONAL_SPELLINGS.get(winner, winner)
        if winner == SPEAKER:
            speaker_votes = row.whole_number("MaxOthv")
            if speaker_votes > votes[OTHERS]:
                raise DocumentError(
                    source,
                    row.line,
                    f"MaxOthv {speaker_votes} is more than TotOthv {votes[OTHERS]}",
                )
            votes[OTHERS] -= speaker_votes
            votes[SPEAKER] = speaker_votes
        most = max(votes, key=votes.get)
        if winner in votes and votes[winner] != votes[most]:
            raise DocumentError(
                source,
                row.line,
                f"Win19 is {winner}, but {most} has the most votes "
                f"({votes[most]} to {votes[winner]})",
            )
        seats.append(
            NotionalVotes(
                ons_code=ons_code,
                name=row.required("Boundary Comm name"),
                region=region,
                nation=nation,
                votes=votes,
                total=total,
                electorate=row.whole_number("electorate"),
                winner=winner,
                line=row.line,
            )
        )
    return tuple(seats)


def region_and_nation(row):
    """The HoC region name and nation for the row's region code; refuse a code or nation
    that does not fit."""
    code = row.required("region_name")
    if code not in REGIONS:
        known = ", ".join(REGIONS)
        raise DocumentError(row.source, row.line, f"region_name {code!r} is not one of {known}")
    region, nation = REGIONS[code]
    if row["country_name"] != nation:
        raise DocumentError(
            row.source,
            row.line,
            f"country_name {row['country_name']!r} does not fit region {code} ({nation})",
        )
    return region, nation
