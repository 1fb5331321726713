"""Parse the national GE2024 CSV files into typed records. No database here.

The files (see shared/data/ge2024/SOURCE.md):

- HoC-GE2024-results-by-constituency.csv  -> parse_constituencies_csv
- HoC-GE2024-results-by-candidate.csv     -> parse_candidates_csv
- HoC-GE2024-winning-members-time-recorded.csv -> parse_declarations_csv
- RT-2019-notional-results-2024-boundaries.csv -> parse_notionals_csv

Quirks, and how each is handled:

- A UTF-8 byte-order mark may start the text (HoC's own downloads have one): it is dropped.
- Columns are found by header name, with spaces around the name ignored; extra columns
  are ignored. Missing columns are an error at line 1 naming them all.
- Numbers may be quoted with thousands separators ("70,219"), as in the raw HoC export:
  the commas are accepted only in the right places.
- Share and Change are fractions (0.4239), not percentages: they are multiplied by 100
  and rounded as every figure is (results.arithmetic: 2 places, halves up; 42.39). A
  Share above 1 is refused, as it would mean the file already gives percentages. The
  file's fractions are themselves rounded (0.01905 for 570 of 29,922 votes, 1.90495%),
  so 19 shares differ by 0.01 from votes / valid votes: the import computes shares from
  the votes.
- Change is blank where the party did not stand there in the 2019 notional result:
  it becomes None.
- Constituency type has trailing spaces in some rows ("County ", 140 rows of the candidate
  file; none in the current constituency file): every cell is stripped.
- The Speaker's seat reads "Spk hold", party abbreviation "Spk", in the HoC files; the
  notional file calls the Speaker "Spkr" and Alliance "All" (HoC: "APNI"). Abbreviations
  are returned as printed; mapping them to parties is the importer's job.
- Northern Ireland parties (SF, DUP, APNI, SDLP, UUP, TUV) need nothing special: a Result
  is "WINNER hold" or "WINNER gain from LOSER", whatever the abbreviations.
- Blank lines, and rows whose cells are all blank (spreadsheet padding), are skipped.
  Any other row must have as many fields as the header.
- Line numbers are those of the CSV text, taken from csv.reader's line_num, so a quoted
  field spanning lines does not shift the numbers of later rows. A record's line is the
  line it starts on. A quote left open, or text after a closing quote, is an error on
  that line rather than something that silently swallows the rest of the file.
- Declaration times are local (BST) "YYYY-MM-DD HH:MM:SS" or "YYYY-MM-DD HH:MM"; they
  become aware datetimes in Europe/London. Seats with no time are left out. The optional
  `row_source` column says where a row came from; one that says "time approximate"
  (Inverness, Skye and West Ross-shire, not in the Library's spreadsheet) marks its time
  as approximate.
- A repeated ONS code in the constituency, declaration or notional file is an error naming
  both lines, since a mapping would otherwise silently keep only the last.
- The candidate file's ids (DC Person ID, Member MNIS ID, Electoral Commission party ID
  and adjunct party ID) are optional columns, blank where the file gives none: ids are
  whole numbers (written without thousands separators), party ids PP and digits (PP53).
"""

import csv
import io
import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo

from results import arithmetic
from results.documents import DocumentError
from results.replay import outside_the_night

# The files are the 2024 election's: its polling day bounds their declaration times.
POLLING_DAY = date(2024, 7, 4)
# The Library's files by the import_national option that names each, as published.
LIBRARY_FILES = {
    "constituencies": "HoC-GE2024-results-by-constituency.csv",
    "candidates": "HoC-GE2024-results-by-candidate.csv",
    "declarations": "HoC-GE2024-winning-members-time-recorded.csv",
    "notionals": "RT-2019-notional-results-2024-boundaries.csv",
}

# The edition the files follow. The files do not say it (the Library's own export says it
# in a footer the top-level files lost), so it is stated here, from shared SOURCE.md:
# "Use the top-level files, which follow the 12 Sep 2024 edition". import_national's
# --edition names another.
LIBRARY_EDITION = "updated 12 September 2024"

LONDON = ZoneInfo("Europe/London")
WHOLE_NUMBER = re.compile(r"^\d{1,3}(?:,\d{3})+$|^\d+$")
ONS_CODE = re.compile(r"^[ENSW]\d{8}$")
RESULT_LABEL = re.compile(
    r"^(?P<winner>\S.*?)\s+(?:(?P<hold>hold)|gain\s+from\s+(?P<loser>\S.*?))\s*$",
    re.IGNORECASE,
)
ID = re.compile(r"^\d+$")
LARGEST_ID = 2**31 - 1  # the database's integer columns hold no more
EC_PARTY_ID = re.compile(r"^PP\d+$")
TIME_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M")
APPROXIMATE = "time approximate"


