"""The parliament chart of the new House: one dot per seat, in rows of a half circle,
the parties from left to right as the chamber is usually drawn, the seats still to
declare last, as hollow dots; with the majority line at the top of the arc.

Each party's dots are one SVG path of zero-length lines with round caps ("M12 34h0"),
in whole units: 650 circles were 26 KB of the home page, these are about 6 KB."""

import functools
import math
from collections import Counter
from dataclasses import dataclass

from results import colours
from results.models import Party

# Left to right, as parliament charts of the Commons place the parties; a party not
# named here (and independents) sits between the two wings, by name.
LEFT_TO_RIGHT = (
    "sinn-fein",
    "social-democratic-and-labour-party",
    "alliance-party-of-northern-ireland",
    "green-party",
    "plaid-cymru",
    "scottish-national-party",
    "labour",
    Party.SPEAKER,
    "independent",
    "liberal-democrat",
    "ulster-unionist-party",
    "democratic-unionist-party",
    "traditional-unionist-voice",
    "conservative",
    "reform-uk",
)
MIDDLE = LEFT_TO_RIGHT.index("independent")

WIDTH, HEIGHT = 1000, 520  # the SVG's units; the chart scales to its box
CENTRE_X, CENTRE_Y, OUTER = 500, 500, 480
INNER = 0.38  # the innermost row's radius, as a share of the outermost's
AWAITING_COLOUR = colours.GREY


@dataclass(frozen=True)
class Dot:
    x: int
    y: int


@dataclass(frozen=True)
class Group:
    """A party's seats (or those still to declare), its dots side by side."""

    label: str
    seats: int
    colour: str
    awaiting: bool
    dots: tuple

    @property
    def path(self):
        """The dots as one path: a zero-length line for each, its round cap the dot."""
        return "".join(f"M{dot.x} {dot.y}h0" for dot in self.dots)


@dataclass(frozen=True)
class Hemicycle:
    groups: tuple
    total_seats: int
    seats_for_majority: int
    dot_radius: int
    width: int = WIDTH
    height: int = HEIGHT
    majority_x: int = CENTRE_X
    majority_top: int = 0
    majority_bottom: int = round(CENTRE_Y - OUTER * INNER + 20)

    @property
    def dot_width(self):
        return 2 * self.dot_radius

    @property
    def hollow_width(self):
        """The white inside of a hollow dot: the dot less its ring."""
        return max(self.dot_width - 6, 1)

    @property
    def awaiting(self):
        return sum(group.seats for group in self.groups if group.awaiting)


def rows_for(seats):
    """How many rows of a half circle hold `seats`: about 12 for 650."""
    return max(1, round(math.sqrt(seats / 4.5)))


@functools.cache
def places(seats):
    """The places of `seats` dots, left to right across the half circle, and their
    radius: each row holds seats in proportion to its length, and the places are taken
    by angle, so that a party's seats make a wedge from the inner row to the outer."""
    rows = rows_for(seats)
    radii = [INNER + (1 - INNER) * row / max(rows - 1, 1) for row in range(rows)]
    if rows == 1:
        radii = [1.0]
    counts = [max(1, round(seats * radius / sum(radii))) for radius in radii]
    counts[-1] += seats - sum(counts)  # what rounding left over, on the longest row
    spots = []
    for radius, count in zip(radii, counts, strict=True):
        for index in range(count):
            angle = math.pi / 2 if count == 1 else math.pi * (1 - index / (count - 1))
            spots.append((-angle, -radius, radius, angle))
    spots.sort()  # from the left (an angle of pi) to the right (0), inner row first
    gap = (1 - INNER) / max(rows - 1, 1) * OUTER
    around = min(
        math.pi * radius * OUTER / max(count - 1, 1)
        for radius, count in zip(radii, counts, strict=True)
    )
    radius = max(1, round(min(gap, around) * 0.42))
    dots = tuple(
        Dot(
            x=round(CENTRE_X + OUTER * spot_radius * math.cos(angle)),
            y=round(CENTRE_Y - OUTER * spot_radius * math.sin(angle)),
        )
        for _, _, spot_radius, angle in spots
    )
    return dots, radius


def place_of(slug, name):
    try:
        return (LEFT_TO_RIGHT.index(slug), name)
    except ValueError:
        return (MIDDLE, name)


def hemicycle(seats, total_seats, seats_for_majority):
    """The chart of `seats` (SeatFigures): each declared seat's party, in its place; the
    seats still to declare after them. The Speaker is his own: the chamber's seats."""
    won, names, colours_of = Counter(), {}, {}
    for seat in seats:
        if seat.declared:
            won[seat.party_slug] += 1
            names[seat.party_slug] = seat.party
            colours_of[seat.party_slug] = seat.colour
    awaiting = max(total_seats - sum(won.values()), 0)
    dots, radius = places(total_seats)
    groups, start = [], 0
    order = sorted(won, key=lambda slug: place_of(slug, names[slug]))
    parts = [(names[slug], won[slug], colours_of[slug], False) for slug in order]
    if awaiting:
        parts.append(("Still to declare", awaiting, AWAITING_COLOUR, True))
    for label, count, colour, is_awaiting in parts:
        groups.append(Group(label, count, colour, is_awaiting, dots[start : start + count]))
        start += count
    return Hemicycle(
        groups=tuple(groups),
        total_seats=total_seats,
        seats_for_majority=seats_for_majority,
        dot_radius=radius,
    )
