"""One source of the national figures (issue 27): the night prepared the README's way,
with the seeds' printed scoreboard of the final result in the database, then seats
declared one by one. Every page and the API follow the seats declared; the printed
scoreboard never outranks them.

The expected figures are worked out here from the Library's files with the csv module,
not by the site's code."""

import csv
import json
import re
from collections import Counter
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from io import StringIO

import pytest
from django.core.management import call_command

from results.models import Constituency, Result
from results.services import count_declare
from tests.national_data import FILES, import_national_arguments, national_data
from tests.pages import text_of

pytestmark = pytest.mark.django_db

DECLARED_BY_DESK = 93  # with the seeds' 7, 100 declared: the issue's moment


def library_rows(name):
    with open(national_data() / FILES[name], newline="", encoding="utf-8-sig") as file:
        return list(csv.DictReader(file))


@pytest.fixture
def prepared_the_readme_way(seeded):
    """`import_seeds` (the fixture), then the nominations exactly as the README gives them."""
    call_command(
        "import_national",
        "--no-results",
        *import_national_arguments(national_data(), "candidates", "notionals"),
        stdout=StringIO(),
    )


def declare_earliest(count):
    """The `count` seats not yet declared that declared first on the night, through the
    desk's service, with the Library's votes; their ONS codes."""
    times = {row["ons_id"]: row["time_recorded"] for row in library_rows("declarations")}
    votes = {}
    for row in library_rows("candidates"):
        votes.setdefault(row["ONS ID"], {})[name_of(row)] = int(row["Votes"])
    waiting = Constituency.objects.filter(result__isnull=True).order_by("name")
    seats = sorted(waiting, key=lambda seat: (times[seat.ons_code], seat.name))[:count]
    for seat in seats:
        count_declare(
            constituency=seat,
            votes={c.pk: votes[seat.ons_code][c.name] for c in seat.candidacies.all()},
        )
    return [seat.ons_code for seat in seats]


def test_the_readme_nominations_give_every_seat_its_region(prepared_the_readme_way):
    assert Constituency.objects.count() == 650
    assert list(Constituency.objects.filter(region=None).values_list("name", flat=True)) == []
    regions = Counter(row["Region name"] for row in library_rows("constituencies"))
    assert Counter(Constituency.objects.values_list("region__name", flat=True)) == regions


def test_every_page_follows_the_seats_declared_not_the_printed_result(
    client, prepared_the_readme_way
):
    declare_earliest(DECLARED_BY_DESK)
    assert Result.objects.count() == 100

    home = text_of(client.get("/"))
    assert "100 of 650 seats declared · 550 to go · 326 for a majority" in home
    assert "has won a majority" not in home
    strip = text_of(client.get("/counties/derbyshire/"))
    assert "All 650 seats declared" not in strip
    assert "550 seats to go" in strip
    assert "550 seats still to declare." in text_of(client.get("/lists/still-to-declare/"))
    scoreboard = json.loads(client.get("/api/v1/scoreboard").content)
    assert (scoreboard["source"], scoreboard["seats_declared"], scoreboard["seats_to_go"]) == (
        "computed",
        100,
        550,
    )


def test_the_scoreboard_after_100_seats_is_the_librarys(client, prepared_the_readme_way):
    """Each party's seats and change since 2019 over the 100 seats in, worked out from the
    files: the winner from the Library's result, the 2019 holder from Rallings and
    Thrasher's notional result; the Speaker (Chorley) counts with Labour in both years."""
    declare_earliest(DECLARED_BY_DESK)
    declared = set(Result.objects.values_list("constituency__ons_code", flat=True))
    assert len(declared) == 100
    as_labour = {"Spk": "Lab", "Spkr": "Lab"}
    won = Counter(
        as_labour.get(row["First party"], row["First party"])
        for row in library_rows("constituencies")
        if row["ONS ID"] in declared
    )
    held = Counter(
        as_labour.get(row["Win19"], row["Win19"])
        for row in library_rows("notionals")
        if row["ONS code"] in declared
    )
    scoreboard = json.loads(client.get("/api/v1/scoreboard").content)
    shown = {row["label"]: (row["seats"], row["change"]) for row in scoreboard["seats"]}
    for label, abbreviation in [("Labour", "Lab"), ("Conservative", "Con")]:
        assert shown[label] == (won[abbreviation], won[abbreviation] - held[abbreviation])
    assert sum(seats for seats, _ in shown.values()) == 100
    assert sum(change for _, change in shown.values()) == 0


