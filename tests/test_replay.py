"""The night replayed (`?at=`) agrees with itself: its links keep the moment, its counts
and key points follow it, and "so far" lasts only while seats remain (issue 30)."""

import csv
import html as html_lib
import re
from datetime import UTC, datetime
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
from django.urls import Resolver404, resolve

from pages.params import parse_at
from pages.replay_links import with_moment
from results.models import Region, Result
from tests.national_data import national_data
from tests.pages import text_of

pytestmark = pytest.mark.django_db

AT = "03:00"
REPLAYED = [
    "/",
    "/counties/northamptonshire/",
    "/counties/derbyshire/",
    "/constituencies/kettering/",
    "/lists/closest-results/",
    "/lists/still-to-declare/",
    "/parties/",
    "/parties/labour/",
    "/constituencies/",
]
ANCHOR = re.compile(r"<a\b([^>]*)>(.*?)</a>", re.S)
HREF = re.compile(r'\bhref="([^"]*)"')
AN_HOUR = re.compile(r"\d\d:00\u2013\d\d:59")


def links_on(client, address):
    """(address the link leads to, its text) for every `<a href>` on the page."""
    response = client.get(address)
    assert response.status_code == 200, address
    for attributes, text in ANCHOR.findall(response.content.decode()):
        href = HREF.search(attributes)
        if href:
            target = urljoin(address, html_lib.unescape(href[1]))
            yield target, re.sub(r"<[^>]+>|\s+", " ", text).strip()


def reads_the_moment(target):
    """Whether the page a link leads to replays `?at=` (its view reads `at`)."""
    parts = urlsplit(target)
    if parts.netloc or not parts.path.startswith("/"):
        return False
    try:
        view = resolve(parts.path).func
    except Resolver404:
        return False
    return "at" in getattr(view, "reads", ())


@pytest.mark.parametrize("fixture", ["every_seat", "seeded"])
def test_every_link_on_a_replayed_page_keeps_the_moment(client, request, fixture):
    request.getfixturevalue(fixture)
    regions = [region.get_absolute_url() for region in Region.objects.order_by("slug")[:1]]
    lost, kept = [], 0
    for address in [*REPLAYED, *regions]:
        for target, text in links_on(client, f"{address}?at={AT}"):
            if not reads_the_moment(target) or text == "See the final result":
                continue
            if AN_HOUR.match(text):  # the chart's hours: each replays its own moment
                continue
            if parse_qs(urlsplit(target).query).get("at") == [AT]:
                kept += 1
            else:
                lost.append((address, target, text))
    assert lost == []
    assert kept > 100


def test_the_final_result_link_leaves_the_replay(client, every_seat):
    links = dict((text, target) for target, text in links_on(client, f"/regions/london/?at={AT}"))
    assert links["See the final result"] == "/regions/london/"


def test_a_seat_awaiting_at_the_moment_shows_no_result(client, every_seat):
    # Kettering declared at 06:42 (HoC Library's time recorded): at 03:00 it awaits.
    text = text_of(client.get("/constituencies/kettering/", {"at": AT}))
    assert "The night replayed: as it stood at 03:00 BST, Friday 5 July" in text
    assert "Awaiting declaration" in text
    assert "Rosie Wrighting" in text  # a candidate, named
    assert "Majority" not in text and "12,393" not in text and "LAB GAIN" not in text
    later = text_of(client.get("/constituencies/kettering/", {"at": "06:42"}))
    assert "LAB GAIN" in later and "Majority" in later


def declaration_times():
    """{seat's name: "YYYY-MM-DD HH:MM:SS" BST} from the Library's file of times recorded."""
    path = national_data() / "HoC-GE2024-winning-members-time-recorded.csv"
    with path.open(encoding="utf-8") as lines:
        return {row["constituency_name"]: row["time_recorded"] for row in csv.DictReader(lines)}


NORTHAMPTONSHIRE = [
    "Corby and East Northamptonshire",
    "Daventry",
    "Kettering",
    "Northampton North",
    "Northampton South",
    "South Northamptonshire",
    "Wellingborough and Rushden",
]


