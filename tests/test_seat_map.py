"""The map of every seat, a hex cartogram: a named link per seat in its place, a key, the
marks that do not rely on colour, its filters, the replay, and each region's part."""

import csv
import re
from collections import Counter
from datetime import datetime

import pytest
from django.conf import settings

from pages.seatmap import HEX_WIDTH
from results.models import Constituency, Party
from results.services import result_declare
from tests.national_data import national_data
from tests.pages import text_of

CSS = (settings.BASE_DIR / "static" / "css" / "site.css").read_text(encoding="utf-8")

pytestmark = pytest.mark.django_db

HEX_LINK = re.compile(
    r'<a href="(/constituencies/[^"?]+/)(\?at=[^"]*)?"><title>([^<]+)</title>'
    r'<use href="#(hx\w*)" x="([-\d.]+)" y="([-\d.]+)"/></a>'
)
GROUP = re.compile(r'<g(?: fill="(#[0-9A-Fa-f]{6})")?(?: class="([\w ]+)")?>(.*?)</g>')
# The Library's party codes, by the names the site gives the parties.
PARTY_NAMES = {
    "Lab": "Labour",
    "Con": "Conservative",
    "LD": "Liberal Democrat",
    "SNP": "Scottish National Party",
    "SF": "Sinn Féin",
    "Ind": "Independent",
    "RUK": "Reform UK",
    "DUP": "Democratic Unionist Party",
    "Green": "Green Party",
    "PC": "Plaid Cymru",
    "SDLP": "Social Democratic and Labour Party",
    "Spk": "Speaker",
    "APNI": "Alliance Party of Northern Ireland",
    "TUV": "Traditional Unionist Voice",
    "UUP": "Ulster Unionist Party",
}


def library_rows():
    path = national_data() / "HoC-GE2024-results-by-constituency.csv"
    with path.open(encoding="utf-8-sig") as rows:
        return list(csv.DictReader(rows))


def declared_by(moment):
    """The Library's names of the seats whose result was recorded by `moment` (UK time)."""
    path = national_data() / "HoC-GE2024-winning-members-time-recorded.csv"
    with path.open(encoding="utf-8-sig") as rows:
        return {
            row["constituency_name"]
            for row in csv.DictReader(rows)
            if datetime.fromisoformat(row["time_recorded"]) <= moment
        }


def the_map(html):
    """The map's section of a page."""
    return html.split('class="panel hexmap"')[1].split("</section>")[0]


def marks_of(html):
    """{symbol's id: its marks} of the map's <defs>: what each hexagon carries."""
    defs = the_map(html).split("<defs>")[1].split("</defs>")[0]
    found = {"hx": ""}
    for name, marks in re.findall(r'<g id="(\w+)"><use href="#hx"/>(.*?)</g>', defs):
        found[name] = " ".join(
            "dot" if mark.startswith("<circle") else re.search(r">(\w)<", mark)[1]
            for mark in re.findall(r"<circle[^>]*/>|<text[^>]*>\w</text>", marks)
        )
    return found


MARKS = {}


def hexes_of(html):
    """{address: (query, name, x, y, marks, fill, classes)} of each hexagon on the map;
    its marks, as "dot", "S", "I dot"."""
    MARKS.update(marks_of(html))
    hexes = {}
    for fill, classes, links in GROUP.findall(the_map(html).split("</defs>")[1]):
        for address, query, name, drawn, x, y in HEX_LINK.findall(links):
            hexes[address] = (query, name, float(x), float(y), MARKS[drawn], fill, classes)
    return hexes


def key_of(html):
    """[(label, count)] of the map's key."""
    key = the_map(html).split('<ul class="hexmap__key">')[1].split("</ul>")[0]
    return [
        (re.sub(r"<[^>]+>", "", label).strip(), int(count))
        for label, count in re.findall(
            r"</svg> (.*?) <span class=\"hexmap__count\">(\d+)</span>", key
        )
    ]


def test_the_map_is_a_hexagon_per_seat_in_its_place(client, every_seat):
    hexes = hexes_of(client.get("/").content.decode())
    assert len(hexes) == 650
    assert hexes["/constituencies/kettering/"][1] == "Kettering: Labour gain from Conservative"
    assert hexes["/constituencies/chorley/"][1] == "Chorley: Speaker hold"
    assert (
        hexes["/constituencies/leicester-south/"][1]
        == "Leicester South: Independent gain from Labour"
    )
    # In their places: a hexagon each, none on another, north above south.
    assert len({(x, y) for _, _, x, y, *_ in hexes.values()}) == 650
    orkney = hexes["/constituencies/orkney-and-shetland/"]
    st_ives = hexes["/constituencies/st-ives/"]
    assert orkney[3] < st_ives[3] and orkney[2] > st_ives[2]
    # Neighbours on the map are neighbours on the ground: Kettering's nearest hexagons.
    kettering = hexes["/constituencies/kettering/"]
    near = sorted(
        (abs(x - kettering[2]) + abs(y - kettering[3]), address.split("/")[2])
        for address, (_, _, x, y, *_) in hexes.items()
        if 0 < abs(x - kettering[2]) + abs(y - kettering[3]) <= 2 * HEX_WIDTH
    )
    assert "corby-and-east-northamptonshire" in [slug for _, slug in near]


