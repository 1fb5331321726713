"""The lists that tell the night: pages, and a few lines of each on the home page."""

import csv
import html
import re
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.db.models import F

from results.models import Candidacy, Result
from tests.national_data import DATA, FILES
from tests.pages import text_of

pytestmark = pytest.mark.django_db


def ranked(client, address, **params):
    """The seats a list page ranks, in order, with their figures."""
    html = client.get(address, params).content.decode()
    # Replayed, a seat's link keeps the moment: /constituencies/<slug>/?at=02:00.
    seat_link = r"<li><a href=\"/constituencies/[^\"?]+/(?:\?at=[^\"]+)?\">([^<]+)</a>(.*?)</li>"
    items = re.findall(seat_link, html, re.S)
    return [(name, " ".join(re.sub(r"<[^>]+>", " ", rest).split())) for name, rest in items]


def test_closest_results(client, every_seat):
    rows = ranked(client, "/lists/closest-results/")
    assert [name for name, _ in rows[:3]] == ["Hendon", "Poole", "Basildon and Billericay"]
    assert rows[0][1] == "Labour gain from Conservative majority 15 (0.04%) David Pinto-Duschinsky"
    assert rows[2][1] == "Conservative hold majority 20 (0.05%) Richard Holden"
    assert len(rows) == 50
    assert "Page 1 of 13" in text_of(client.get("/lists/closest-results/"))


def test_biggest_majorities(client, every_seat):
    assert ranked(client, "/lists/biggest-majorities/")[0][0] == "Bootle"


def turnouts_in_the_library_file():
    """(seat, turnout as printed, MP) for every seat, from the Library's own file:
    valid votes as a percentage of the electorate, to two places, halves up."""
    with open(DATA / FILES["constituencies"], encoding="utf-8-sig", newline="") as file:
        return [
            (
                row["Constituency name"],
                (Decimal(row["Valid votes"]) * 100 / Decimal(row["Electorate"])).quantize(
                    Decimal("0.01"), ROUND_HALF_UP
                ),
                f"{row['Member first name']} {row['Member surname']}",
            )
            for row in csv.DictReader(file)
        ]


def turnout_rows(rows):
    """(seat, turnout, MP) of a list page's rows."""
    return [
        (name, Decimal(re.search(r"([\d.]+)% turnout", text)[1]), text.rsplit("turnout ", 1)[1])
        for name, text in rows
    ]


def test_highest_and_lowest_turnout(client, every_seat):
    seats = turnouts_in_the_library_file()
    highest = sorted(seats, key=lambda seat: (-seat[1], seat[0]))
    lowest = sorted(seats, key=lambda seat: (seat[1], seat[0]))
    assert turnout_rows(ranked(client, "/lists/highest-turnout/")[:3]) == highest[:3]
    assert turnout_rows(ranked(client, "/lists/lowest-turnout/")[:3]) == lowest[:3]
    # As a reader reads the top of each list.
    assert ranked(client, "/lists/highest-turnout/")[0] == (
        "Harpenden and Berkhamsted",
        "Liberal Democrat gain from Conservative 75.21% turnout Victoria Collins",
    )
    assert ranked(client, "/lists/lowest-turnout/")[0] == (
        "Manchester Rusholme",
        "Labour hold 39.99% turnout Afzal Khan",
    )


def test_lists_follow_the_replay(client, every_seat):
    rows = ranked(client, "/lists/closest-results/", at="02:00")
    assert len(rows) == 12
    html = client.get("/lists/closest-results/", {"at": "02:00"}).content.decode()
    ranked_links = re.findall(r'<li><a href="/constituencies/[-a-z]+/\?at=02:00">', html)
    assert len(ranked_links) == 12
    text = text_of(client.get("/lists/still-to-declare/", {"at": "02:00"}))
    assert "638 seats still to declare by then." in text
    assert "Every seat has declared." in text_of(client.get("/"))


def test_a_few_lines_of_each_on_the_home_page(client, every_seat):
    text = text_of(client.get("/"))
    lists = text.split("The night in lists")[1]
    assert lists.startswith(
        " Closest results Hendon Labour, majority 15 (0.04%) Poole Labour, majority 18 (0.04%)"
        " Basildon and Billericay Conservative, majority 20 (0.05%) Biggest majorities"
    )


def test_an_unknown_list_is_not_found(client, every_seat):
    assert client.get("/lists/longest-speeches/").status_code == 404


def test_biggest_swings(client, every_seat):
    rows = ranked(client, "/lists/biggest-swings/")
    assert rows[0] == (
        "North Shropshire",
        "Liberal Democrat gain from Conservative swing 41.07 pts from Conservative Helen Morgan",
    )


