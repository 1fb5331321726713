"""The map of every seat: a square per seat, grouped by nation and region, coloured by the
party that won it (grey while it awaits its declaration).

There is no geography in the data here to lay out a hex cartogram, so the map is a grid
by region, the regions in order from north to south. Within a region the seats run party
by party (the parties with most seats nationally first), holds before gains, so each
region reads as its share of seats. Each region is an SVG, each square in it a link to
its seat named like "Kettering: Labour gain from Conservative"; the table of every seat
is its text equivalent. Squares are 20 px with 4 px between them, so no link is closer
than 24 px to the next (WCAG 2.5.8), and a region is COLUMNS squares wide, which fits
the narrowest phone.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass

from results.links import page_url
from results.models import Constituency, Outcome, verdict_in_words

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
AWAITING_COLOUR = "#f4f5f7"
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


@dataclass(frozen=True)
class RegionTiles:
    name: str
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


def seat_map(at=None):
    """Every region's squares, with each seat's result as it stood `at` a moment."""
    rows = list(Constituency.objects.seat_map_rows())
    regions = defaultdict(list)
    for row in rows:
        declared_at = row["result__declared_at"]
        if at is not None and (declared_at is None or declared_at > at):
            row["result__winner__party__slug"] = None
        row["colour"] = row.pop("result__winner__party__colour")
        regions[(row["region__name"] or "", row["region__slug"] or "")].append(row)
    won = Counter(row["result__winner__party__slug"] for row in rows)
    rank = {slug: place for place, (slug, _) in enumerate(won.most_common())}
    order = {name: place for place, name in enumerate(REGION_ORDER)}
    return [
        region_tiles(name, slug, seats, rank)
        for (name, slug), seats in sorted(
            regions.items(), key=lambda item: (order.get(item[0][0], len(order)), item[0][0])
        )
    ]


def region_tiles(name, slug, seats, rank):
    runs = defaultdict(list)
    for seat in seats:
        party = seat["result__winner__party__slug"]
        if party is None:
            runs[(len(rank), False, "", AWAITING_COLOUR)].append((seat, AWAITING))
            continue
        verdict = verdict_in_words(
            seat["result__winner__party__name"],
            seat["result__outcome"],
            seat["result__gained_from__name"],
        )
        gain = seat["result__outcome"] == Outcome.GAIN
        key = (rank[party], gain, seat["result__gained_from__name"] or "", seat["colour"])
        runs[key].append((seat, verdict))
    groups = []
    place = 0
    for (_, gain, _, colour), run in sorted(runs.items()):
        tiles = []
        for seat, verdict in run:
            row, column = divmod(place, COLUMNS)
            tiles.append(
                Tile(
                    url=page_url("pages:constituency-detail", slug=seat["slug"]),
                    label=f"{seat['name']}: {verdict}",
                    x=column * PITCH,
                    y=row * PITCH,
                )
            )
            place += 1
        groups.append(
            TileGroup(colour=colour, declared=colour != AWAITING_COLOUR, gain=gain, tiles=tiles)
        )
    return RegionTiles(
        name=name or "Seats not yet placed in a region",
        url=page_url("pages:region-detail", slug=slug) if slug else "",
        declared=sum(len(group.tiles) for group in groups if group.declared),
        total=place,
        groups=tuple(groups),
    )
