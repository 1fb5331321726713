"""The map of every seat: a square per seat, grouped by nation and region, coloured by the
party that won it (grey while it awaits its declaration).

There is no geography in the data here to lay out a hex cartogram, so the map is a grid
by region, the regions in order from north to south. Within a region the seats run party
by party (the party with most seats there first), holds before gains, so each region
reads as its share of seats, and is drawn from its own seats alone (on the night, the
fragment `seat-map:<region>` of the home page: pages.fragments). Each region is an
SVG, each square in it a link to its seat named like "Kettering: Labour gain from
Conservative"; the table of every seat
is its text equivalent. Squares are 20 px with 4 px between them, so no link is closer
than 24 px to the next (WCAG 2.5.8), and a region is COLUMNS squares wide, which fits
the narrowest phone.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass
from html import escape

from django.utils.safestring import mark_safe

from pages.seats import seats_of_place
from results import colours
from results.links import page_url
from results.models import Outcome

# North to south, as the nations and English regions sit on a map.
REGION_ORDER = (
    "Scotland",
    "Northern Ireland",
    "North East",
    "North West",
    "Yorkshire and The Humber",
    "Wales",
    "West Midlands",
    "East Midlands",
    "East of England",
    "London",
    "South East",
    "South West",
)
AWAITING = "awaiting declaration"
AWAITING_COLOUR = colours.WASH
COLUMNS = 12
PITCH = 24  # px from one square to the next
SQUARE = 20


@dataclass(frozen=True)
class Tile:
    url: str
    label: str
    x: int
    y: int


@dataclass(frozen=True)
class TileGroup:
    """Seats of one region with one verdict: a run of squares in one colour."""

    colour: str
    declared: bool
    gain: bool
    tiles: tuple[Tile, ...]

    @property
    def squares(self):
        """The squares' SVG: written here, not in the template, as 650 of them would
        cost the template thousands of lookups and number formats on every render."""
        return mark_safe(
            "".join(
                f'<a href="{escape(tile.url)}"><title>{escape(tile.label)}</title>'
                f'<rect x="{tile.x:d}" y="{tile.y:d}"/></a>'
                for tile in self.tiles
            )
        )


@dataclass(frozen=True)
class RegionTiles:
    name: str
    slug: str
    url: str  # "" for seats not yet placed in a region (the seeds alone)
    declared: int
    total: int
    groups: tuple[TileGroup, ...]

    @property
    def width(self):
        return min(self.total, COLUMNS) * PITCH - (PITCH - SQUARE)

    @property
    def height(self):
        return -(-self.total // COLUMNS) * PITCH - (PITCH - SQUARE)


@dataclass(frozen=True)
class RegionFragment:
    """A region the page shows as its fragment, `seat-map:<fragment>`."""

    fragment: str


def seat_map(seats):
    """Every region's squares, from `pages.seats.all_seats()`."""
    return [
        region_tiles(name, slug, region_seats) for name, slug, region_seats in regions_of(seats)
    ]


def live_seat_map(seats, view=""):
    """The map now: each region placed in one as its fragment (`view`: "" or "gains")."""
    return [
        RegionFragment(f"{slug}:{view}" if view else slug)
        if slug
        else region_tiles(name, slug, region_seats)
        for name, slug, region_seats in regions_of(seats)
    ]


def regions_of(seats):
    """(name, slug, seats) for each region, north to south; seats in none last."""
    regions = defaultdict(list)
    for seat in seats:
        regions[(seat.region_name, seat.region_slug)].append(seat)
    order = {name: place for place, name in enumerate(REGION_ORDER)}
    return [
        (name, slug, region_seats)
        for (name, slug), region_seats in sorted(
            regions.items(), key=lambda item: (order.get(item[0][0], len(order)), item[0][0])
        )
    ]


def region_tiles(name, slug, seats):
    won = Counter(seat.party_slug for seat in seats if seat.declared)
    # Most seats first; a tie goes by the party's slug, so a region is drawn the same
    # way whenever it is drawn.
    ranked = sorted(won, key=lambda party: (-won[party], party))
    rank = {party: place for place, party in enumerate(ranked)}
    runs = defaultdict(list)
    for seat in seats:
        if not seat.declared:
            runs[(len(rank), False, "", AWAITING_COLOUR)].append((seat, AWAITING))
            continue
        gain = seat.outcome == Outcome.GAIN
        runs[(rank[seat.party_slug], gain, seat.gained_from, seat.colour)].append(
            (seat, seat.verdict)
        )
    groups = []
    place = 0
    for (party_rank, gain, _, colour), run in sorted(runs.items()):
        tiles = []
        for seat, verdict in run:
            row, column = divmod(place, COLUMNS)
            tiles.append(
                Tile(url=seat.url, label=f"{seat.name}: {verdict}", x=column * PITCH, y=row * PITCH)
            )
            place += 1
        # Awaiting seats rank after every party, rather than being told by their colour,
        # which a party may be given too.
        declared = party_rank < len(rank)
        groups.append(TileGroup(colour=colour, declared=declared, gain=gain, tiles=tuple(tiles)))
    return RegionTiles(
        name=name or "Seats not yet placed in a region",
        slug=slug,
        url=page_url("pages:region-detail", slug=slug) if slug else "",
        declared=sum(len(group.tiles) for group in groups if group.declared),
        total=place,
        groups=tuple(groups),
    )


def region_now(argument):
    """A region's squares now, for its fragment `seat-map:<slug>[:<view>]`: (the region's
    tiles or None, the view)."""
    slug, _, view = argument.partition(":")
    seats = seats_of_place("region", slug, None)
    if not seats:
        return None, view
    return region_tiles(seats[0].region_name, slug, seats), view