def test_the_key_lists_each_party_with_its_seats_and_the_marks(client, every_seat):
    """The key's counts against the Library's file, read here."""
    rows = library_rows()
    won = Counter(PARTY_NAMES[row["First party"]] for row in rows)
    gains = sum(1 for row in rows if not row["Result"].endswith("hold"))
    expected = [
        (f"{name} (letter {'S' if name == 'Speaker' else 'I'})", count)
        if name in ("Speaker", "Independent")
        else (name, count)
        for name, count in sorted(won.items(), key=lambda item: (-item[1], item[0]))
    ]
    assert key_of(client.get("/").content.decode()) == [
        *expected,
        ("Changed hands (dot)", gains),
    ]
    assert expected[:3] == [("Labour", 411), ("Conservative", 121), ("Liberal Democrat", 72)]
    assert gains == 303


def test_awaiting_independent_and_speaker_seats_are_told_apart_by_more_than_colour(
    client, every_seat
):
    html = client.get("/", {"at": "03:00"}).content.decode()
    hexes = hexes_of(html)
    inverness = hexes["/constituencies/inverness-skye-and-west-ross-shire/"]
    assert inverness[1] == "Inverness, Skye and West Ross-shire: awaiting result"
    # Awaiting: no party's fill, drawn white with a dotted outline (the class's rule).
    assert (inverness[5], inverness[6]) == ("", "awaiting")
    assert re.search(
        r"\.hexmap__svg \.awaiting > a > use[^{]*\{[^}]*fill: #fff;[^}]*stroke-dasharray", CSS
    )
    final = hexes_of(client.get("/").content.decode())
    # The Speaker's and the Independents' seats carry a letter; gains a dot too.
    assert final["/constituencies/chorley/"][4] == "S"
    assert final["/constituencies/leicester-south/"][4] == "I dot"
    assert final["/constituencies/kettering/"][4] == "dot"
    assert final["/constituencies/aberafan-maesteg/"][4] == ""  # a hold: no mark
    assert Counter(fields[4] for fields in final.values()) == {
        "": 347 - 1,
        "dot": 303 - 6,
        "S": 1,
        "I dot": 6,
    }


def test_the_marks_stand_out_from_every_party_colour_by_3_to_1(client, every_seat):
    """WCAG 1.4.11 for the dot and the letters, on each fill the map shows."""

    def luminance(colour):
        values = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4 for v in values]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    def ratio(one, other):
        high, low = sorted((luminance(one), luminance(other)), reverse=True)
        return (high + 0.05) / (low + 0.05)

    html = the_map(client.get("/").content.decode())
    groups = GROUP.findall(html.split("</defs>")[1])
    assert len({fill for fill, _, _ in groups}) == 15
    for fill, classes, _ in groups:
        mark = "#ffffff" if "light" in classes.split() else "#1b1b1b"
        assert ratio(mark, fill) >= 3, fill
    # Awaiting: the dotted outline (--grey) on white.
    assert ratio("#767676", "#ffffff") >= 3


def test_the_replayed_map_shows_seats_declared_by_then_and_keeps_the_moment(client, every_seat):
    by_three = declared_by(datetime(2024, 7, 5, 3, 0))
    hexes = hexes_of(client.get("/", {"at": "03:00"}).content.decode())
    assert len(hexes) == 650
    assert {query for query, *_ in hexes.values()} == {"?at=03:00"}
    declared = {name.split(": ")[0] for _, name, *_ in hexes.values() if "awaiting" not in name}
    assert declared == by_three
    assert len(declared) == len(by_three) > 0
    # A moment after midnight on the next day still reads as the night's.
    later = hexes_of(client.get("/", {"at": "2024-07-06T12:00"}).content.decode())
    assert {query for query, *_ in later.values()} == {"?at=2024-07-06T12:00"}


def test_the_changed_hands_filter_dims_the_other_seats_and_keeps_their_links(client, every_seat):
    html = client.get("/", {"view": "gains"}).content.decode()
    hexes = hexes_of(html)
    assert len(hexes) == 650
    dimmed = [address for address, fields in hexes.items() if "dim" in fields[6].split()]
    assert len(dimmed) == 650 - 303
    assert "/constituencies/kettering/" not in dimmed
    assert "/constituencies/aberafan-maesteg/" in dimmed
    # A dimmed seat's link says so, as its colour alone would not (WCAG 1.4.1).
    assert hexes["/constituencies/aberafan-maesteg/"][1] == (
        "Aberafan Maesteg: Labour hold (not among the seats shown)"
    )
    assert hexes["/constituencies/kettering/"][1] == "Kettering: Labour gain from Conservative"
    assert "303 of 650 seats shown, seats that changed hands; the others are dimmed." in (
        text_of(client.get("/", {"view": "gains"}))
    )


