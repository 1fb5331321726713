"""A party's page: its seats in the order readers look for them, and its figures."""

from dataclasses import dataclass

from pages.seats import SeatFigures
from results.models import Outcome

GAIN, LOSS, HOLD, SECOND = "gain", "loss", "hold", "second"
ORDER = (GAIN, LOSS, HOLD, SECOND)


@dataclass(frozen=True)
class PartySeat:
    """A seat on a party's page: what it was for the party, and its figures."""

    kind: str  # GAIN, LOSS, HOLD or SECOND, from the party's side
    seat: SeatFigures


def party_seats(party, seats):
    """The seats among `seats` (pages.seats) a party gained, lost, held, and came second
    in, in that order and each by name. A seat it lost and came second in is both."""
    found = []
    for seat in seats:
        if not seat.declared:
            continue
        if seat.party_slug == party.slug:
            found.append(PartySeat(GAIN if seat.outcome == Outcome.GAIN else HOLD, seat))
            continue
        if seat.gained_from_slug == party.slug:
            found.append(PartySeat(LOSS, seat))
        if seat.runner_up_party_slug == party.slug:
            found.append(PartySeat(SECOND, seat))
    found.sort(key=lambda found_seat: (ORDER.index(found_seat.kind), found_seat.seat.name))
    return found
