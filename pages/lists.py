"""The lists that tell the night: every declared seat ranked by one figure or another.

Each list is a page (paginated: every seat it ranks) and a few lines on the home page.
All of them rank the same rows as the map (pages.seats, one query), so the home page's
lines cost nothing more however many lists there are.
"""

import heapq
from dataclasses import dataclass
from operator import attrgetter

from pages.seats import kept_sitting_mps
from results.links import page_url

ON_HOME = 3
# Lists of something else than declared seats: seats, and candidates.
STILL_TO_DECLARE = "still-to-declare"
DEFEATED_MPS = "defeated-mps"


@dataclass(frozen=True)
class NightList:
    """Declared seats (`declared(...)`: an undeclared seat's majority is 0) ranked by one
    of their figures, the seats without it left out.

    The rows come in name order (pages.seats), and both sorts here keep the order of
    rows that tie: seats with the same figure are listed by name."""

    slug: str
    title: str
    summary: str
    figure: str  # what it ranks by, an attribute of the rows: "majority", "swing", "turnout"
    descending: bool = False  # the largest first
    # Why a declared seat may have no figure to rank, said under the list.
    without_figure: str = ""

    @property
    def url(self):
        return page_url("pages:night-list", slug=self.slug)

    def rank(self, rows):
        """Every row it ranks, in order."""
        return sorted(self.ranked(rows), key=attrgetter(self.figure), reverse=self.descending)

    def top(self, rows, count):
        """The first `count` of rank(rows), without sorting them all (the home page's):
        nsmallest and nlargest are the first `count` of a sort, ties kept in order."""
        first = heapq.nlargest if self.descending else heapq.nsmallest
        return first(count, self.ranked(rows), key=attrgetter(self.figure))

    def ranked(self, rows):
        figure = attrgetter(self.figure)
        return [row for row in rows if figure(row) is not None]


@dataclass(frozen=True)
class DefeatedMP:
    name: str
    party: str
    party_short_name: str
    seat: object  # the figures of the seat lost (pages.seats.SeatFigures)


def defeated_mps(seats):
    """MPs who stood again and lost, the latest declared first (then by seat), each with
    the figures of the seat they lost, from `seats` (pages.seats.all_seats(at)):
    lost where the seat is declared and its winner is someone else."""
    sitting = kept_sitting_mps.by_slug()
    lost = [
        DefeatedMP(mp.name, mp.party, mp.party_short_name, seat)
        for seat in declared(seats)
        for mp in sitting[seat.slug]
        if mp.candidacy != seat.winner_id
    ]
    # The seats come in name order (pages.seats), which the sort keeps within a time.
    lost.sort(key=lambda mp: (mp.seat.declared_at is not None, mp.seat.declared_at), reverse=True)
    return lost


def declared(seats):
    """The seats declared, from `pages.seats.all_seats()`."""
    return [seat for seat in seats if seat.declared]


def latest_declared(seats):
    """The seats declared, the latest first, as Result.objects.latest_first orders them:
    by the time declared (those with none last), then the latest recorded, then by name.
    From the figures every page of the night reads, not a query of their own (sorting
    the results by a time with none last is a sort of every row in the database)."""
    # The seats come in name order (pages.seats), which sorts keep among ties.
    latest = sorted(declared(seats), key=attrgetter("recorded_at"), reverse=True)
    latest.sort(key=lambda seat: (seat.declared_at is not None, seat.declared_at), reverse=True)
    return latest


NIGHT_LISTS = {
    night_list.slug: night_list
    for night_list in (
        NightList(
            slug="closest-results",
            title="Closest results",
            summary="The seats won by the fewest votes.",
            figure="majority",
        ),
        NightList(
            slug="biggest-majorities",
            title="Biggest majorities",
            summary="The seats won by the most votes.",
            figure="majority",
            descending=True,
        ),
        NightList(
            slug="biggest-swings",
            title="Biggest swings",
            summary="The seats that moved most from the runner-up to the winner since 2019.",
            figure="swing",
            descending=True,
            # 43 of 650 at the end: Butler swing needs the change in share of both, and
            # the Speaker's seat has none (results.arithmetic.swing).
            without_figure=(
                "the winner or the runner-up had no 2019 share there to swing from (an "
                "independent, or a party that did not stand there in 2019), or it is the "
                "Speaker's seat, where the main parties do not stand"
            ),
        ),
        NightList(
            slug="highest-turnout",
            title="Highest turnout",
            summary="Where the largest share of the electorate voted.",
            figure="turnout",
            descending=True,
        ),
        NightList(
            slug="lowest-turnout",
            title="Lowest turnout",
            summary="Where the smallest share of the electorate voted.",
            figure="turnout",
        ),
    )
}
