"""Where a result's figures came from, as a record and in words: a seed page and its
line, the Library's file, edition and row, or the results desk member who entered them
and when; and what another source gave otherwise (`Result.discrepancies`), with why the
figure shown was chosen. The page, the API and the CSV all say it from here."""

from dataclasses import dataclass
from datetime import datetime

from results.models import ResultSource
from results.national import LIBRARY_FILES
from results.times import uk_time_of

# The Library's files by the names it gives them.
LIBRARY_TITLES = {
    LIBRARY_FILES["constituencies"]: "results by constituency",
    LIBRARY_FILES["candidates"]: "results by candidate",
}
SHOWN_BY = {ResultSource.NATIONAL: "the Library's", ResultSource.DESK: "the results desk's"}
# How a figure reads, and what it means where the sources define it differently.
FIGURES = {
    "turnout": ("turnout", "{}%", " (valid votes as a share of the electorate)"),
    "majority": ("the majority", "{:,}", ""),
    "outcome": ("the result", "{}", ""),
}


@dataclass(frozen=True)
class Provenance:
    kind: str  # a ResultSource: seed, national or desk
    document: str
    line: int | None
    edition: str
    entered_by: str  # the desk's
    entered_at: datetime | None
    discrepancies: tuple[dict, ...]
    shown: dict  # {field: the figure shown}, for the fields another source gave otherwise

    @property
    def in_words(self):
        """`Source: House of Commons Library, results by constituency, updated 12
        September 2024, row 314.`, `Source: seed page kent.html, line 80.` or `Source:
        results desk, entered by Dana at 02:14:07, Friday 5 July.`"""
        if self.kind == ResultSource.SEED:
            parts = [f"seed page {self.document}" if self.document else "seed page"]
            parts.append(self.line and f"line {self.line}")
        elif self.kind == ResultSource.NATIONAL:
            # A spreadsheet's row is the file's line: the header is row 1, and no cell of
            # the Library's files spans lines.
            title = LIBRARY_TITLES.get(self.document, self.document)
            parts = ["House of Commons Library", title, self.edition]
            parts.append(self.line and f"row {self.line}")
        else:
            entered = "results desk"
            if self.entered_by:
                entered += f", entered by {self.entered_by}"
            if self.entered_at:
                # With its day: the desk works on after the night, into the next days.
                entered += f" at {uk_time_of(self.entered_at):%H:%M:%S, %A %-d %B}"
            parts = [entered]
        return "Source: " + ", ".join(part for part in parts if part) + "."

    def note(self, shows="this page shows"):
        """What other sources gave, and the choice: `The seed page gave turnout as
        64.30%; this page shows the Library's 63.30% (valid votes as a share of the
        electorate).` Empty where no source disagreed."""
        sentences = []
        for discrepancy in self.discrepancies:
            field = discrepancy["field"]
            name, form, meaning = FIGURES.get(field, (field, "{}", ""))
            theirs, ours = figure(form, discrepancy["value"]), figure(form, self.shown[field])
            sentences.append(
                f"The seed page gave {name} as {theirs}; {shows} "
                f"{SHOWN_BY.get(self.kind, 'its')} {ours}{meaning}."
            )
        return " ".join(sentences)


def figure(form, value):
    """A figure as text in its form: a majority's thousands, a turnout's percent sign."""
    if form == "{:,}":
        value = int(value)
    return form.format(value)


def provenance_of(result, *, entered_by="", entered_at=None):
    """The source of a result's figures; `entered_by` and `entered_at`, who last changed
    it and when (ConstituencyQuerySet.with_last_change), name the desk's entry."""
    discrepancies = tuple(result.discrepancies or ())
    return Provenance(
        kind=result.source,
        document=result.source_document,
        line=result.source_line,
        edition=result.source_edition,
        entered_by=entered_by if result.source == ResultSource.DESK else "",
        entered_at=entered_at if result.source == ResultSource.DESK else None,
        discrepancies=discrepancies,
        shown={d["field"]: getattr(result, d["field"], "") for d in discrepancies},
    )
