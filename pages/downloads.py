"""The figures as CSV: each file's columns, named and described once, for the files and
for the page that documents them."""

import csv
import io
from dataclasses import dataclass

from django.http import HttpResponse
from django.utils.timezone import localtime

from pages.seats import PerSeat
from results import arithmetic
from results.models import Candidacy, Constituency
from results.provenance import provenance_of
from results.times import to_the_second


@dataclass(frozen=True)
class Column:
    """A column of a file: its name, what it holds (saying what an empty cell means, where
    one can be), how its cell is read from a row, and for the data package's schema
    (pages.package) its Table Schema type, the unit of a number, and whether a cell is
    never empty."""

    name: str
    description: str
    value: object  # (row) -> the cell
    type: str = "string"  # string, integer, number, boolean (yes/no), datetime
    unit: str = ""  # "votes", "people", "%", "percentage points"
    required: bool = False


def result_of(constituency):
    return getattr(constituency, "result", None)


def from_result(get):
    """A cell from a seat's result, empty while it awaits its declaration."""

    def value(constituency):
        result = result_of(constituency)
        return "" if result is None else get(result)

    return value


def blank_if_none(value):
    return "" if value is None else value


def source_of(constituency):
    """Where its result's figures came from (results.provenance), the desk's entry from
    ConstituencyQuerySet.with_last_change."""
    return provenance_of(
        constituency.result,
        entered_by=constituency.result_changed_by or "",
        entered_at=constituency.result_changed_at,
    )


def moment_cell(moment):
    return "" if moment is None else to_the_second(moment).isoformat()


CONSTITUENCY_COLUMNS = (
    Column(
        "ons_code",
        "ONS code of the constituency (2024 boundaries)",
        lambda c: c.ons_code or "",
        required=True,
    ),
    Column("constituency", "Name of the constituency", lambda c: c.name, required=True),
    Column("region", "English region, or nation", lambda c: c.region.name if c.region else ""),
    Column(
        "nation",
        "England, Scotland, Wales or Northern Ireland",
        lambda c: c.region.nation if c.region else "",
    ),
    Column(
        "held_2019",
        "Party that won the 2019 result recast on the 2024 boundaries (Rallings & Thrasher)",
        lambda c: c.notional_winner.name if c.notional_winner else "",
    ),
    Column("winner", "Winning candidate", from_result(lambda r: r.winner.name)),
    Column("winner_party", "Winning candidate's party", from_result(lambda r: r.winner.party.name)),
    Column(
        "result", "GAIN or HOLD, against the 2019 notional result", from_result(lambda r: r.outcome)
    ),
    Column(
        "gained_from",
        "For a GAIN, the party that held the seat in 2019 (notional)",
        from_result(lambda r: r.gained_from.name if r.gained_from else ""),
    ),
    Column(
        "majority",
        "Winner's votes less the runner-up's",
        from_result(lambda r: r.majority),
        type="integer",
        unit="votes",
    ),
    Column(
        "winner_share",
        "Winner's share of the valid votes, %",
        from_result(lambda r: r.winner.share),
        type="number",
        unit="%",
    ),
    Column(
        "electorate",
        "Registered electors",
        from_result(lambda r: blank_if_none(r.electorate)),
        type="integer",
        unit="people",
    ),
    Column(
        "valid_votes",
        "Valid votes cast",
        from_result(lambda r: blank_if_none(r.valid_votes)),
        type="integer",
        unit="votes",
    ),
    Column(
        "invalid_votes",
        "Rejected ballots",
        from_result(lambda r: blank_if_none(r.invalid_votes)),
        type="integer",
        unit="ballot papers",
    ),
    Column(
        "turnout",
        "Valid votes as a share of the electorate, %",
        from_result(lambda r: blank_if_none(r.turnout)),
        type="number",
        unit="%",
    ),
    Column(
        "declared_at",
        "When the result was declared, UK time (ISO 8601)",
        from_result(lambda r: localtime(r.declared_at).isoformat() if r.declared_at else ""),
        type="datetime",
    ),
    # Where the figures came from (results.provenance).
    Column(
        "declared_at_approximate",
        "yes where the source gives the declaration time only roughly (Inverness, Skye and "
        "West Ross-shire: about 18:00 on 6 July)",
        from_result(lambda r: "yes" if r.declared_at_approximate else "no"),
        type="boolean",
    ),
    Column(
        "source",
        "Where the result's figures came from: national (the House of Commons Library's "
        "file), seed (a page published on the night) or desk (the results desk)",
        from_result(lambda r: r.source),
    ),
    Column(
        "source_document",
        "The file the figures are in; empty for the desk's",
        from_result(lambda r: r.source_document),
    ),
    Column(
        "source_line",
        "The line of that file the seat's figures start on (for the Library's CSV, its "
        "row as a spreadsheet numbers it)",
        from_result(lambda r: blank_if_none(r.source_line)),
        type="integer",
    ),
    Column(
        "source_edition",
        "The Library's edition of its files: updated 12 September 2024",
        from_result(lambda r: r.source_edition),
    ),
    Column(
        "source_entered_by",
        "The results desk member who last entered the figures; empty for another source",
        lambda c: source_of(c).entered_by if result_of(c) else "",
    ),
    Column(
        "source_entered_at",
        "When the desk member entered them, UK time (ISO 8601); empty for another source",
        lambda c: moment_cell(source_of(c).entered_at) if result_of(c) else "",
        type="datetime",
    ),
    Column(
        "source_note",
        "Where another source gave a figure otherwise: what it gave, and why the figure "
        "here was chosen; empty where none did",
        lambda c: source_of(c).note(shows="the site shows") if result_of(c) else "",
    ),
)


