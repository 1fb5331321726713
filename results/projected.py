"""The projection (results.projection, pure) from the database: every seat's 2019 notional
votes and, for those declared by a moment, their 2024 votes and winner, with the exit poll
published by then as the seat model's prior."""

from collections import Counter, defaultdict
from dataclasses import dataclass

from results.models import Candidacy, Constituency, ExitPollLine, NotionalVote, Party, Result
from results.notionals import OTHERS, SPEAKER
from results.projection import (
    SHOWN_METHOD,
    Projection,
    SeatShares,
    prior_from,
    project,
    projection_key_of,
)


def projection_key(party):
    """The projection's name for a party (the Library's abbreviation), or OTHERS."""
    return projection_key_of(party.short_name, party.aliases)


@dataclass(frozen=True)
class ProjectedRow:
    name: str
    seats: int
    fewest: int | None = None
    most: int | None = None

    @property
    def has_range(self):
        return self.fewest is not None and (self.fewest, self.most) != (self.seats, self.seats)


@dataclass(frozen=True)
class Projected:
    projection: Projection
    names: dict  # {projection key: the name readers know the party by}
    has_prior: bool = False  # whether an exit poll was the seat model's starting point

    @property
    def rows(self):
        """(party name, seats) for each party with seats, most first."""
        return [(row.name, row.seats) for row in self.ranged_rows]

    @property
    def ranged_rows(self):
        """A ProjectedRow, with the range where the method gives one, for each party with
        seats, most first."""
        ranges = self.projection.ranges
        return [
            ProjectedRow(self.names.get(key, key), seats, *ranges.get(key, (None, None)))
            for key, seats in self.projection.seats.items()
            if seats
        ]

    @property
    def is_shown(self):
        """Shown from enough seats declared, while seats remain: with all in, it is the
        result."""
        return self.projection.is_shown and self.projection.declared < self.projection.total


def exit_poll_prior(at):
    """{projection key: seats} of the exit poll published by `at` (now if None), or None.
    One query."""
    lines = list(ExitPollLine.objects.published_by(at))
    if not lines:
        return None
    return prior_from(
        (OTHERS if line.party is None else projection_key(line.party), line.seats) for line in lines
    )


def projection_at(at=None, method=SHOWN_METHOD):
    """The projection from the seats declared (by `at`), with the parties' names; None
    where some seat has no 2019 notional result to project it from (the seeds alone).
    Six queries."""
    parties = list(Party.objects.order_by("pk"))
    keys = {party.pk: projection_key(party) for party in parties}
    names = {OTHERS: "Others", SPEAKER: "Speaker"}
    for party in parties:
        names.setdefault(keys[party.pk], party.name)
    notional = defaultdict(Counter)
    for seat, party, votes in NotionalVote.objects.values_list("constituency", "party", "votes"):
        notional[seat][keys.get(party, OTHERS)] += votes
    results = Result.objects.all() if at is None else Result.objects.declared_by(at)
    winners = dict(results.values_list("constituency", "winner__party"))
    counted = Candidacy.objects.filter(constituency__result__isnull=False)
    if at is not None:
        counted = counted.filter(constituency__result__declared_at__lte=at)
    declared = defaultdict(Counter)
    for seat, party, votes in counted.values_list("constituency", "party", "votes"):
        declared[seat][keys[party]] += votes
    seats = []
    for pk, ons_code, region, nation, electorate in Constituency.objects.values_list(
        "pk", "ons_code", "region__name", "region__nation", "notional_electorate"
    ):
        if not notional[pk]:
            return None
        is_declared = pk in winners and sum(declared[pk].values()) > 0
        seats.append(
            SeatShares.from_votes(
                ons_code=ons_code or str(pk),
                region=region or "",
                nation=nation or "",
                notional_votes=notional[pk],
                declared_votes=declared[pk] if is_declared else None,
                winner=keys[winners[pk]] if is_declared else None,
                electorate=electorate,
            )
        )
    prior = exit_poll_prior(at)
    return Projected(project(seats, method, prior=prior), names, has_prior=prior is not None)
