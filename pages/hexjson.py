"""Parse a HexJSON hex cartogram into typed records, and find each seat's hexagon. No
database here.

HexJSON (open-innovations.org/projects/hexmaps/hexjson.html):

    {"layout": "odd-r",
     "hexes": {
       "E14001312": {"n": "Kettering", "q": 60, "r": -30, "region": "E12000004"},
       ...}}

- `layout` must be `odd-r`: pointy-topped hexagons in rows, odd rows shifted right by
  half a hexagon (`r & 1`, so a row of -23 is odd too).
- Each hex is keyed by its seat's ONS code, with whole numbers `q` (column) and `r`
  (row: in Open Innovations' maps r grows northwards), a name `n` and a `region` code.
- Two hexes in one place, or one code twice, is an error.

Errors are results.documents.DocumentError, naming the line of the hex (or of the
document's part) at fault.
"""

import json
import re
from dataclasses import dataclass

from results.documents import DocumentError
from results.naming import normalise_name

LAYOUT = "odd-r"


@dataclass(frozen=True)
class Hex:
    code: str  # ONS code
    name: str
    q: int  # column
    r: int  # row, growing northwards
    region: str  # ONS code of the region or nation
    line: int


@dataclass(frozen=True)
class HexMap:
    layout: str
    hexes: tuple[Hex, ...]


def parse_hexjson(text, source="hexjson"):
    """The hexes of a HexJSON document, in the document's order."""

    def fail(line, message):
        raise DocumentError(source, line, message)

    def line_of(key, start=1):
        # Each key's first line from `start`: the document names the hex there.
        pattern = re.compile(rf'"{re.escape(key)}"\s*:')
        for number, line in enumerate(text.splitlines()[start - 1 :], start=start):
            if pattern.search(line):
                return number
        return start

    def unique_keys(pairs):
        seen = set()
        for key, _ in pairs:
            if key in seen:
                fail(line_of(key, line_of(key) + 1), f"{key!r} appears twice")
            seen.add(key)
        return dict(pairs)

    try:
        document = json.loads(text, object_pairs_hook=unique_keys)
    except json.JSONDecodeError as error:
        fail(error.lineno, f"is not JSON: {error.msg}")
    if not isinstance(document, dict):
        fail(1, "is not a HexJSON object")
    if document.get("layout") != LAYOUT:
        fail(line_of("layout"), f"layout is {document.get('layout')!r}, not {LAYOUT!r}")
    hexes = document.get("hexes")
    if not isinstance(hexes, dict) or not hexes:
        fail(line_of("hexes"), "has no hexes")
    records = []
    places = {}
    for code, fields in hexes.items():
        line = line_of(code, line_of("hexes"))
        if not isinstance(fields, dict):
            fail(line, f"{code}: is not an object")
        for coordinate in ("q", "r"):
            value = fields.get(coordinate)
            if type(value) is not int:  # True is an int to isinstance
                fail(line, f"{code}: {coordinate} is {value!r}, not a whole number")
        for text_field in ("n", "region"):
            value = fields.get(text_field)
            if not isinstance(value, str) or not value.strip():
                fail(line, f"{code}: {text_field} is {value!r}, not a name")
        place = (fields["q"], fields["r"])
        if place in places:
            fail(line, f"{code}: q {place[0]}, r {place[1]} is {places[place]}'s place too")
        places[place] = code
        records.append(
            Hex(
                code=code,
                name=fields["n"].strip(),
                q=fields["q"],
                r=fields["r"],
                region=fields["region"],
                line=line,
            )
        )
    return HexMap(layout=LAYOUT, hexes=tuple(records))


def hexes_of_seats(hexes, seats):
    """{(code, name): Hex} for each seat of `seats` ((ONS code, name) pairs) that has a
    hexagon: by its ONS code, else by its name (normalised: results.naming), as five
    Scottish seats carry older codes in Open Innovations' map than in the Library's
    files. A hexagon goes to one seat at most."""
    by_code = {hex_.code: hex_ for hex_ in hexes}
    taken = set()
    found = {}
    for code, name in seats:
        if code and code in by_code:
            found[(code, name)] = by_code[code]
            taken.add(code)
    by_name = {normalise_name(hex_.name): hex_ for hex_ in hexes if hex_.code not in taken}
    for code, name in seats:
        if (code, name) not in found:
            hex_ = by_name.pop(normalise_name(name), None)
            if hex_ is not None:
                found[(code, name)] = hex_
    return found