def candidacy_value(field):
    def value(row):
        cell = row[field]
        return "" if cell is None else cell

    return value


def registered_party_name(row):
    registered = Candidacy.registered_party_of(
        row["party_label"], row["ec_party_id"], row["ec_adjunct_party_id"]
    )
    return registered.name if registered else ""


# One row per candidacy: rows of `Candidacy.objects.for_download()`.
CANDIDACY_COLUMNS = (
    Column(
        "ons_code",
        "ONS code of the constituency",
        candidacy_value("constituency__ons_code"),
        required=True,
    ),
    Column(
        "constituency",
        "Name of the constituency",
        candidacy_value("constituency__name"),
        required=True,
    ),
    Column("region", "English region, or nation", candidacy_value("constituency__region__name")),
    Column(
        "nation",
        "England, Scotland, Wales or Northern Ireland",
        candidacy_value("constituency__region__nation"),
    ),
    Column(
        "candidate_id",
        "This site's id of the candidacy (one person standing in one seat), kept by every "
        "import: the `id` of a candidate in the API",
        candidacy_value("id"),
        type="integer",
        required=True,
    ),
    Column("candidate", "The candidate's name", candidacy_value("name"), required=True),
    Column(
        "dc_person_id",
        "Democracy Club's id of the person; empty where the source gives none",
        candidacy_value("dc_person_id"),
        type="integer",
    ),
    Column(
        "mnis_id",
        "Parliament's Members' Names Information Service id, for an MP or former MP",
        candidacy_value("mnis_id"),
        type="integer",
    ),
    Column(
        "party",
        "The party the candidate stood for (Independent for each independent)",
        candidacy_value("party__name"),
        required=True,
    ),
    Column(
        "party_abbreviation",
        "The party's abbreviation on this site",
        candidacy_value("party__short_name"),
    ),
    Column(
        "registered_party",
        "The party on the Electoral Commission's register the candidate stood for "
        "(Labour and Co-operative, Scottish Green Party), which `party` counts them with; "
        "empty for an independent or where the source gives no Electoral Commission id",
        registered_party_name,
    ),
    Column(
        "ec_party_id",
        "The Electoral Commission's id of the registered party (PP53)",
        candidacy_value("ec_party_id"),
    ),
    Column(
        "ec_adjunct_party_id",
        "For a joint description, the Electoral Commission's id of the second party "
        "(PP119, the Co-operative Party)",
        candidacy_value("ec_adjunct_party_id"),
    ),
    Column(
        "votes",
        "Votes for the candidate (0 while the seat awaits its count)",
        candidacy_value("votes"),
        type="integer",
        unit="votes",
        required=True,
    ),
    Column(
        "share",
        "Share of the seat's valid votes, %",
        candidacy_value("share"),
        type="number",
        unit="%",
        required=True,
    ),
    Column(
        "share_change",
        "Change in share since 2019 (notional), in points; empty where the party did not stand",
        candidacy_value("share_change"),
        type="number",
        unit="percentage points",
    ),
    Column(
        "sitting_mp",
        "yes if the candidate was an MP at the dissolution",
        lambda row: "yes" if row["sitting_mp"] else "no",
        type="boolean",
        required=True,
    ),
    Column(
        "elected",
        "yes for the winner; empty while the seat awaits its declaration",
        lambda row: (
            ""
            if row["constituency__result__winner"] is None
            else ("yes" if row["constituency__result__winner"] == row["id"] else "no")
        ),
        type="boolean",
    ),
)


