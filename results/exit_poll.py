"""Parse the broadcasters' exit poll (seats per party, for the country) from CSV. No database.

The file is `exit-poll-2024.csv` (see shared/data/ge2024/SOURCE.md): a header `party,seats`,
then one line per party as broadcast ("Labour", "Others"), in the order announced. Rules:

- Labels are kept as printed; matching them to parties is the importer's job.
- Seats are whole numbers from 0 to 650; a label twice is an error naming both lines.
- The seats may add up to fewer than the House (a poll may leave seats out), never more.
"""

from dataclasses import dataclass

from results.documents import DocumentError
from results.national import read_rows

HOUSE_OF_COMMONS = 650


@dataclass(frozen=True)
class ExitPollSeats:
    """One line of the exit poll: the seats projected for one party (or "Others")."""

    label: str
    seats: int
    line: int


def parse_exit_poll_csv(text, source="<text>"):
    """The exit poll's lines, in the file's order."""
    lines = []
    seen = {}
    for row in read_rows(text, source, ("party", "seats")):
        label = row.required("party")
        seats = row.whole_number("seats")
        if label.casefold() in seen:
            raise DocumentError(
                source,
                row.line,
                f"party {label!r} appears twice (first on line {seen[label.casefold()]})",
            )
        if seats > HOUSE_OF_COMMONS:
            raise DocumentError(source, row.line, f"seats {seats} is more than {HOUSE_OF_COMMONS}")
        seen[label.casefold()] = row.line
        lines.append(ExitPollSeats(label, seats, row.line))
    total = sum(line.seats for line in lines)
    if total > HOUSE_OF_COMMONS:
        raise DocumentError(
            source, lines[-1].line, f"the seats add up to {total}, more than {HOUSE_OF_COMMONS}"
        )
    return lines
