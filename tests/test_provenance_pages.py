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

pytestmark = pytest.mark.django_db

LIBRARY_KETTERING = (
    "Source: House of Commons Library, results by constituency, updated 12 September 2024, row 314."
)
KETTERING_TURNOUT = (
    "The seed page gave turnout as 64.30%; this page shows the Library's 63.30% (valid "
    "votes as a share of the electorate)."
)
SEED_KETTERING = "Source: seed page 001_b1854586a9c0b26e.txt, line 34."
DESK_KETTERING = "Source: results desk, entered by dana at 09:14:07."
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
