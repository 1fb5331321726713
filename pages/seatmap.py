"""The map of every seat: a hex cartogram (Open Innovations' map of the 2024 boundaries,
fixtures/hexmap/, MIT licence), a hexagon per seat in about its place, coloured by the
party that won it.

Each hexagon is a link to its seat named with its verdict ("Kettering: Labour gain from
Conservative"); the key lists the parties shown with their seats. What colour alone
would tell is marked too: a seat awaiting its result is white with a dotted outline, a
gain carries a dot, the Speaker's seat an S and an Independent's an I, each mark in ink
or white, whichever stands out more from the hexagon's colour (WCAG 1.4.11: at least
3:1). A filter (seats that changed hands, or one party's) dims the other seats but
keeps them, and their links, whose names say so.

The map is scaled to the screen (static/css/site.css), so on a phone a hexagon is about
11 px across, less than WCAG 2.5.8's 24 px: the exception for a control with an
equivalent applies, as every seat is also a link in the table of every seat and in its
region's list, and found by the search.

On the night the map is drawn region by region, each region the fragment
`seat-map:<region>[:<view>:<party>]` (pages.fragments), drawn again only when one of
its seats changes; replayed (`?at=`), it is drawn whole, and every link keeps `?at=`.
"""

import functools
from collections import Counter
from dataclasses import dataclass
from html import escape

from django.conf import settings
from django.utils.safestring import mark_safe

from pages.hexjson import hexes_of_seats, parse_hexjson
from pages.seats import seats_of_place
from results import colours
from results.documents import read_document
from results.models import Outcome, Party

HEXMAP_FILE = settings.BASE_DIR / "fixtures" / "hexmap" / "uk-constituencies-2024.hexjson"
CREDIT = "Hex map: Open Innovations (MIT licence)"
AWAITING = "awaiting result"
NOT_PICKED = "(not among the seats shown)"  # a seat a filter dims
HEX_WIDTH = 20  # from one side to the other
# Rows are 3/4 of a hexagon's height apart: 17 rather than 17.32, so that every place is
# in whole numbers (650 of them), which squashes the hexagons by 2%, unseen.
ROW = 17
SIDE = ROW / 1.5  # centre to corner
MARGIN = 12  # round the top and bottom rows: more than SIDE
# The hexagon every seat draws, pointy-topped and centred on its place.
HEX_PATH = (
    f"M0 {-SIDE:.1f}l{HEX_WIDTH / 2:g} {SIDE / 2:.1f}v{SIDE:.1f}"
    f"l{-HEX_WIDTH / 2:g} {SIDE / 2:.1f}-{HEX_WIDTH / 2:g} {-SIDE / 2:.1f}v{-SIDE:.1f}z"
)
# Parties with no colour of their own tell their seats by a letter, not by the grey.
LETTERS = {Party.SPEAKER: "S", "independent": "I"}


def symbol(letter, gain):
    """The id of what a seat draws (DEFS): its hexagon, with its letter and its dot."""
    return f"hx{letter}{'g' if gain else ''}"


def marks(letter, gain):
    """The letter and the dot, on a hexagon centred at 0 0; the dot above the letter."""
    text = f'<text class="hexmap__mark" y="{3 if gain else 0}">{letter}</text>' if letter else ""
    dot = f'<circle class="hexmap__mark" cy="{-5 if letter else 0}" r="{2 if letter else 3}"/>'
    return text + (dot if gain else "")


# Each seat is a <use> of one of these, 30 bytes for 650 seats rather than a hexagon's
# path and its marks each; a mark's colour (--mark) is its group's (static/css/site.css).
DEFS = mark_safe(
    f'<defs><path id="hx" d="{HEX_PATH}"/>'
    + "".join(
        f'<g id="{symbol(letter, gain)}"><use href="#hx"/>{marks(letter, gain)}</g>'
        for letter in ("", *LETTERS.values())
        for gain in (False, True)
        if letter or gain
    )
    + "</defs>"
)
INK = "#1b1b1b"  # the page's ink (static/css/site.css --ink)
WHITE = "#ffffff"


@functools.cache
def hex_map():
    """The cartogram, read once per process."""
    return parse_hexjson(read_document(HEXMAP_FILE), source=HEXMAP_FILE.name)


