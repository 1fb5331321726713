"""A party's page: its seats in the order readers look for them, and its figures."""

from dataclasses import dataclass

from django.db.models import Q

from results.models import Candidacy, Outcome, Result

GAIN, LOSS, HOLD, SECOND = "gain", "loss", "hold", "second"
ORDER = (GAIN, LOSS, HOLD, SECOND)


@dataclass(frozen=True)
class PartySeat:
    """A seat on a party's page: what it was for the party, and where."""

    kind: str  # GAIN, LOSS, HOLD or SECOND, from the party's side
    result_pk: int
    name: str  # the constituency's
    slug: str


@dataclass(frozen=True)
class ShownSeat:
    kind: str
    result: Result

    @property
    def constituency(self):
        return self.result.constituency


def party_seats(party):
    """The seats a party gained, lost, held, and came second in, in that order and each
    by name: plain values, not models, as the biggest party has hundreds (two queries)."""
    seats = []
    for pk, name, slug, winner_party, outcome in Result.objects.filter(
        Q(winner__party=party) | Q(gained_from=party)
    ).values_list("pk", "constituency__name", "constituency__slug", "winner__party", "outcome"):
        won = GAIN if outcome == Outcome.GAIN else HOLD
        kind = won if winner_party == party.pk else LOSS
        seats.append(PartySeat(kind, pk, name, slug))
    seconds = (
        Candidacy.objects.placed(2)
        .filter(party=party)
        .values_list("constituency__result", "constituency__name", "constituency__slug")
    )
    seats += [PartySeat(SECOND, *second) for second in seconds]
    seats.sort(key=lambda seat: (ORDER.index(seat.kind), seat.name))
    return seats


def shown(seats):
    """The seats with their results, as the page shows them (one query)."""
    results = Result.objects.with_parties().in_bulk([seat.result_pk for seat in seats])
    return [ShownSeat(seat.kind, results[seat.result_pk]) for seat in seats]
