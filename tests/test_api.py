"""The open data: the JSON API (/api/v1/) and the CSV downloads."""

import csv
import io
import warnings
from datetime import timedelta

import pytest
from django.core.cache.backends.base import CacheKeyWarning
from django.utils import timezone

from liveblog.models import LivePage, Post, PostStatus
from results.models import Candidacy, Constituency
from tests.national_data import SCOREBOARD_AT_THE_END, correct_by
from tests.pages import text_of

pytestmark = pytest.mark.django_db


def get_json(client, address, **params):
    response = client.get(address, params)
    assert response["Content-Type"] == "application/json; charset=utf-8", address
    return response, response.json()


def get_problem(client, address, **params):
    """An error's status and detail, answered as problem details (RFC 9457)."""
    response = client.get(address, params)
    assert response["Content-Type"] == "application/problem+json", address
    return response.status_code, response.json()["detail"]


def rows_of(response):
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_a_seat_with_every_candidate(client, every_seat):
    response, seat = get_json(client, "/api/v1/constituencies/kettering")
    assert response.status_code == 200
    assert (seat["verdict"], seat["majority"], seat["ons_code"]) == (
        "LAB GAIN FROM CON",
        3820,
        "E14001311",
    )
    assert (seat["electorate"], seat["turnout"], seat["turnout_change"]) == (79360, 63.3, -5.03)
    assert seat["gained_from"]["slug"] == "conservative"
    assert seat["declared_at"] == "2024-07-05T06:42:00+01:00"
    winner = seat["candidates"][0]
    assert (winner["name"], winner["votes"], winner["share"], winner["share_change"]) == (
        "Rosie Wrighting",
        18009,
        35.85,
        8.94,
    )
    assert winner["elected"] is True and winner["party"]["slug"] == "labour"
    runner_up = seat["candidates"][1]
    assert (runner_up["name"], runner_up["sitting_mp"], runner_up["elected"]) == (
        "Philip Hollobone",
        True,
        False,
    )
    assert len(seat["candidates"]) == 8


def test_the_scoreboard_is_the_home_pages(client, every_seat):
    _, scoreboard = get_json(client, "/api/v1/scoreboard")
    home = text_of(client.get("/"))
    assert scoreboard["headline"] in home
    assert [
        (row["label"], row["seats"], row["change"]) for row in scoreboard["seats"]
    ] == SCOREBOARD_AT_THE_END
    assert (scoreboard["seats_declared"], scoreboard["seats_to_go"]) == (650, 0)
    labour = scoreboard["parties"][0]
    assert (labour["votes"], labour["share"], labour["share_change"], labour["seats"]) == (
        9708716,
        33.7,
        1.62,
        411,
    )
    assert f" Labour {labour['seats']} +211 9,708,716 33.7% +1.6 " in home
    assert scoreboard["valid_votes"] == 28809340
    assert sum(party["votes"] for party in scoreboard["parties"]) == 28809340
    assert (scoreboard["turnout"]["share"], scoreboard["turnout"]["change"]) == (59.7, -7.61)


def test_the_replay_obeys_the_pages_clamp(client, every_seat):
    _, early = get_json(client, "/api/v1/scoreboard", at="03:00")
    assert early["seats_declared"] == 44 and early["at"] == "2024-07-05T03:00:00+01:00"
    assert early["headline"] == (
        "Labour leads with 40 seats, 286 short of the 326 needed for a majority."
    )
    # Later than now is now: a replay never shows what readers cannot see.
    _, later = get_json(client, "/api/v1/scoreboard", at="2099-01-01T00:00")
    assert later["at"] is None and later["seats_declared"] == 650
    _, region = get_json(client, "/api/v1/regions/scotland", at="03:00")
    assert region["seats_declared"] == 1


def test_every_seat_filtered_and_paginated(client, every_seat):
    _, first = get_json(client, "/api/v1/constituencies")
    assert (first["count"], first["pages"], len(first["results"])) == (650, 7, 100)
    _, wales = get_json(client, "/api/v1/constituencies", nation="wales", outcome="gain")
    assert all(seat["nation"] == "Wales" and seat["outcome"] == "GAIN" for seat in wales["results"])
    ynys_mon = next(seat for seat in wales["results"] if seat["slug"] == "ynys-mon")
    assert ynys_mon["party"]["slug"] == "plaid-cymru"


def test_bad_input_is_a_4xx_with_a_json_body(client, every_seat):
    status, detail = get_problem(client, "/api/v1/constituencies", page="abc")
    assert status == 422 and detail.startswith("page: ")
    status, detail = get_problem(client, "/api/v1/constituencies", region="atlantis")
    assert (status, detail) == (
        422,
        "region: Input should be 'east-midlands', 'east-of-england', 'london', 'north-east', "
        "'north-west', 'northern-ireland', 'scotland', 'south-east', 'south-west', 'wales', "
        "'west-midlands' or 'yorkshire-and-the-humber'",
    )
    status, detail = get_problem(client, "/api/v1/constituencies", page=99)
    assert (status, detail) == (404, "No page 99: there are 7 pages of 100.")
    status, detail = get_problem(client, "/api/v1/constituencies/atlantis")
    assert (status, detail) == (404, "No constituency 'atlantis'.")


@pytest.mark.parametrize(
    "address",
    [
        "/api/v1/constituencies/kettering%0A",
        "/api/v1/regions/london%0A",
        "/api/v1/parties/labour%0A",
        "/api/v1/counties/derbyshire%0A/posts",
    ],
)
def test_a_name_ending_in_a_line_break_is_refused(client, db, caplog, address):
    # "$" in a Python pattern matches before a final line break: a slug must be the whole
    # value, or the cache is asked for a key memcached would refuse.
    with warnings.catch_warnings():
        warnings.simplefilter("error", CacheKeyWarning)
        status, detail = get_problem(client, address)
    assert (status, detail) == (422, "slug: String should match pattern '^[-_A-Za-z0-9]+$'")
    assert "cache unreachable" not in caplog.text


