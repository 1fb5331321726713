"""The hex cartogram's parser and the matcher that finds each seat its hexagon."""

import csv
import json

import pytest
from django.conf import settings

from pages.hexjson import Hex, hexes_of_seats, parse_hexjson
from results.documents import DocumentError
from tests.national_data import national_data

HEXMAP_FILE = settings.BASE_DIR / "fixtures" / "hexmap" / "uk-constituencies-2024.hexjson"
GOOD = """{
\t"layout":"odd-r",
\t"hexes": {
\t\t"E14001312":{"n":"Kettering","r":-30,"q":60,"region":"E12000004"},
\t\t"S14000107":{"n":"Ayr, Carrick and Cumnock","r":-5,"q":50,"region":"S92000003"}
\t}
}"""


def test_a_hexjson_document_gives_each_hex_with_its_line():
    parsed = parse_hexjson(GOOD)
    assert parsed.layout == "odd-r"
    assert parsed.hexes == (
        Hex("E14001312", "Kettering", 60, -30, "E12000004", 4),
        Hex("S14000107", "Ayr, Carrick and Cumnock", 50, -5, "S92000003", 5),
    )


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("{\n  \"layout\": 'odd-r'\n}", "x, line 2: is not JSON: Expecting value"),
        ("[1, 2]", "x, line 1: is not a HexJSON object"),
        (GOOD.replace("odd-r", "even-q"), "x, line 2: layout is 'even-q', not 'odd-r'"),
        ('{"layout": "odd-r",\n"hexes": {}}', "x, line 2: has no hexes"),
        (GOOD.replace('"r":-5', '"r":"-5"'), "x, line 5: S14000107: r is '-5', not a whole number"),
        (GOOD.replace('"q":60', '"q":true'), "x, line 4: E14001312: q is True, not a whole number"),
        (GOOD.replace('"n":"Kettering",', ""), "x, line 4: E14001312: n is None, not a name"),
        (
            GOOD.replace('"r":-5,"q":50', '"r":-30,"q":60'),
            "x, line 5: S14000107: q 60, r -30 is E14001312's place too",
        ),
        (
            GOOD.replace('"S14000107"', '"E14001312"'),
            "x, line 5: 'E14001312' appears twice",
        ),
    ],
)
def test_a_bad_document_names_its_line(text, error):
    with pytest.raises(DocumentError) as raised:
        parse_hexjson(text, source="x")
    assert str(raised.value) == error


def test_a_seat_is_matched_by_code_then_by_name():
    hexes = parse_hexjson(GOOD).hexes
    found = hexes_of_seats(
        hexes,
        [
            ("E14001312", "Kettering"),
            ("S14000006", "Ayr, Carrick & Cumnock"),  # another code, the same name
            ("E14009999", "Nowhere"),
        ],
    )
    assert {key: hex_.code for key, hex_ in found.items()} == {
        ("E14001312", "Kettering"): "E14001312",
        ("S14000006", "Ayr, Carrick & Cumnock"): "S14000107",
    }


def test_a_hexagon_found_by_its_code_goes_to_no_other_seat_by_name():
    hexes = parse_hexjson(GOOD).hexes
    found = hexes_of_seats(hexes, [("E14009999", "Kettering"), ("E14001312", "Kettering")])
    assert list(found) == [("E14001312", "Kettering")]


def test_every_seat_in_the_library_files_has_its_own_hexagon():
    """The oracle: the Library's constituency file, read here, against the file as kept
    in the repository (fixtures/hexmap)."""
    hexes = parse_hexjson(HEXMAP_FILE.read_text(encoding="utf-8")).hexes
    path = national_data() / "HoC-GE2024-results-by-constituency.csv"
    with path.open(encoding="utf-8-sig") as rows:
        seats = [(row["ONS ID"], row["Constituency name"]) for row in csv.DictReader(rows)]
    assert len(seats) == len(hexes) == 650
    found = hexes_of_seats(hexes, seats)
    assert [seat for seat in seats if seat not in found] == []
    assert len({hex_.code for hex_ in found.values()}) == 650
    by_name = {key: hex_.code for key, hex_ in found.items() if key[0] != hex_.code}
    assert by_name == {
        ("S14000107", "Ayr, Carrick and Cumnock"): "S14000006",
        ("S14000108", "Berwickshire, Roxburgh and Selkirk"): "S14000008",
        ("S14000109", "Central Ayrshire"): "S14000010",
        ("S14000110", "Kilmarnock and Loudoun"): "S14000040",
        ("S14000111", "West Aberdeenshire and Kincardine"): "S14000058",
    }


def test_the_kept_file_is_the_shared_one():
    shared = national_data().parent / "hexmap" / "uk-constituencies-2024.hexjson"
    assert json.loads(HEXMAP_FILE.read_text()) == json.loads(shared.read_text())