@dataclass(frozen=True)
class ResultLabel:
    winner_abbreviation: str
    outcome: str
    gained_from_abbreviation: str | None


@dataclass(frozen=True)
class NationalConstituency:
    ons_code: str
    name: str
    region_code: str
    region_name: str
    country_name: str
    constituency_type: str
    electorate: int
    valid_votes: int
    invalid_votes: int
    majority: int
    result: str
    winner_abbreviation: str
    outcome: str
    gained_from_abbreviation: str | None
    first_party: str
    second_party: str
    member_first_name: str
    member_surname: str
    line: int

    @property
    def turnout(self):
        """Valid votes as a percentage of the electorate, to 2 places: HoC's definition."""
        return arithmetic.turnout(self.valid_votes, self.electorate)


@dataclass(frozen=True)
class NationalCandidacy:
    ons_code: str
    constituency_name: str
    party_name: str
    party_abbreviation: str
    first_name: str
    surname: str
    name: str
    votes: int
    share: Decimal
    change: Decimal | None
    line: int
    sitting_mp: bool = False  # the MP for a seat at the dissolution, standing again
    # The seat's region and nation, where the file gives them (the nominations need them
    # when the constituencies file is not given: changes on 2019 are measured by region).
    region_code: str = ""
    region_name: str = ""
    country_name: str = ""
    # The ids others know the candidate by, where the file gives them (None or blank).
    dc_person_id: int | None = None  # Democracy Club's person id
    mnis_id: int | None = None  # Parliament's id of an MP or former MP
    ec_party_id: str = ""  # the Electoral Commission's id of the registered party
    ec_adjunct_party_id: str = ""  # ...of a joint description's second party (PP119)


def parse_result_label(label):
    """Split "Lab gain from Con" into ("Lab", "GAIN", "Con"); raise ValueError if unreadable."""
    match = RESULT_LABEL.match(label.strip())
    if not match:
        raise ValueError(f"{label!r} is not 'PARTY hold' or 'PARTY gain from PARTY'")
    if match["hold"]:
        return ResultLabel(match["winner"], "HOLD", None)
    if match["winner"] == match["loser"]:
        raise ValueError(f"{label!r} says a party gained the seat from itself")
    return ResultLabel(match["winner"], "GAIN", match["loser"])


def parse_constituencies_csv(text, source="<text>"):
    """One NationalConstituency per row of the HoC results-by-constituency file."""
    columns = (
        "ONS ID",
        "ONS region ID",
        "Constituency name",
        "Region name",
        "Country name",
        "Constituency type",
        "Member first name",
        "Member surname",
        "Result",
        "First party",
        "Second party",
        "Electorate",
        "Valid votes",
        "Invalid votes",
        "Majority",
    )
    constituencies = []
    seen = {}
    for row in read_rows(text, source, columns):
        ons_code = row.ons_code("ONS ID")
        check_first(seen, ons_code, "ONS ID", row)
        result = row.required("Result")
        try:
            label = parse_result_label(result)
        except ValueError as error:
            raise DocumentError(source, row.line, f"Result {error}") from None
        first_party = row.required("First party")
        if label.winner_abbreviation != first_party:
            raise DocumentError(
                source,
                row.line,
                f"Result {result!r} names {label.winner_abbreviation} as the winner, "
                f"but First party is {first_party}",
            )
        electorate = row.whole_number("Electorate")
        if electorate == 0:
            raise DocumentError(source, row.line, "Electorate is 0")
        constituencies.append(
            NationalConstituency(
                ons_code=ons_code,
                name=row.required("Constituency name"),
                region_code=row["ONS region ID"],
                region_name=row["Region name"],
                country_name=row["Country name"],
                constituency_type=row["Constituency type"],
                electorate=electorate,
                valid_votes=row.whole_number("Valid votes"),
                invalid_votes=row.whole_number("Invalid votes"),
                majority=row.whole_number("Majority"),
                result=result,
                winner_abbreviation=label.winner_abbreviation,
                outcome=label.outcome,
                gained_from_abbreviation=label.gained_from_abbreviation,
                first_party=first_party,
                second_party=row["Second party"],
                member_first_name=row["Member first name"],
                member_surname=row["Member surname"],
                line=row.line,
            )
        )
    return tuple(constituencies)