def test_an_open_home_page_has_a_place_for_each_part_that_comes_later(
    client, prepared_the_readme_way
):
    """refresh.js replaces the parts marked data-live of an open page with the fresh
    page's: a part that is not on the page when it is opened (the projection from 20
    seats, the latest declarations, the hours) needs a place there already."""
    live_parts = re.compile(r'data-live="([a-z-]+)"')
    Result.objects.all().delete()
    before = client.get("/").content.decode()
    assert '<div data-live="projection"></div>' in before
    assert '<div data-live="latest"></div>' in before
    assert '<div data-live="hours"></div>' in before
    declare_earliest(20)
    after = client.get("/").content.decode()
    assert live_parts.findall(after) == live_parts.findall(before)
    assert "Projected from 20 seats declared" in text_of(client.get("/"))
    assert "Projected from" not in text_of_html(before)


def text_of_html(html):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_a_desk_declaration_gives_each_candidate_a_change_in_share_and_a_swing(
    client, prepared_the_readme_way
):
    """The change in share since 2019 of seats declared at the desk, worked out from the
    files: the candidate's share of the seat's votes now against their party's share of
    the seat's 2019 notional votes (Rallings and Thrasher: Reform UK against the Brexit
    Party, the Speaker's own votes those of the largest other), in points, rounded half
    up to two places; unknown for parties those 2019 votes do not name. Each is also
    within 0.01 of the Library's own "Change" (a fraction rounded to six places). Chorley,
    the Speaker's seat, has no swing."""
    column_in_2019 = {
        **{name: f"{name}v" for name in ("LD", "SNP", "PC", "DUP", "SF", "SDLP", "UUP", "APNI")},
        **{"Con": "Conv", "Lab": "Labv", "RUK": "Brxv", "Green": "Grnv", "SG": "Grnv"},
        "Spk": "MaxOthv",
    }
    seats = declare_earliest(60)
    in_2019 = {row["ONS code"]: row for row in library_rows("notionals")}
    rows = [row for row in library_rows("candidates") if row["ONS ID"] in seats]
    totals = Counter()
    for row in rows:
        totals[row["ONS ID"]] += int(row["Votes"])
    expected = {}
    for row in rows:
        seat, name = row["ONS ID"], name_of(row)
        then = in_2019[seat].get(column_in_2019.get(row["Party abbreviation"], ""), "")
        change = None
        if then not in ("", "0"):
            exact = Fraction(int(row["Votes"]), totals[seat]) - Fraction(
                int(then.replace(",", "")), int(in_2019[seat]["total_votes"].replace(",", ""))
            )
            change = (Decimal(exact.numerator) * 100 / Decimal(exact.denominator)).quantize(
                Decimal("0.01"), rounding=ROUND_HALF_UP
            )
            assert abs(change - Decimal(row["Change"]) * 100) <= Decimal("0.01")
        expected[(seat, name)] = change
    # Butler swing: half the winner's change less the runner-up's, where both are known.
    expected_swings = {}
    for seat in seats:
        first, second = sorted((r for r in rows if r["ONS ID"] == seat), key=votes_of)[-1:-3:-1]
        changes = [expected[(seat, name_of(first))], expected[(seat, name_of(second))]]
        expected_swings[seat] = None
        # None where the Speaker stands: the main parties do not stand against him.
        speaker_stands = "Spk" in (first["Party abbreviation"], second["Party abbreviation"])
        if None not in changes and not speaker_stands:
            swing = (changes[0] - changes[1]) / 2
            expected_swings[seat] = swing.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    slugs = dict(Constituency.objects.values_list("ons_code", "slug"))
    shown, swings = {}, {}
    for ons_code in seats:
        answer = client.get(f"/api/v1/constituencies/{slugs[ons_code]}").json()
        for candidate in answer["candidates"]:
            change = candidate["share_change"]
            shown[(ons_code, candidate["name"])] = None if change is None else Decimal(str(change))
        swings[ons_code] = None if answer["swing"] is None else Decimal(str(answer["swing"]))
    assert shown == expected
    assert swings == expected_swings
    assert (
        sum(swing is not None for swing in swings.values()) == 55
    )  # 56 before Chorley lost its swing


def votes_of(row):
    return int(row["Votes"])


def name_of(row):
    return f"{row['Candidate first name']} {row['Candidate surname']}".strip()