@functools.cache
def grid():
    """{ONS code: (x, y)}, the centre of each hexagon, and the whole map's size (w, h)."""
    hexes = hex_map().hexes
    west = min(hex_.q for hex_ in hexes)
    north = max(hex_.r for hex_ in hexes)
    centres = {
        hex_.code: (
            (hex_.q - west) * HEX_WIDTH + HEX_WIDTH / 2 * (1 + (hex_.r & 1)),
            (north - hex_.r) * ROW + MARGIN,
        )
        for hex_ in hexes
    }
    width = max(x for x, _ in centres.values()) + HEX_WIDTH / 2
    height = max(y for _, y in centres.values()) + MARGIN
    return centres, (width, height)


@functools.lru_cache(maxsize=32)  # the whole map's seats, and each region's
def placements(seat_keys):
    """{(ONS code, name): (x, y)} for the seats that have a hexagon."""
    centres, _ = grid()
    return {
        key: centres[hex_.code] for key, hex_ in hexes_of_seats(hex_map().hexes, seat_keys).items()
    }


def place_of(seats):
    """{seat's slug: (x, y)} for those of `seats` on the map."""
    found = placements(tuple((seat.ons_code, seat.name) for seat in seats))
    return {
        seat.slug: found[(seat.ons_code, seat.name)]
        for seat in seats
        if (seat.ons_code, seat.name) in found
    }


