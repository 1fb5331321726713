"""A party's page: its seats in the order readers look for them, and its figures."""

from dataclasses import dataclass

from results.models import Candidacy, Outcome, Result

GAIN, LOSS, HOLD, SECOND = "gain", "loss", "hold", "second"
ORDER = (GAIN, LOSS, HOLD, SECOND)


@dataclass(frozen=True)
class PartySeat:
    kind: str  # GAIN, LOSS, HOLD or SECOND, from the party's side
    result: Result

    @property
    def constituency(self):
        return self.result.constituency


def party_seats(party):
    """The seats a party gained, lost, held, and came second in, in that order and each
    by name (two queries)."""
    seats = []
    for result in Result.objects.won_or_lost_by(party):
        if result.winner.party_id != party.pk:
            kind = LOSS
        else:
            kind = GAIN if result.outcome == Outcome.GAIN else HOLD
        seats.append(PartySeat(kind, result))
    seconds = (
        Candidacy.objects.placed(2)
        .filter(party=party)
        .select_related(
            "constituency__result__winner__party",
            "constituency__result__gained_from",
        )
    )
    seats += [PartySeat(SECOND, candidacy.constituency.result) for candidacy in seconds]
    seats.sort(key=lambda seat: (ORDER.index(seat.kind), seat.constituency.name))
    return seats
