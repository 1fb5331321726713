"""The figures as CSV: each file's columns, named and described once, for the files and
for the page that documents them."""

import csv
import io
from dataclasses import dataclass

from django.http import HttpResponse
from django.utils.timezone import localtime


@dataclass(frozen=True)
class Column:
    name: str
    description: str
    value: object  # (row) -> the cell


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


CONSTITUENCY_COLUMNS = (
    Column(
        "ons_code", "ONS code of the constituency (2024 boundaries)", lambda c: c.ons_code or ""
    ),
    Column("constituency", "Name of the constituency", lambda c: c.name),
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
    Column("majority", "Winner's votes less the runner-up's", from_result(lambda r: r.majority)),
    Column(
        "winner_share",
        "Winner's share of the valid votes, %",
        from_result(lambda r: r.winner.share),
    ),
    Column("electorate", "Registered electors", from_result(lambda r: blank_if_none(r.electorate))),
    Column("valid_votes", "Valid votes cast", from_result(lambda r: blank_if_none(r.valid_votes))),
    Column(
        "invalid_votes", "Rejected ballots", from_result(lambda r: blank_if_none(r.invalid_votes))
    ),
    Column(
        "turnout",
        "Valid votes as a share of the electorate, %",
        from_result(lambda r: blank_if_none(r.turnout)),
    ),
    Column(
        "declared_at",
        "When the result was declared, UK time (ISO 8601)",
        from_result(lambda r: localtime(r.declared_at).isoformat() if r.declared_at else ""),
    ),
)


def csv_response(columns, rows, filename):
    """A UTF-8 CSV with a header row of the columns' names."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(column.name for column in columns)
    for row in rows:
        writer.writerow(column.value(row) for column in columns)
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