def parse_candidates_csv(text, source="<text>"):
    """One NationalCandidacy per row of the HoC results-by-candidate file."""
    columns = (
        "ONS ID",
        "Constituency name",
        "Party name",
        "Party abbreviation",
        "Candidate first name",
        "Candidate surname",
        "Votes",
        "Share",
        "Change",
    )
    candidacies = []
    optional = (
        "Sitting MP",
        "ONS region ID",
        "Region name",
        "Country name",
        "DC Person ID",
        "Member MNIS ID",
        "Electoral Commission party ID",
        "Electoral Commission adjunct party ID",
    )
    for row in read_rows(text, source, columns, optional=optional):
        first_name = row["Candidate first name"]
        surname = row["Candidate surname"]
        name = f"{first_name} {surname}".strip()
        if not name:
            raise DocumentError(source, row.line, "Candidate first name and surname are blank")
        candidacies.append(
            NationalCandidacy(
                ons_code=row.ons_code("ONS ID"),
                constituency_name=row.required("Constituency name"),
                party_name=row.required("Party name"),
                party_abbreviation=row.required("Party abbreviation"),
                first_name=first_name,
                surname=surname,
                name=name,
                votes=row.whole_number("Votes"),
                share=row.fraction_as_percentage("Share", low=0),
                change=row.fraction_as_percentage("Change", low=-1, blank_allowed=True),
                line=row.line,
                sitting_mp=row.yes_or_no("Sitting MP"),
                # "NA" for one seat's candidates (Central Ayrshire): its name says.
                region_code=code if ONS_CODE.match(code := row.optional("ONS region ID")) else "",
                region_name=row.optional("Region name"),
                country_name=row.optional("Country name"),
                dc_person_id=row.optional_id("DC Person ID"),
                mnis_id=row.optional_id("Member MNIS ID"),
                ec_party_id=row.optional_ec_party_id("Electoral Commission party ID"),
                ec_adjunct_party_id=row.optional_ec_party_id(
                    "Electoral Commission adjunct party ID"
                ),
            )
        )
    return tuple(candidacies)


@dataclass(frozen=True)
class DeclarationTime:
    at: datetime  # aware, Europe/London
    approximate: bool  # the row's source says the time is only roughly right
    line: int


def parse_declaration_times_csv(text, source="<text>", *, polling_day=POLLING_DAY):
    """{ONS code: DeclarationTime}; seats with no time are left out. A time outside the
    night of `polling_day` (results.replay.outside_the_night) is an error."""
    declared = {}
    seen = {}
    for row in read_rows(text, source, ("ons_id", "time_recorded"), optional=("row_source",)):
        ons_code = row.ons_code("ons_id")
        check_first(seen, ons_code, "ons_id", row)
        value = row["time_recorded"]
        if value:
            at = parse_local_time(value, source, row.line)
            if reason := outside_the_night(at, polling_day):
                raise DocumentError(source, row.line, f"time_recorded {value} {reason}")
            declared[ons_code] = DeclarationTime(
                at=at,
                approximate=APPROXIMATE in row.optional("row_source").lower(),
                line=row.line,
            )
    return declared


def parse_declarations_csv(text, source="<text>", **night):
    """{ONS code: aware declaration time in Europe/London}; seats with no time are left out."""
    times = parse_declaration_times_csv(text, source, **night)
    return {code: time.at for code, time in times.items()}


def parse_notionals_csv(text, source="<text>"):
    """{ONS code: abbreviation of the notional 2019 winner}, as the file spells it."""
    winners = {}
    seen = {}
    for row in read_rows(text, source, ("ONS code", "Win19")):
        ons_code = row.ons_code("ONS code")
        check_first(seen, ons_code, "ONS code", row)
        winners[ons_code] = row.required("Win19")
    return winners


def check_first(seen, ons_code, column, row):
    """Record where `ons_code` was seen; refuse it if it was seen before."""
    if ons_code in seen:
        raise DocumentError(
            row.source,
            row.line,
            f"{column} {ons_code} appears twice (first on line {seen[ons_code]})",
        )
    seen[ons_code] = row.line


def parse_local_time(value, source, line):
    for time_format in TIME_FORMATS:
        try:
            naive = datetime.strptime(value, time_format)
        except ValueError:
            continue
        return naive.replace(tzinfo=LONDON)
    raise DocumentError(
        source, line, f"time_recorded {value!r} is not a time 'YYYY-MM-DD HH:MM[:SS]'"
    )


