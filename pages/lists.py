"""The lists that tell the night: every declared seat ranked by one figure or another.

Each list is a page (paginated: every seat it ranks) and a few lines on the home page.
All of them rank the same rows as the map (pages.seats, one query), so the home page's
lines cost nothing more however many lists there are.
"""

from dataclasses import dataclass

from pages.seats import sitting_mps_now
from results.links import page_url

ON_HOME = 3
# Lists of something else than declared seats: seats, and candidates.
STILL_TO_DECLARE = "still-to-declare"
DEFEATED_MPS = "defeated-mps"


@dataclass(frozen=True)
class NightList:
    slug: str
    title: str
    summary: str
    figure: str  # what the list ranks by: "majority" or "turnout"
    rank: object  # (rows) -> the rows it ranks, in order

    @property
    def url(self):
        return page_url("pages:night-list", slug=self.slug)


@dataclass(frozen=True)
class DefeatedMP:
    name: str
    party: str
    party_short_name: str
    seat: object  # the figures of the seat lost (pages.seats.SeatFigures)


def defeated_mps(seats):
    """MPs who stood again and lost, the latest declared first (then by seat), each with
    the figures of the seat they lost, from `seats` (pages.seats.seat_figures(at)):
    lost where the seat is declared and its winner is someone else."""
    sitting = sitting_mps_now.by_slug()
    lost = sorted(declared(seats), key=lambda seat: seat.name)
    lost.sort(key=lambda seat: (seat.declared_at is not None, seat.declared_at), reverse=True)
    return [
        DefeatedMP(mp.name, mp.party, mp.party_short_name, seat)
        for seat in lost
        for mp in sitting[seat.slug]
        if mp.candidacy != seat.winner_id
    ]


def declared(seats):
    """The seats declared, from `pages.seats.seat_figures()`."""
    return [seat for seat in seats if seat.declared]


def latest_declared(seats):
    """The seats declared, the latest first, as Result.objects.latest_first orders them:
    by the time declared (those with none last), then the latest recorded, then by name.
    From the figures every page of the night reads, not a query of their own (sorting
    the results by a time with none last is a sort of every row in the database)."""
    latest = sorted(declared(seats), key=lambda seat: seat.name)
    latest.sort(key=lambda seat: seat.recorded_at, reverse=True)  # sorts are stable
    latest.sort(key=lambda seat: (seat.declared_at is not None, seat.declared_at), reverse=True)
    return latest


def with_turnout(rows):
    return [row for row in rows if row.turnout is not None]


def with_swing(rows):
    return [row for row in rows if row.swing is not None]


NIGHT_LISTS = {
    night_list.slug: night_list
    for night_list in (
        NightList(
            slug="closest-results",
            title="Closest results",
            summary="The seats won by the fewest votes.",
            figure="majority",
            rank=lambda rows: sorted(rows, key=lambda row: (row.majority, row.name)),
        ),
        NightList(
            slug="biggest-majorities",
            title="Biggest majorities",
            summary="The seats won by the most votes.",
            figure="majority",
            rank=lambda rows: sorted(rows, key=lambda row: (-row.majority, row.name)),
        ),
        NightList(
            slug="biggest-swings",
            title="Biggest swings",
            summary="The seats that moved most from the runner-up to the winner since 2019.",
            figure="swing",
            rank=lambda rows: sorted(with_swing(rows), key=lambda row: (-row.swing, row.name)),
        ),
        NightList(
            slug="highest-turnout",
            title="Highest turnout",
            summary="Where the largest share of the electorate voted.",
            figure="turnout",
            rank=lambda rows: sorted(with_turnout(rows), key=lambda row: (-row.turnout, row.name)),
        ),
        NightList(
            slug="lowest-turnout",
            title="Lowest turnout",
            summary="Where the smallest share of the electorate voted.",
            figure="turnout",
            rank=lambda rows: sorted(with_turnout(rows), key=lambda row: (row.turnout, row.name)),
        ),
    )
}