def test_northamptonshire_at_four_agrees_with_itself(client, every_seat):
    times = declaration_times()
    # Its first declaration came at 06:11 (Corby): the live blog's timetable had hoped
    # for 03:00-04:00, and its last post is from 02:43.
    assert sorted(times[name] for name in NORTHAMPTONSHIRE)[0] == "2024-07-05 06:11:00"
    text = text_of(client.get("/counties/northamptonshire/", {"at": "04:00"}))
    assert "0 of 7 seats declared" in text
    assert text.count("Awaiting declaration") == 7
    # The key points were written after the results and carry no time: not shown.
    assert "Key points" not in text
    assert "Labour goes from nought to five seats" not in text
    assert "loses his Corby seat" not in text
    # Every post shown was published by 04:00 (the latest at 02:43).
    assert "Labour candidate says health is big issue for voters" in text
    later = text_of(client.get("/counties/northamptonshire/", {"at": "06:30"}))
    assert "3 of 7 seats declared" in later
    assert later.count("LAB GAIN") == 3  # Corby 06:11, Northampton South 06:22, North 06:28
    assert "Key points" not in later
    final = text_of(client.get("/counties/northamptonshire/"))
    assert "Key points" in final and "Labour goes from nought to five seats" in final


def test_key_points_of_a_county_with_no_time_are_left_out_of_a_replay(client, seeded):
    text = text_of(client.get("/counties/northamptonshire/", {"at": "04:00"}))
    assert "Key points" not in text
    assert "Government minister Tom Pursglove loses his Corby seat" not in text


def test_biggest_swings_says_what_its_count_is(client, every_seat):
    text = text_of(client.get("/lists/biggest-swings/"))
    assert "608 seats declared" not in text
    # Of the 43, the runner-up had no 2019 share in 31 (Reform UK 13, an independent 12,
    # Workers Party 3, ...), the winner in 11 (an independent 6, Reform UK 4, TUV 1), and
    # one is the Speaker's seat, Chorley.
    assert (
        "607 of 650 declared seats have a swing to rank: in the other 43, the winner or the "
        "runner-up had no 2019 share there to swing from (an independent, or a party that "
        "did not stand there in 2019), or it is the Speaker's seat, where the main parties "
        "do not stand."
    ) in text
    declared_by_then = sum(time <= "2024-07-05 03:00:00" for time in declaration_times().values())
    assert declared_by_then == 44
    replayed = text_of(client.get("/lists/biggest-swings/", {"at": AT}))
    assert "41 of 44 declared seats have a swing to rank by then: in the other 3," in replayed


def test_so_far_only_while_seats_remain(client, every_seat):
    final = text_of(client.get("/regions/london/"))
    assert "London so far" not in final
    assert "75 of 75 seats declared" in final
    assert "London: seats and votes" in final
    replayed = text_of(client.get("/regions/london/", {"at": AT}))
    assert "London so far" in replayed
    county = text_of(client.get("/counties/northamptonshire/"))
    assert "Northamptonshire so far" not in county
    assert "Northamptonshire: seats" in county
    assert "Northamptonshire so far" in text_of(
        client.get("/counties/northamptonshire/", {"at": "06:30"})
    )


def declared_by(moment):
    """The Library's rows (time recorded, result, party) of the seats declared by
    `moment` ("YYYY-MM-DD HH:MM:SS" BST)."""
    path = national_data() / "HoC-GE2024-winning-members-time-recorded.csv"
    with path.open(encoding="utf-8") as lines:
        return [row for row in csv.DictReader(lines) if row["time_recorded"] <= moment]


