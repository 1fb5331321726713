"""What changed hands: the seats won from another party, and the table of 2019 holder by
2024 winner, worked out from the seats already read (pages.seats), without a query."""

from collections import Counter
from dataclasses import dataclass
from urllib.parse import urlencode

from results.links import page_url
from results.models import Outcome


@dataclass(frozen=True)
class PartyName:
    slug: str
    name: str
    short_name: str


@dataclass(frozen=True)
class Cell:
    seats: int  # 0: none, shown empty
    url: str = ""
    held: bool = False  # the party's own seats, kept


@dataclass(frozen=True)
class FromRow:
    party: PartyName  # the 2019 (notional) holder
    cells: tuple  # Cell per column, in the columns' order
    seats: int  # held in 2019, of those declared


@dataclass(frozen=True)
class ChangedHands:
    declared: int
    changed: int
    columns: tuple  # PartyName of each 2024 winner, most seats first
    column_seats: tuple  # seats each won
    rows: tuple  # FromRow of each 2019 holder, most seats first


def holder_of(seat):
    """(slug, name, short name) of the party that held a declared seat in 2019
    (notionally): the party it was gained from, or its winner's if held."""
    if seat.outcome == Outcome.GAIN and seat.gained_from_slug:
        return seat.gained_from_slug, seat.gained_from, seat.gained_from_short_name
    return seat.party_slug, seat.party, seat.party_short_name


def changed_hands(seats):
    """The seats declared among `seats` (SeatFigures), how many changed hands, and each
    (2019 holder, 2024 winner) pair's count, each linked to the list of its seats (a
    replayed page's links keep its moment: pages.replay_links)."""
    declared = [seat for seat in seats if seat.declared]
    names, pairs = {}, Counter()
    for seat in declared:
        held = holder_of(seat)
        won = (seat.party_slug, seat.party, seat.party_short_name)
        names.setdefault(held[0], PartyName(*held))
        names.setdefault(won[0], PartyName(*won))
        pairs[held[0], won[0]] += 1
    won_by, held_by = Counter(), Counter()
    for (held, won), number in pairs.items():
        won_by[won] += number
        held_by[held] += number

    def order(counts):
        return sorted(counts, key=lambda slug: (-counts[slug], names[slug].name))

    columns = order(won_by)
    rows = tuple(
        FromRow(
            party=names[held],
            cells=tuple(
                Cell(
                    seats=pairs[held, won],
                    url=seats_url(held, won) if pairs[held, won] else "",
                    held=held == won,
                )
                for won in columns
            ),
            seats=held_by[held],
        )
        for held in order(held_by)
    )
    return ChangedHands(
        declared=len(declared),
        changed=sum(1 for seat in declared if seat.outcome == Outcome.GAIN),
        columns=tuple(names[slug] for slug in columns),
        column_seats=tuple(won_by[slug] for slug in columns),
        rows=rows,
    )


def seats_url(held, won):
    """The list of every seat held in 2019 by one party and won in 2024 by another."""
    query = {"held": held, "party": won}
    return f"{page_url('pages:constituency-list')}?{urlencode(query)}"