def relative_luminance(colour):
    def channel(value):
        value /= 255
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (channel(int(colour[i : i + 2], 16)) for i in (1, 3, 5))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(one, other):
    lighter, darker = sorted((relative_luminance(one), relative_luminance(other)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def mark_colour(fill):
    """Ink or white, whichever stands out more from `fill` (always at least 4.5:1)."""
    return WHITE if contrast(WHITE, fill) > contrast(INK, fill) else INK


@dataclass(frozen=True)
class Filters:
    """What the map picks out: seats that changed hands (`view` "gains"), one party's
    (`party`, a slug), or both; every other seat is dimmed."""

    view: str = ""
    party: str = ""

    def picks(self, seat):
        if self.view == "gains" and not (seat.declared and seat.outcome == Outcome.GAIN):
            return False
        return not self.party or (seat.declared and seat.party_slug == self.party)

    @property
    def argument(self):
        """The fragment's argument after the region: "" with no filter."""
        return f":{self.view}:{self.party}" if self.view or self.party else ""

    @classmethod
    def from_argument(cls, argument):
        view, _, party = argument.partition(":")
        return cls(view=view, party=party)


def hexagons(seats, places, filters=Filters()):
    """The SVG of `seats`' hexagons (those in `places`), grouped by how they are drawn:
    written here, not in a template, as 650 of them would cost it thousands of lookups.
    Replayed, their links are given `?at=` with every other link (pages.replay_links)."""
    groups = {}
    for seat in seats:
        place = places.get(seat.slug)
        if place is None:
            continue
        x, y = place
        if seat.declared:
            label, fill = f"{seat.name}: {seat.verdict}", seat.colour or colours.GREY
            key = (fill, "light" if mark_colour(fill) == WHITE else "")
        else:
            label, fill = f"{seat.name}: {AWAITING}", ""
            key = ("", "awaiting")
        if not filters.picks(seat):  # its link says so, as its paler colour alone would not
            label, key = f"{label} {NOT_PICKED}", (*key, "dim")
        letter = LETTERS.get(seat.party_slug, "") if seat.declared else ""
        gain = seat.declared and seat.outcome == Outcome.GAIN
        groups.setdefault(key, []).append(
            f'<a href="{escape(seat.url)}"><title>{escape(label)}</title>'
            f'<use href="#{symbol(letter, gain)}" x="{x:g}" y="{y:g}"/></a>'
        )
    parts = []
    for (fill, *classes), links in groups.items():
        fill_attribute = f' fill="{escape(fill)}"' if fill else ""
        class_attribute = f' class="{" ".join(c for c in classes if c)}"' if any(classes) else ""
        parts.append(f"<g{fill_attribute}{class_attribute}>{''.join(links)}</g>")
    return mark_safe("".join(parts))


@dataclass(frozen=True)
class KeyEntry:
    label: str
    count: int
    fill: str  # "" for seats awaiting their result
    mark: str  # the mark's colour on the swatch
    letter: str = ""
    gain: bool = False
    party: str = ""  # the party's slug, for its filter
    awaiting: bool = False

    @property
    def swatch(self):
        """The entry's hexagon, drawn as the map draws its seats."""
        fill = f' fill="{escape(self.fill)}"' if self.fill else ""
        light = ' class="light"' if self.mark == WHITE else ""
        return mark_safe(
            f'<svg class="hexmap__swatch{" awaiting" if self.awaiting else ""}" width="22" '
            f'height="24" viewBox="-11 -12 22 24" aria-hidden="true">'
            f'<use href="#{symbol(self.letter, self.gain)}"{fill}{light}/></svg>'
        )


@dataclass(frozen=True)
class Part:
    """A region drawn as its fragment (`fragment`), or hexagons drawn in place (`svg`)."""

    fragment: str = ""
    svg: str = ""


@dataclass(frozen=True)
class SeatMap:
    view_box: str
    parts: tuple[Part, ...]
    key: tuple[KeyEntry, ...]
    total: int
    unplaced: tuple  # seats with no hexagon: linked under the map
    filters: Filters
    party_name: str = ""
    picked: int = 0  # seats the filters pick out

    credit = CREDIT
    defs = DEFS


def view_box(places):
    """The box around the hexagons at `places`, or the whole map's with none."""
    if not places:
        width, height = grid()[1]
        return f"0 0 {width:g} {height:g}"
    xs = [x for x, _ in places]
    ys = [y for _, y in places]
    west, north = min(xs) - HEX_WIDTH / 2, min(ys) - MARGIN
    width, height = max(xs) + HEX_WIDTH / 2 - west, max(ys) + MARGIN - north
    return f"{west:g} {north:g} {width:g} {height:g}"


def key_of(seats):
    """The parties shown, most seats first, then the marks: awaiting, gains."""
    won = Counter(seat.party_slug for seat in seats if seat.declared)
    first = {}
    for seat in seats:
        if seat.declared:
            first.setdefault(seat.party_slug, seat)
    entries = []
    for slug, count in sorted(won.items(), key=lambda item: (-item[1], first[item[0]].party)):
        fill = first[slug].colour or colours.GREY
        entries.append(
            KeyEntry(
                label=first[slug].party,
                count=count,
                fill=fill,
                mark=mark_colour(fill),
                letter=LETTERS.get(slug, ""),
                party=slug,
            )
        )
    awaiting = sum(1 for seat in seats if not seat.declared)
    if awaiting:
        entries.append(KeyEntry("Awaiting result", awaiting, "", INK, awaiting=True))
    gains = sum(1 for seat in seats if seat.declared and seat.outcome == Outcome.GAIN)
    if gains:
        entries.append(
            KeyEntry(
                "Changed hands (dot)", gains, colours.GREY, mark_colour(colours.GREY), gain=True
            )
        )
    return tuple(entries)


def seat_map(seats, at=None, filters=Filters(), whole=False):
    """The map of `seats` (pages.seats records) as they stood `at` (None: now). `whole`:
    the whole country, each region its fragment now; else `seats`' own part, in place
    (a region's page, which has its seats already)."""
    places = place_of(seats)
    if at is None and whole:
        regions = dict.fromkeys(seat.region_slug for seat in seats if seat.slug in places)
        parts = [Part(fragment=f"{slug}{filters.argument}") for slug in regions if slug]
        unregioned = [seat for seat in seats if not seat.region_slug]
        if unregioned:
            parts.append(Part(svg=hexagons(unregioned, places, filters)))
    else:
        parts = [Part(svg=hexagons(seats, places, filters))]
    party_name = next(
        (seat.party for seat in seats if seat.declared and seat.party_slug == filters.party), ""
    )
    return SeatMap(
        view_box=view_box(None if whole else list(places.values())),
        parts=tuple(parts),
        key=key_of(seats),
        total=len(seats),
        unplaced=tuple(seat for seat in seats if seat.slug not in places),
        filters=filters,
        party_name=party_name,
        picked=sum(1 for seat in seats if filters.picks(seat)),
    )


def region_now(argument):
    """A region's hexagons now, for its fragment `seat-map:<slug>[:<view>:<party>]`
    (None if the region has gone)."""
    slug, _, filters = argument.partition(":")
    seats = seats_of_place("region", slug, None)
    if not seats:
        return None
    return hexagons(seats, place_of(seats), Filters.from_argument(filters))
