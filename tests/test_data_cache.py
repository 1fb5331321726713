"""The figures kept for renders (pages.data_cache): worked out once per change of what
they rest on, a declaration's seat alone read again."""

import re
from datetime import UTC, datetime

import pytest

from pages import data_cache
from results.models import Result
from tests.national_data import correct_by
from tests.pages import text_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def seat_reads(monkeypatch):
    """Each reading of seats' figures now from the database: the slugs, or None for all."""
    from pages import seats

    calls = []
    read = seats.kept_seats.read
    monkeypatch.setattr(seats.kept_seats, "read", lambda slugs: calls.append(slugs) or read(slugs))
    return calls


def test_every_seats_figures_are_read_once_per_change(client, every_seat, seat_reads):
    data_cache.write(["site"])
    for address in ["/", "/lists/closest-results/", "/lists/highest-turnout/"]:
        assert client.get(address).status_code == 200
    assert round(client.get("/api/v1/scoreboard").json()["turnout"]["share"], 1) == 59.7
    assert seat_reads == [None]


def closest(client):
    html = client.get("/lists/closest-results/").content.decode()
    return re.findall(r'<li><a href="/constituencies/[^"]+/">([^<]+)</a>', html)[:3]


def test_a_declaration_reads_its_own_seat_again_not_every_seat(client, every_seat, seat_reads):
    assert closest(client) == ["Hendon", "Poole", "Basildon and Billericay"]
    seat_reads.clear()
    correct_by("hendon", 10)  # a majority of 15 becomes 25
    assert closest(client) == ["Poole", "Basildon and Billericay", "Hendon"]
    assert seat_reads == [["hendon"]]


def test_a_declaration_reads_its_own_seat_again_for_the_party_figures(
    client, every_seat, monkeypatch
):
    from pages import seats

    labour = "/api/v1/parties/labour"
    assert client.get(labour).json()["votes"] == 9_708_716
    reads = []
    read = seats.kept_tallies.read
    monkeypatch.setattr(
        seats.kept_tallies, "read", lambda slugs: reads.append(slugs) or read(slugs)
    )
    correct_by("hendon", 10)  # Labour's David Pinto-Duschinsky
    figures = client.get(labour).json()
    assert (figures["votes"], figures["share"]) == (9_708_726, 33.7)
    assert client.get("/api/v1/parties/conservative").json()["votes"] == 6_828_925
    assert reads == [["hendon"]]


def test_a_change_while_every_seat_is_read_is_read_again(client, every_seat, seat_reads):
    """A change committed between reading the rows and their versions: the figures are
    not kept at versions newer than their rows."""
    from pages import seats

    data_cache.write(["site"])
    read = seats.read_seats
    seats.read_seats = lambda at, **lookups: [
        read(at, **lookups),
        data_cache.write(["nation", "seat:hendon"]),  # as a commit in between would
    ][0]
    try:
        client.get("/lists/closest-results/")
    finally:
        seats.read_seats = read
    client.get("/lists/highest-turnout/")
    assert seat_reads == [None, None]


def test_the_projection_is_worked_out_once_per_change_for_home_and_api(
    client, every_seat, monkeypatch
):
    from results import projected

    calls = []

    def counted(at):
        calls.append(at)
        return projected.projection_at(at)

    for module in ("pages.fragments", "pages.api"):
        monkeypatch.setattr(f"{module}.projection_at", counted, raising=False)
    data_cache.write(["nation"])
    assert "Projected from" in text_of(client.get("/?at=03:00"))
    assert calls == [datetime(2024, 7, 5, 2, 0, tzinfo=UTC)]  # a replay, its own
    calls.clear()
    home = text_of(client.get("/"))
    api = client.get("/api/v1/scoreboard").json()
    assert "Projected from" not in home and api["projection"] is None  # all 650 are in
    assert calls == []  # it would be the result: not worked out at all
    Result.objects.get(constituency__slug="hendon").delete()  # 649 in
    home = text_of(client.get("/"))
    api = client.get("/api/v1/scoreboard").json()
    assert "Projected from 649 seats declared" in home
    assert api["projection"]["seats_declared"] == 649
    assert calls == [None]


def test_party_pages_work_out_the_standings_once_per_change(client, every_seat, monkeypatch):
    from pages import fragments

    computed = []
    compute = fragments.kept_standings.compute
    monkeypatch.setattr(
        fragments.kept_standings, "compute", lambda: computed.append(1) or compute()
    )
    data_cache.write(["nation"])
    assert "14.3% of the vote" in text_of(client.get("/parties/reform-uk/"))
    for address in ("/parties/green-party/", "/parties/plaid-cymru/", "/parties/"):
        assert client.get(address).status_code == 200
    assert computed == [1]


def test_without_the_cache_every_figure_is_worked_out_on_each_render(
    client, every_seat, seat_reads, monkeypatch
):
    monkeypatch.setattr(data_cache, "read", lambda tags: None)  # as when Redis is away
    assert "75 of 75 seats declared" in text_of(client.get("/regions/london/"))
    assert client.get("/api/v1/regions/london").json()["seats_declared"] == 75
    assert seat_reads == [None, None]
