"""The projection (results.projection, pure) from the database: every seat's 2019 notional
votes and, for those declared by a moment, their 2024 votes and winner."""

from collections import Counter, defaultdict
from dataclasses import dataclass

from results.models import Candidacy, Constituency, NotionalVote, Party, Result
from results.notionals import OTHERS, SPEAKER
from results.projection import PARTIES, SHOWN_METHOD, Projection, SeatShares, project

KEYS = frozenset(PARTIES) | {SPEAKER}


def projection_key(party):
    """The projection's name for a party (the Library's abbreviation), or OTHERS."""
    for label in (party.short_name, *party.aliases):
        if label in KEYS:
            return label
    return OTHERS


@dataclass(frozen=True)
class Projected:
    projection: Projection
    names: dict  # {projection key: the name readers know the party by}

    @property
    def rows(self):
        """(party name, seats) for each party with seats, most first."""
        return [
            (self.names.get(key, key), seats)
            for key, seats in self.projection.seats.items()
            if seats
        ]

    @property
    def is_shown(self):
        """Shown from enough seats declared, while seats remain: with all in, it is the
        result."""
        return self.projection.is_shown and self.projection.declared < self.projection.total


def projection_at(at=None, method=SHOWN_METHOD):
    """The projection from the seats declared (by `at`), with the parties' names; None
    where some seat has no 2019 notional result to project it from (the seeds alone).
    Five queries."""
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
    for pk, ons_code, region, nation in Constituency.objects.values_list(
        "pk", "ons_code", "region__name", "region__nation"
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
            )
        )
    return Projected(project(seats, method), names)