# What a spreadsheet takes a cell starting with to be a formula (OWASP, "CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# UTF-8's byte-order mark, by which Excel knows the file is UTF-8 ("Ynys Môn", not
# "Ynys MÃ´n"); csv, pandas and R skip it when told the encoding is utf-8-sig.
BOM = "\ufeff"


def inert(cell):
    """A text cell a spreadsheet would run as a formula, with an apostrophe first.

    Only text (a `str`) is touched: a column's value gives numbers as int or Decimal,
    so a negative change in share (-3.20) stays a number. A name typed by the desk is
    always text, so `=HYPERLINK(...)` cannot pass as a number."""
    if isinstance(cell, str) and cell.startswith(FORMULA_STARTS):
        return "'" + cell
    return cell


# One row per seat and party in 2019: rows of `NotionalVote.objects.for_download()`.
NOTIONAL_COLUMNS = (
    Column(
        "ons_code",
        "ONS code of the constituency",
        candidacy_value("constituency__ons_code"),
        required=True,
    ),
    Column(
        "constituency",
        "Name of the constituency",
        candidacy_value("constituency__name"),
        required=True,
    ),
    Column(
        "party",
        "The party, or Others for every other candidate together",
        lambda row: row["party__name"] or "Others",
        required=True,
    ),
    Column(
        "votes",
        "The party's votes in 2019, recast on the 2024 boundaries (Rallings & Thrasher)",
        candidacy_value("votes"),
        type="integer",
        unit="votes",
        required=True,
    ),
    Column(
        "share",
        "Share of the seat's 2019 notional valid votes, %",
        lambda row: arithmetic.share(row["votes"], row["constituency__notional_valid_votes"]),
        type="number",
        unit="%",
        required=True,
    ),
)


def csv_lines(columns, rows, *, header=False):
    """The rows as CSV text, after a header row of the columns' names if asked; each
    text cell made inert."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    if header:
        writer.writerow(column.name for column in columns)
    for row in rows:
        writer.writerow(inert(column.value(row)) for column in columns)
    return out.getvalue()


def csv_text(columns, *, rows=(), lines=()):
    """A whole file: the byte-order mark, a header row of the columns' names, then the
    rows, or `lines` already written."""
    return BOM + csv_lines(columns, rows, header=True) + "".join(lines)


def csv_response(columns, filename, *, rows=(), lines=()):
    """A UTF-8 CSV file (csv_text) to be saved as `filename`."""
    body = csv_text(columns, rows=rows, lines=lines)
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def constituency_lines(slugs):
    """(slug, its row of the constituencies' file) for each seat (None: every seat)."""
    seats = Constituency.objects.for_list().order_by("name")
    if slugs is not None:
        seats = seats.filter(slug__in=slugs)
    return [(seat.slug, csv_lines(CONSTITUENCY_COLUMNS, [seat])) for seat in seats]


def candidacy_lines(slugs):
    """(slug, its seat's rows of the results file) for each seat (None: every seat)."""
    seats = Constituency.objects.order_by("name")
    candidacies = Candidacy.objects.all()
    if slugs is not None:
        seats = seats.filter(slug__in=slugs)
        candidacies = candidacies.filter(constituency__slug__in=slugs)
    rows = {slug: [] for slug in seats.values_list("slug", flat=True)}
    for row in candidacies.for_download():
        rows[row["constituency__slug"]].append(row)
    return [(slug, csv_lines(CANDIDACY_COLUMNS, seat_rows)) for slug, seat_rows in rows.items()]


# The whole country's files, which every declaration changes by one seat's rows: each
# seat's lines are written once per change of that seat (pages.seats.PerSeat).
constituency_lines_now = PerSeat(constituency_lines)
candidacy_lines_now = PerSeat(candidacy_lines)