def test_regions_parties_and_declarations(client, every_seat):
    _, london = get_json(client, "/api/v1/regions/london")
    assert (london["seats"], london["seats_declared"]) == (75, 75)
    assert london["parties"][0]["party"]["slug"] == "labour"
    _, reform = get_json(client, "/api/v1/parties/reform-uk")
    assert (reform["seats"], reform["gained"], reform["second_places"]) == (5, 5, 98)
    assert "clacton" in reform["gains"]
    _, declared = get_json(client, "/api/v1/declarations")
    assert declared[0]["constituency"] == "inverness-skye-and-west-ross-shire"
    assert len(declared) == 100
    _, later = get_json(client, "/api/v1/declarations", since="2024-07-05T12:00")
    assert [result["constituency"] for result in later] == [
        "inverness-skye-and-west-ross-shire",
        "south-basildon-and-east-thurrock",
    ] or all(result["declared_at"] > "2024-07-05T12:00" for result in later)


def test_drafts_and_scheduled_posts_are_never_in_the_api(client, seeded):
    live_page = LivePage.objects.get(county__slug="derbyshire")
    Post.objects.create(live_page=live_page, title="Draft", status=PostStatus.DRAFT)
    Post.objects.create(
        live_page=live_page, title="Embargoed", published_at=timezone.now() + timedelta(hours=1)
    )
    _, posts = get_json(client, "/api/v1/counties/derbyshire/posts")
    titles = [post["title"] for post in posts]
    assert "Draft" not in titles and "Embargoed" not in titles
    assert len(posts) == live_page.posts.published().count()
    newest = posts[0]
    _, none_newer = get_json(client, "/api/v1/counties/derbyshire/posts", since=newest["id"])
    assert none_newer == []


def test_answers_are_open_to_any_origin_and_cached_with_etags(client, seeded):
    response = client.get("/api/v1/scoreboard")
    assert response["Access-Control-Allow-Origin"] == "*"
    again = client.get("/api/v1/scoreboard", HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304
    assert client.get("/data/results.csv")["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Origin" not in client.get("/")


def test_every_candidacy_as_csv(client, every_seat):
    response = client.get("/data/results.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = rows_of(response)
    assert len(rows) == 4515
    assert list(rows[0]) == [
        "ons_code",
        "constituency",
        "region",
        "nation",
        "candidate_id",
        "candidate",
        "dc_person_id",
        "mnis_id",
        "party",
        "party_abbreviation",
        "registered_party",
        "ec_party_id",
        "ec_adjunct_party_id",
        "votes",
        "share",
        "share_change",
        "sitting_mp",
        "elected",
    ]
    wrighting = next(row for row in rows if row["candidate"] == "Rosie Wrighting")
    assert (wrighting["votes"], wrighting["share"], wrighting["elected"]) == (
        "18009",
        "35.85",
        "yes",
    )


def test_a_correction_rewrites_only_its_seats_lines_of_the_national_files(
    client, every_seat, monkeypatch
):
    """The whole country's files are kept as each seat's lines; after a correction they
    read as a fresh file would, with only the corrected seat's lines read again."""
    from pages import downloads

    client.get("/data/results.csv")
    client.get("/data/constituencies.csv")
    read = []
    for memo, lines in [
        (downloads.candidacy_lines_now, downloads.candidacy_lines),
        (downloads.constituency_lines_now, downloads.constituency_lines),
    ]:
        monkeypatch.setattr(
            memo, "read", lambda slugs, lines=lines: read.append(slugs) or lines(slugs)
        )
    correct_by("hendon", 10)
    results = client.get("/data/results.csv").content.decode()
    seats = client.get("/data/constituencies.csv").content.decode()
    assert read == [["hendon"], ["hendon"]]
    hendon = next(
        row
        for row in rows_of(client.get("/data/constituencies.csv"))
        if row["constituency"] == "Hendon"
    )
    assert hendon["majority"] == "25"
    whole = downloads.csv_text(downloads.CANDIDACY_COLUMNS, rows=Candidacy.objects.for_download())
    assert results == whole
    assert seats == downloads.csv_text(
        downloads.CONSTITUENCY_COLUMNS, rows=Constituency.objects.for_list().order_by("name")
    )


def test_each_page_links_its_own_csv(client, every_seat):
    files = {
        "/constituencies/kettering/": "/data/constituencies/kettering.csv",
        "/regions/london/": "/data/regions/london.csv",
        "/parties/labour/": "/data/parties/labour.csv",
    }
    for page, data in files.items():
        assert f'href="{data}"' in client.get(page).content.decode(), page
    assert len(rows_of(client.get("/data/constituencies/kettering.csv"))) == 8
    assert len(rows_of(client.get("/data/regions/london.csv"))) == 75
    assert len(rows_of(client.get("/data/parties/reform-uk.csv"))) == 609
    assert len(rows_of(client.get("/data/counties/derbyshire.csv"))) == 11


def test_the_data_page_names_every_column_and_the_licence(client, seeded):
    text = text_of(client.get("/data/"))
    assert "Open Parliament Licence v3.0" in text
    for column in ["ons_code", "share_change", "sitting_mp", "majority", "declared_at"]:
        assert column in text
    assert "/api/v1/openapi.json" in client.get("/data/").content.decode()
