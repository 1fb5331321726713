"""The broadcasters' exit poll: its CSV parsed (no database), and its figures as pages show
them (`ExitPollFigures`, from the lines `ExitPollLine.objects.published_by` reads).

The file is `exit-poll-2024.csv` (see shared/data/ge2024/SOURCE.md): a header `party,seats`,
then one line per party as broadcast ("Labour", "Others"), in the order announced. Rules:

- Labels are kept as printed; matching them to parties is the importer's job.
- Seats are whole numbers from 0 to 650; a label twice is an error naming both lines.
- The seats may add up to fewer than the House (a poll may leave seats out), never more.
"""

from dataclasses import dataclass

from results.documents import DocumentError
from results.national import read_rows
from results.projection import MINIMUM_DECLARED

HOUSE_OF_COMMONS = 650
# Who made 2024's poll (shared/data/ge2024/SOURCE.md); the file itself does not say.
POLL_2024_SOURCE = "Ipsos for BBC, ITV News and Sky News"
# The line for every party the poll does not name: no party of its own.
OTHERS = "Others"
# The poll leads the pages until this many seats have declared: from then on the
# projection, which rests on declared seats, is shown (results.projection).
LEADS_UNTIL_DECLARED = MINIMUM_DECLARED


def is_others(label):
    """Whether a printed label is the poll's line for every other party ("Others")."""
    return label.strip().casefold() in {"others", "other", "other parties"}


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


@dataclass(frozen=True)
class ExitPollFigures:
    """An exit poll as pages show it: `poll` (an ExitPoll, its election loaded) and its
    `lines` (ExitPollLine, parties loaded), in the order announced."""

    poll: object
    lines: tuple

    @classmethod
    def of(cls, lines):
        """The figures of `ExitPollLine.objects.published_by(...)`'s lines; None if none."""
        lines = tuple(lines)
        return cls(lines[0].exit_poll, lines) if lines else None

    @property
    def leader(self):
        """The party line with most seats (the first announced of a tie)."""
        parties = [line for line in self.lines if line.party_id]
        return max(parties, key=lambda line: line.seats, default=None)

    @property
    def majority(self):
        """The leader's majority over every other seat in the House, as the press gives
        it ("Labour majority 170": 410 seats against 240); 0 or less is a hung House."""
        leader = self.leader
        house = self.poll.election.total_seats
        return leader.seats - (house - leader.seats) if leader else 0

    @property
    def short_by(self):
        """How many seats the leader lacks for a majority of the House (0 if none)."""
        leader = self.leader
        needed = self.poll.election.seats_for_majority
        return max(needed - leader.seats, 0) if leader else needed

    @property
    def verdict(self):
        """`Labour majority 170`, or `Hung parliament: Labour 16 short of a majority`."""
        leader = self.leader
        if leader is None:
            return ""
        if self.majority > 0:
            return f"{leader.label} majority {self.majority}"
        return f"Hung parliament: {leader.label} {self.short_by} short of a majority"

    @property
    def leads_until(self):
        return LEADS_UNTIL_DECLARED

    def leads(self, seats_declared):
        """Whether the poll leads the pages, `seats_declared` having declared."""
        return seats_declared < LEADS_UNTIL_DECLARED