def test_one_partys_filter_dims_the_others(client, every_seat):
    response = client.get("/", {"party": "reform-uk"})
    hexes = hexes_of(response.content.decode())
    shown = sorted(fields[1] for fields in hexes.values() if "dim" not in fields[6].split())
    assert shown == [
        "Ashfield: Reform UK gain from Conservative",
        "Boston and Skegness: Reform UK gain from Conservative",
        "Clacton: Reform UK gain from Conservative",
        "Great Yarmouth: Reform UK gain from Conservative",
        "South Basildon and East Thurrock: Reform UK gain from Conservative",
    ]
    assert "5 of 650 seats shown, won by Reform UK; the others are dimmed." in text_of(response)
    dimmed = [fields[1] for fields in hexes.values() if "dim" in fields[6].split()]
    assert len(dimmed) == 645
    assert all(title.endswith(" (not among the seats shown)") for title in dimmed)
    assert hexes["/constituencies/kettering/"][1] == (
        "Kettering: Labour gain from Conservative (not among the seats shown)"
    )
    # The key's entry for the party is the current one; the others link to theirs.
    assert '<strong aria-current="true">Reform UK</strong>' in response.content.decode()
    assert '<a href="?party=labour">Labour</a>' in response.content.decode()


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ({"party": "no-such-party"}, 404),
        ({"party": "<script>"}, 200),  # no slug: no filter
        ({"view": "everything"}, 200),
        ({"party": "labour", "view": "gains", "at": "02:00"}, 200),
    ],
)
def test_an_unknown_filter_is_not_found_or_ignored(client, every_seat, query, status):
    assert client.get("/", query).status_code == status


def test_a_filter_keeps_the_replayed_moment(client, every_seat):
    html = client.get("/", {"at": "03:00", "party": "labour"}).content.decode()
    assert '<a href="?at=03%3A00&amp;party=conservative">Conservative</a>' in html


def test_a_region_page_shows_its_part_of_the_map(client, every_seat):
    html = client.get("/regions/north-east/").content.decode()
    hexes = hexes_of(html)
    assert len(hexes) == 27
    assert hexes["/constituencies/hartlepool/"][1] == "Hartlepool: Labour hold"
    view_box = [float(n) for n in re.search(r'viewBox="([^"]+)"', the_map(html))[1].split()]
    xs = [x for _, _, x, *_ in hexes.values()]
    ys = [y for _, _, _, y, *_ in hexes.values()]
    # Cropped to the region's hexagons, half a hexagon round them.
    assert view_box[0] == min(xs) - HEX_WIDTH / 2
    assert view_box[0] + view_box[2] == max(xs) + HEX_WIDTH / 2
    assert view_box[1] < min(ys) and view_box[1] + view_box[3] > max(ys)
    assert view_box[3] < 12 * HEX_WIDTH
    won = Counter(
        PARTY_NAMES[row["First party"]]
        for row in library_rows()
        if row["Region name"] == "North East"
    )
    assert key_of(html)[: len(won)] == sorted(won.items(), key=lambda item: (-item[1], item[0]))
    assert "Hex map: Open Innovations (MIT licence)" in text_of(client.get("/regions/north-east/"))


def test_a_replayed_region_page_keeps_the_moment_on_its_map(client, every_seat):
    hexes = hexes_of(client.get("/regions/london/", {"at": "02:00"}).content.decode())
    assert len(hexes) == 75
    assert {query for query, *_ in hexes.values()} == {"?at=02:00"}


def test_the_map_credits_open_innovations(client, every_seat):
    assert "Hex map: Open Innovations (MIT licence)." in text_of(client.get("/"))


def test_a_declaration_reaches_the_map_of_an_open_home_page(client, seeded):
    """An open home page takes its part marked data-live="map" from the page fetched again
    (static/js/refresh.js): the region's fragment is drawn again after a declaration."""
    before = hexes_of(client.get("/").content.decode())
    assert before["/constituencies/amber-valley/"][1] == "Amber Valley: awaiting result"
    amber_valley = Constituency.objects.get(slug="amber-valley")
    labour, conservative = Party.objects.get(slug="labour"), Party.objects.get(slug="conservative")
    amber_valley.candidacies.create(name="Linsey Farnsworth", party=labour, votes=17010)
    amber_valley.candidacies.create(name="Nigel Mills", party=conservative, votes=14510)
    result_declare(constituency=amber_valley, outcome="GAIN", gained_from=conservative)
    after = client.get("/").content.decode()
    seat = hexes_of(after)["/constituencies/amber-valley/"]
    assert seat[1] == "Amber Valley: Labour gain from Conservative"
    assert (seat[4], seat[5]) == ("dot", "#E4003B")
    assert after.count('data-live="map"') == 1
