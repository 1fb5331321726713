"""Each result's source, and what other sources gave, as readers and data users see them:
the seat page, the API and the constituencies CSV."""

from datetime import UTC, datetime
from unittest import mock

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from results.models import Result, ResultRevision
from results.services import result_declare
from tests.pages import text_of
from tests.test_api import get_json, rows_of

pytestmark = pytest.mark.django_db

LIBRARY_KETTERING = (
    "Source: House of Commons Library, results by constituency, updated 12 September 2024, row 314."
)
KETTERING_TURNOUT = (
    "The seed page gave turnout as 64.30%; this page shows the Library's 63.30% (valid "
    "votes as a share of the electorate)."
)
SEED_KETTERING = "Source: seed page 001_b1854586a9c0b26e.txt, line 34."
DESK_KETTERING = "Source: results desk, entered by dana at 09:14:07, Friday 5 July."
DESK_TIME = datetime(2024, 7, 5, 8, 14, 7, tzinfo=UTC)


def seat_page(client, slug):
    return text_of(client.get(f"/constituencies/{slug}/"))


def desk_corrects_kettering(user):
    """Ten votes more for the winner, declared again by `user` at 09:14:07 UK time."""
    result = Result.objects.select_related("winner", "constituency").get(
        constituency__slug="kettering"
    )
    result.winner.votes += 10
    result.winner.save(update_fields=["votes"])
    # The imports' changes on the night, then the desk's that morning.
    ResultRevision.objects.filter(result__constituency__slug="kettering").update(
        changed_at=datetime(2024, 7, 5, 5, 42, tzinfo=UTC)
    )
    with mock.patch("django.utils.timezone.now", return_value=DESK_TIME):
        _, revision = result_declare(
            constituency=result.constituency,
            electorate=result.electorate,
            declared_at=result.declared_at,
            user=user,
            reason="A bundle of ten was missed",
        )
    return revision


def test_the_seat_page_names_the_seed_page_and_line(client, seeded):
    assert SEED_KETTERING in seat_page(client, "kettering")


def test_the_seat_page_names_the_library_row_and_the_seeds_turnout(client, every_seat):
    text = seat_page(client, "kettering")
    assert f"{LIBRARY_KETTERING} {KETTERING_TURNOUT}" in text
    assert "Turnout 63.30%" in text


def test_the_seat_page_names_the_desk_member_and_time(client, every_seat, desk):
    desk_corrects_kettering(desk)
    text = seat_page(client, "kettering")
    assert DESK_KETTERING in text
    assert "The seed page gave" not in text


def test_an_approximate_time_reads_as_one(client, every_seat):
    text = seat_page(client, "inverness-skye-and-west-ross-shire")
    assert "Declared about 18:00 BST, Saturday 6 July" in text
    assert "Declared 06:42 BST, Friday 5 July" in seat_page(client, "kettering")


def test_a_desk_source_costs_no_query_more(client, every_seat, desk):
    cache.clear()
    with CaptureQueriesContext(connection) as library:
        assert client.get("/constituencies/kettering/").status_code == 200
    desk_corrects_kettering(desk)
    cache.clear()
    with CaptureQueriesContext(connection) as by_the_desk:
        assert DESK_KETTERING in text_of(client.get("/constituencies/kettering/"))
    assert len(by_the_desk) == len(library)


def source_in_the_api(client, slug):
    _, seat = get_json(client, f"/api/v1/constituencies/{slug}")
    return seat["source"], seat["declared_at_approximate"]


def constituency_row(client, name):
    rows = rows_of(client.get("/data/constituencies.csv"))
    row = next(row for row in rows if row["constituency"] == name)
    return tuple(row[column] for column in CSV_COLUMNS)


CSV_COLUMNS = (
    "source",
    "source_document",
    "source_line",
    "source_edition",
    "declared_at",
    "declared_at_approximate",
)
NO_ENTRY = {"entered_by": None, "entered_at": None}


def test_the_api_and_csv_name_the_seed_page_and_line(client, seeded):
    assert source_in_the_api(client, "kettering") == (
        {
            "kind": "seed",
            "document": "001_b1854586a9c0b26e.txt",
            "line": 34,
            "edition": None,
            **NO_ENTRY,
            "note": None,
        },
        False,
    )
    assert constituency_row(client, "Kettering") == (
        "seed",
        "001_b1854586a9c0b26e.txt",
        "34",
        "",
        "",
        "no",
    )