def test_mps_who_lost_their_seats(client, every_seat):
    text = text_of(client.get("/lists/defeated-mps/", {"page": 1}))
    lost = Candidacy.objects.filter(sitting_mp=True, constituency__result__isnull=False).exclude(
        constituency__result__winner=F("pk")
    )
    assert f"{lost.count()} MPs who stood again lost, the latest declared first" in text
    everyone = " ".join(
        text_of(client.get("/lists/defeated-mps/", {"page": page})) for page in range(1, 6)
    )
    latest_first = lost.order_by(
        F("constituency__result__declared_at").desc(nulls_last=True), "constituency__name", "name"
    ).values_list("name", "party__name", "constituency__name")
    in_order = [f"{name} ({party}) lost {seat} " for name, party, seat in latest_first]
    assert re.findall("|".join(map(re.escape, in_order)), everyone) == in_order
    assert "Liz Truss (Conservative) lost South West Norfolk LAB GAIN FROM CON" in everyone
    home = text_of(client.get("/")).split("MPs who lost their seats")[1]
    assert home.startswith(" Drew Hendry (SNP) in Inverness, Skye and West Ross-shire")
    early = text_of(client.get("/lists/defeated-mps/", {"at": "01:00"}))
    assert "1 MP who stood again lost, the latest declared first by then." in early
    assert "Robert Buckland (Conservative) lost Swindon South LAB GAIN FROM CON" in early


def test_the_projection_beside_the_seats_won(client, every_seat):
    # Its method, range and exit poll: tests/test_projection_page.py.
    text = text_of(client.get("/", {"at": "03:00"}))
    assert (
        "Where the night is heading: a projection Projected from 44 seats declared, "
        "by the seat model: Labour"
    ) in text
    # Beside the seats won, never instead of them.
    assert "Labour leads with 40 seats, 286 short of the 326 needed for a majority." in text
    # Not from a handful of seats (shown from 3), and not once every seat is in.
    assert "a projection" not in text_of(client.get("/", {"at": "00:30"}))
    assert "a projection" not in text_of(client.get("/"))
    projection = client.get("/api/v1/scoreboard", {"at": "03:00"}).json()["projection"]
    assert projection["method"] == "seat model" and projection["seats_declared"] == 44
    # No exit poll in these rows: the largest party still, short of a majority from 44
    # seats alone (with the exit poll: tests/test_projection_page.py).
    assert projection["seats"][0] == {"party": "Labour", "seats": 320}
    assert client.get("/api/v1/scoreboard").json()["projection"] is None


def latest_on_home(client, **params):
    """The home page's latest declarations, a line each."""
    html = client.get("/", params).content.decode()
    section = html.split('id="latest-heading"')[1].split("</section>")[0]
    items = re.findall(r"<li>(.*?)</li>", section, re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", item).split()) for item in items]


def test_the_latest_declarations_on_the_home_page(client, every_seat):
    latest = latest_on_home(client)
    assert latest[:2] == [
        "Inverness, Skye and West Ross-shire LD GAIN FROM SNP about 18:00 BST, 6 July",
        "South Basildon and East Thurrock REF GAIN FROM CON 18:42 BST, 5 July",
    ]
    # In the order the database gives them (Result.objects.latest_first).
    names = [result.constituency.name for result in Result.objects.latest_first()[:10]]
    assert all(line.startswith(f"{name} ") for line, name in zip(latest, names, strict=True))
    # Replayed: those declared by 03:00. Two declared at 02:56, the last stored first.
    early = latest_on_home(client, at="03:00")
    assert early[:4] == [
        "Barrow and Furness LAB GAIN FROM CON 02:59 BST, 5 July",
        "Darlington LAB GAIN FROM CON 02:57 BST, 5 July",
        "Kilmarnock and Loudoun LAB GAIN FROM SNP 02:56 BST, 5 July",
        "Coventry East LAB HOLD 02:56 BST, 5 July",
    ]


@pytest.mark.parametrize(
    ("address", "figure", "descending"),
    [
        ("/lists/highest-turnout/", "turnout", True),
        ("/lists/lowest-turnout/", "turnout", False),
        ("/lists/biggest-majorities/", "majority", True),
    ],
)
def test_seats_that_tie_are_listed_by_name(client, every_seat, address, figure, descending):
    results = Result.objects.values_list("constituency__name", figure)
    by_figure = sorted(results, key=lambda row: row[0])
    by_figure.sort(key=lambda row: row[1], reverse=descending)
    ties = sum(1 for one, two in zip(by_figure, by_figure[1:], strict=False) if one[1] == two[1])
    # The Library's turnouts, to 0.01 points, and its majorities often tie.
    assert ties == {"turnout": 74, "majority": 19}[figure]
    shown = [
        html.unescape(name)
        for page in range(1, 14)
        for name, _ in ranked(client, address, page=page)
    ]
    assert shown == [name for name, _ in by_figure]


def test_a_list_says_how_many_it_ranks_without_a_reason_it_lacks(client, seeded):
    # The seeds: seven Northamptonshire seats declared, most typed without an electorate,
    # so without a turnout; the turnout lists have no reason to give for them.
    declared = Result.objects.count()
    with_turnout = Result.objects.filter(turnout__isnull=False).count()
    assert (with_turnout, declared) == (2, 7)
    lede = text_of(client.get("/lists/highest-turnout/")).split("Highest turnout ")[2]
    assert lede.startswith(
        "Where the largest share of the electorate voted. "
        "2 of 7 declared seats have a turnout to rank. "
    )
    # A list with a reason still gives it.
    swings = text_of(client.get("/lists/biggest-swings/")).split("Biggest swings ")[2]
    assert swings.startswith(
        "The seats that moved most from the runner-up to the winner since 2019. "
        "0 of 7 declared seats have a swing to rank: in the other 7, the winner or the "
        "runner-up had no 2019 share there to swing from (an independent, or a party that "
        "did not stand there in 2019), or it is the Speaker's seat, where the main parties "
        "do not stand. "
    )