def test_every_seat_replayed_and_filtered_as_it_stood(client, every_seat):
    then = declared_by("2024-07-05 03:00:00")
    gains = sum(" gain " in row["result"] for row in then)
    assert (len(then), gains) == (44, 20)
    text = text_of(client.get("/constituencies/", {"at": AT}))
    assert "The night replayed: as it stood at 03:00 BST" in text
    assert "(the final results, not as replayed)" in text
    assert "Aberafan Maesteg Wales Awaiting declaration" in text  # declared at 04:07
    awaiting = text_of(client.get("/constituencies/", {"at": AT, "outcome": "awaiting"}))
    assert "606 seats match" in awaiting
    assert f"{gains} seats match" in text_of(
        client.get("/constituencies/", {"at": AT, "outcome": "gain"})
    )
    labour = sum(row["party_abbreviation"] == "Lab" for row in then)
    assert f"{labour} seats match" in text_of(
        client.get("/constituencies/", {"at": AT, "party": "labour"})
    )
    html = client.get("/constituencies/", {"at": AT}).content.decode()
    assert '<input type="hidden" name="at" value="03:00">' in html


def test_parties_replayed_as_they_stood(client, every_seat):
    then = declared_by("2024-07-05 03:00:00")
    labour = sum(row["party_abbreviation"] == "Lab" for row in then)
    text = text_of(client.get("/parties/labour/", {"at": AT}))
    assert f"{labour} seats won" in text
    assert "411 seats won" in text_of(client.get("/parties/labour/"))
    assert "The night replayed" in text_of(client.get("/parties/", {"at": AT}))


def test_a_correction_shows_from_its_time(client, every_seat):
    Result.objects.filter(constituency__slug="kettering").update(
        corrected_at=datetime(2024, 7, 5, 6, 0, tzinfo=UTC)  # 07:00 BST
    )
    before = text_of(client.get("/constituencies/kettering/", {"at": "06:50"}))
    assert "LAB GAIN" in before and "Corrected at" not in before
    after = text_of(client.get("/constituencies/kettering/", {"at": "07:10"}))
    assert "Corrected at 07:00 BST : the figures below replace those first declared." in after
    assert "Corrected at" not in text_of(client.get("/constituencies/daventry/"))


def test_which_links_take_the_moment(seeded):
    at = parse_at(AT)
    html = (
        '<a href="/counties/derbyshire/">a</a>'
        '<a class="x" href="/lists/closest-results/?page=2#top">b</a>'
        '<a href="/counties/derbyshire/#post-7">c</a>'
        '<a href="/?at=23:59">d</a>'
        '<a data-leaves-replay href="/regions/">e</a>'
        '<a href="/data/results.csv">f</a>'
        '<a href="/search/">g</a>'
        '<a href="https://www.parliament.uk/">h</a>'
        '<link rel="alternate" href="/counties/derbyshire/">'
    )
    assert with_moment(html, at) == (
        '<a href="/counties/derbyshire/?at=03:00">a</a>'
        '<a class="x" href="/lists/closest-results/?page=2&amp;at=03:00#top">b</a>'
        '<a href="/counties/derbyshire/?at=03:00#post-7">c</a>'
        '<a href="/?at=23:59">d</a>'
        '<a data-leaves-replay href="/regions/">e</a>'
        '<a href="/data/results.csv">f</a>'
        '<a href="/search/">g</a>'
        '<a href="https://www.parliament.uk/">h</a>'
        '<link rel="alternate" href="/counties/derbyshire/">'
    )
    # After the night's first day, the moment in full.
    assert with_moment('<a href="/">i</a>', parse_at("2024-07-06T18:30")) == (
        '<a href="/?at=2024-07-06T18:30">i</a>'
    )


def test_a_replay_is_not_for_search_engines(client, every_seat):
    for address in [*REPLAYED[1:], "/regions/", "/regions/london/"]:
        html = client.get(address, {"at": AT}).content.decode()
        assert '<meta name="robots" content="noindex, follow">' in html, address
    for address in ["/constituencies/kettering/", "/parties/labour/", "/regions/london/"]:
        assert "noindex" not in client.get(address).content.decode(), address


def test_a_seat_s_former_address_keeps_the_moment(client, every_seat):
    response = client.get("/constituencies/queen-s-park-and-maida-vale/", {"at": AT})
    assert response.status_code == 301
    assert response["Location"] == "/constituencies/queens-park-and-maida-vale/?at=03:00"