@dataclass(frozen=True)
class Row:
    """The wanted cells of one CSV record, stripped, with where it came from."""

    source: str
    line: int
    cells: dict

    def __getitem__(self, column):
        return self.cells[column]

    def optional(self, column):
        """The cell of a column the header may lack: blank where it does."""
        return self.cells.get(column, "")

    def required(self, column):
        value = self.cells[column]
        if not value:
            raise DocumentError(self.source, self.line, f"{column} is blank")
        return value

    def ons_code(self, column):
        value = self.required(column)
        if not ONS_CODE.match(value):
            raise DocumentError(
                self.source, self.line, f"{column} {value!r} is not an ONS code like E14001170"
            )
        return value

    def yes_or_no(self, column):
        """True for `Yes`, False for `No` or blank (a column the file lacks)."""
        value = self.optional(column)
        if value not in {"Yes", "No", ""}:
            raise DocumentError(self.source, self.line, f"{column} {value!r} is not Yes or No")
        return value == "Yes"

    def whole_number(self, column):
        value = self.required(column)
        if not WHOLE_NUMBER.match(value):
            raise DocumentError(self.source, self.line, f"{column} {value!r} is not a whole number")
        return int(value.replace(",", ""))

    def optional_id(self, column):
        """A whole-number id in a column the header may lack: None where blank."""
        value = self.optional(column)
        if not value:
            return None
        if not ID.match(value):
            raise DocumentError(self.source, self.line, f"{column} {value!r} is not a whole number")
        if int(value) > LARGEST_ID:
            raise DocumentError(self.source, self.line, f"{column} {value} is too large for an id")
        return int(value)

    def optional_ec_party_id(self, column):
        """An Electoral Commission party id (PP53) in a column the header may lack."""
        value = self.optional(column)
        if value and not EC_PARTY_ID.match(value):
            raise DocumentError(
                self.source,
                self.line,
                f"{column} {value!r} is not an Electoral Commission id like PP53",
            )
        return value

    def fraction_as_percentage(self, column, *, low, blank_allowed=False):
        """A fraction between `low` and 1, as a percentage to 2 places."""
        value = self.cells[column]
        if not value and blank_allowed:
            return None
        value = self.required(column)
        try:
            fraction = Decimal(value)
        except InvalidOperation:
            fraction = None
        if fraction is None or not fraction.is_finite():
            raise DocumentError(self.source, self.line, f"{column} {value!r} is not a number")
        if not low <= fraction <= 1:
            raise DocumentError(
                self.source,
                self.line,
                f"{column} {value} is not a fraction between {low} and 1",
            )
        return arithmetic.from_fraction(fraction)


def read_rows(text, source, columns, optional=()):
    """Yield a Row of `columns` for each data record; check the header has them all.
    Columns in `optional` are read where the header has them, and blank where not."""
    text = text.removeprefix("\ufeff")
    if not text.strip():
        raise DocumentError(source, 1, "is empty")
    # newline="" keeps line endings inside quoted fields, as the csv module requires;
    # strict makes an unclosed quote an error instead of swallowing the rest of the file.
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    previous_end = 0
    try:
        header = next(reader)
        positions = {}
        for index, name in enumerate(header):
            positions.setdefault(name.strip(), []).append(index)
        missing = [column for column in columns if column not in positions]
        if missing:
            names = ", ".join(repr(column) for column in missing)
            plural = "s" if len(missing) > 1 else ""
            raise DocumentError(source, 1, f"missing column{plural} {names}")
        optional = [column for column in optional if column in positions]
        for column in [*columns, *optional]:
            if len(positions[column]) > 1:
                raise DocumentError(source, 1, f"column {column!r} appears more than once")

        previous_end = reader.line_num
        for cells in reader:
            # line_num counts lines, not records; the record started after the last one ended.
            line = previous_end + 1
            previous_end = reader.line_num
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) != len(header):
                raise DocumentError(
                    source, line, f"has {len(cells)} fields, but the header has {len(header)}"
                )
            yield Row(
                str(source),
                line,
                {column: cells[positions[column][0]].strip() for column in [*columns, *optional]},
            )
    except csv.Error as error:
        # Name the line the broken record starts on: csv stops reading at the end of the text.
        raise DocumentError(source, previous_end + 1, f"is not readable CSV: {error}") from None
