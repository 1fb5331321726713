"""Scoreboards as readers see them: national (as published) and per county (computed)."""

from collections import Counter
from dataclasses import dataclass

from results.models import Party, PublishedScoreboard

OTHERS_COLOUR = Party.UNKNOWN_COLOUR


@dataclass(frozen=True)
class ScoreboardRow:
    label: str
    seats: int
    change: int
    party: Party | None = None

    @property
    def colour(self):
        return self.party.colour if self.party else OTHERS_COLOUR

    @property
    def short_name(self):
        return self.party.short_name if self.party else self.label[:3].upper()


@dataclass(frozen=True)
class BarSegment:
    row: ScoreboardRow
    x: int
    width: int


@dataclass(frozen=True)
class Scoreboard:
    rows: tuple[ScoreboardRow, ...]
    total_seats: int
    seats_for_majority: int
    seats_to_go: int

    @property
    def seats_declared(self):
        return self.total_seats - self.seats_to_go

    @property
    def leader(self):
        return max(self.rows, key=lambda row: row.seats, default=None)

    @property
    def headline(self):
        """One sentence: who has won, or who leads, and how that stands to a majority."""
        leader = self.leader
        if leader is None or leader.seats == 0:
            return "No seats declared yet."
        if leader.seats >= self.seats_for_majority:
            margin = leader.seats - self.seats_for_majority
            return (
                f"{leader.label} has won a majority: {leader.seats} seats, {margin} more than "
                f"the {self.seats_for_majority} needed."
            )
        short = self.seats_for_majority - leader.seats
        return (
            f"{leader.label} leads with {leader.seats} seats, {short} short of the "
            f"{self.seats_for_majority} needed for a majority."
        )

    def bar(self):
        """The seat bar's segments, in seat units (the bar is `total_seats` wide)."""
        segments = []
        x = 0
        for row in self.rows:
            if row.seats:
                segments.append(BarSegment(row=row, x=x, width=row.seats))
                x += row.seats
        return segments


def published_scoreboard():
    """The national scoreboard as the seed pages printed it, or None (two queries)."""
    published = PublishedScoreboard.objects.latest()
    if published is None:
        return None
    return Scoreboard(
        rows=tuple(
            ScoreboardRow(label=t.label, seats=t.seats, change=t.change, party=t.party)
            for t in published.tallies.all()
        ),
        total_seats=published.election.total_seats,
        seats_for_majority=published.seats_for_majority,
        seats_to_go=published.seats_to_go,
    )


def tally_of(constituencies):
    """Seats by party among the declared ones, with the change since 2019 (notional).

    A GAIN adds one to the winner and takes one from the party that held the seat
    notionally in 2019; the order is by seats, then by name.
    """
    seats = Counter()
    change = Counter()
    parties = {}
    for constituency in constituencies:
        result = getattr(constituency, "result", None)
        if result is None:
            continue
        winner = result.winner.party
        parties[winner.pk] = winner
        seats[winner.pk] += 1
        notional = constituency.notional_winner
        if notional is not None and notional != winner:
            parties[notional.pk] = notional
            change[winner.pk] += 1
            change[notional.pk] -= 1
    rows = [
        ScoreboardRow(label=party.name, seats=seats[pk], change=change[pk], party=party)
        for pk, party in parties.items()
    ]
    return sorted(rows, key=lambda row: (-row.seats, row.change, row.label))