def test_the_api_and_csv_name_the_library_row_and_the_seeds_turnout(client, every_seat):
    assert source_in_the_api(client, "kettering") == (
        {
            "kind": "national",
            "document": "HoC-GE2024-results-by-constituency.csv",
            "line": 314,
            "edition": "updated 12 September 2024",
            **NO_ENTRY,
            "note": "The seed page gave turnout as 64.30%; the site shows the Library's "
            "63.30% (valid votes as a share of the electorate).",
        },
        False,
    )
    assert constituency_row(client, "Kettering") == (
        "national",
        "HoC-GE2024-results-by-constituency.csv",
        "314",
        "updated 12 September 2024",
        "2024-07-05T06:42:00+01:00",
        "no",
    )


def test_the_api_and_csv_mark_an_approximate_time(client, every_seat):
    source, approximate = source_in_the_api(client, "inverness-skye-and-west-ross-shire")
    assert (source["line"], approximate) == (304, True)
    assert constituency_row(client, "Inverness, Skye and West Ross-shire") == (
        "national",
        "HoC-GE2024-results-by-constituency.csv",
        "304",
        "updated 12 September 2024",
        "2024-07-06T18:00:00+01:00",
        "yes",
    )


def test_the_api_and_csv_name_the_desk_member_and_time(client, every_seat, desk):
    desk_corrects_kettering(desk)
    assert source_in_the_api(client, "kettering") == (
        {
            "kind": "desk",
            "document": None,
            "line": None,
            "edition": None,
            "entered_by": "dana",
            "entered_at": "2024-07-05T09:14:07+01:00",
            "note": None,
        },
        False,
    )
    assert constituency_row(client, "Kettering") == (
        "desk",
        "",
        "",
        "",
        "2024-07-05T06:42:00+01:00",
        "no",
    )


def test_a_seat_awaiting_its_result_has_no_source(client, seeded):
    seat = Result.objects.first().constituency
    Result.objects.filter(pk=seat.result.pk).delete()
    assert source_in_the_api(client, seat.slug) == (None, None)


def test_every_list_of_declarations_marks_an_approximate_time(client, every_seat):
    from tests.test_night_lists import latest_on_home
    from tests.test_tables import rows_of as table_rows

    assert latest_on_home(client)[:2] == [
        "Inverness, Skye and West Ross-shire LD GAIN FROM SNP about 18:00 BST, 6 July",
        "South Basildon and East Thurrock REF GAIN FROM CON 18:42 BST, 5 July",
    ]
    scotland = table_rows(client.get("/constituencies/", {"region": "scotland"}))
    [inverness] = [row for row in scotland if row[0] == "Inverness, Skye and West Ross-shire"]
    assert inverness[-1] == "about 18:00, 6 Jul"


def test_every_list_of_the_api_marks_an_approximate_time(client, every_seat):
    _, scotland = get_json(client, "/api/v1/constituencies", region="scotland")
    marked = {
        seat["slug"]: (seat["declared_at"], seat["declared_at_approximate"])
        for seat in scotland["results"]
    }
    assert marked["inverness-skye-and-west-ross-shire"] == ("2024-07-06T18:00:00+01:00", True)
    assert marked["glasgow-north"][1] is False
    _, declared = get_json(client, "/api/v1/declarations")
    assert [
        (each["constituency"], each["declared_at"], each["declared_at_approximate"])
        for each in declared[:2]
    ] == [
        ("inverness-skye-and-west-ross-shire", "2024-07-06T18:00:00+01:00", True),
        ("south-basildon-and-east-thurrock", "2024-07-05T18:42:00+01:00", False),
    ]


def entry_in_the_csv(client, name, address="/data/constituencies.csv"):
    rows = rows_of(client.get(address))
    row = next(row for row in rows if row["constituency"] == name)
    return row["source"], row["source_entered_by"], row["source_entered_at"], row["source_note"]


def test_the_csv_names_the_desk_member_and_time(client, every_seat, desk):
    desk_corrects_kettering(desk)
    entry = ("desk", "dana", "2024-07-05T09:14:07+01:00", "")
    assert entry_in_the_csv(client, "Kettering") == entry
    # Filtered, and a region's file, read the same.
    assert entry_in_the_csv(client, "Kettering", "/data/constituencies.csv?party=labour") == entry
    assert entry_in_the_csv(client, "Kettering", "/data/regions/east-midlands.csv") == entry


def test_the_csv_gives_the_seeds_turnout_beside_the_librarys(client, every_seat):
    assert entry_in_the_csv(client, "Kettering") == (
        "national",
        "",
        "",
        "The seed page gave turnout as 64.30%; the site shows the Library's 63.30% (valid "
        "votes as a share of the electorate).",
    )
