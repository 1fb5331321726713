"""The page cache: what each change re-renders, canonical keys, the site's own address,
scheduled posts, and the shared (Redis) mode with a copy in each process."""

import gzip
import re
import time
import zlib
from datetime import UTC, datetime, timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from liveblog.models import LivePage, Post
from pages import cache as page_cache
from pages import versions
from results.models import Constituency, Election, Party, Region, Result
from tests.conftest import SITE_URL
from tests.national_data import correct_by
from tests.newsroom.forms import declaration_form, declaration_post
from tests.pages import text_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def renders():
    """The names of the pages and fragments rendered, as they are."""
    names = []

    def record(sender, name, **kwargs):
        names.append(name)

    page_cache.rendered.connect(record)
    yield names
    page_cache.rendered.disconnect(record)


def derbyshire_post(title):
    return Post.objects.create(
        live_page=LivePage.objects.get(county__slug="derbyshire"),
        title=title,
        published_at=timezone.now(),
    )


def test_a_post_re_renders_its_county_not_another(client, seeded, renders):
    for address in ["/counties/derbyshire/", "/counties/northamptonshire/", "/"]:
        client.get(address)
    renders.clear()
    derbyshire_post("Turnout up in the Dales")
    northamptonshire = text_of(client.get("/counties/northamptonshire/"))
    assert "Turnout up in the Dales" not in northamptonshire
    client.get("/")
    assert renders == []
    assert "Turnout up in the Dales" in text_of(client.get("/counties/derbyshire/"))
    assert renders == ["/counties/derbyshire/?"]


def test_a_post_re_renders_the_list_of_posts_on_the_seats_it_names(client, seeded, renders):
    client.get("/constituencies/derbyshire-dales/")
    client.get("/constituencies/kettering/")
    renders.clear()
    post = derbyshire_post("A close count")
    post.blocks.create(text="Recount called in Derbyshire Dales.")
    from liveblog.services import post_mentions_refresh

    post_mentions_refresh(posts=[post])
    assert "A close count" in text_of(client.get("/constituencies/derbyshire-dales/"))
    client.get("/constituencies/kettering/")
    # Only the seat's list of posts: its result, the rest of its page, is as it was.
    assert renders == ["posts-about:derbyshire-dales"]


def declare_derbyshire_dales(desk_client):
    dales = Constituency.objects.get(slug="derbyshire-dales")
    labour, conservative = (Party.objects.get(slug=s) for s in ("labour", "conservative"))
    data = declaration_form(
        dales,
        [("John Whitby", labour, 17759), ("Sarah Dines", conservative, 17409)],
        outcome="GAIN",
        gained_from=conservative,
    )
    response = declaration_post(desk_client, dales, data)
    assert response.status_code == 302


def test_a_declaration_re_renders_what_it_touches(client, seeded, desk_client, renders):
    region = Region.objects.create(
        name="East Midlands", slug="east-midlands", ons_code="E12000004", nation="England"
    )
    Constituency.objects.filter(county__slug="derbyshire").update(region=region)
    touched = [
        "/constituencies/derbyshire-dales/",
        "/counties/derbyshire/",
        "/regions/east-midlands/",
        "/parties/labour/",
        "/parties/conservative/",
        "/",
        "/declarations/feed/",
    ]
    untouched = [
        "/constituencies/kettering/",
        "/constituencies/south-derbyshire/",
        "/counties/northamptonshire/",
        "/parties/liberal-democrat/",
    ]
    for address in touched + untouched:
        assert "643 seats to go" in text_of(client.get(address)) or address in (
            "/",
            "/declarations/feed/",
        )
    renders.clear()

    declare_derbyshire_dales(desk_client)
    pages = {address: text_of(client.get(address)) for address in touched + untouched}

    # Each page the declaration touches is rendered again; no other page's body is. The
    # strip is rendered once for them all, and so is the county's list of seats (for its
    # seat pages) and its results (for its own page); each party page's votes, which
    # every declaration changes, are rendered again, its list of seats only if it is
    # the party's own; the home page's projection and its region's squares on the
    # home page's map, no other region's. The declaration drafts a post naming the seat
    # (liveblog.drafts), so the seat's list of posts is looked at again.
    assert sorted(renders) == sorted(
        [f"{address}?" for address in touched]
        + ["strip", "county-seats:derbyshire", "county-results:derbyshire"]
        + ["posts-about:derbyshire-dales", "seat-map:east-midlands"]
        + ["party-figures:labour", "party-figures:conservative"]
        + ["party-figures:liberal-democrat", "projection"]
    )
    for address in touched[:5] + untouched:
        assert "642 seats to go" in pages[address], address
    assert "Derbyshire Dales LAB GAIN FROM CON" in pages["/constituencies/south-derbyshire/"]
    assert "Majority 350 votes" in pages["/constituencies/derbyshire-dales/"]
    assert "8 of 650 seats declared" in pages["/"]


def test_party_pages_read_the_national_figures_once_per_change(
    client, every_seat, django_assert_num_queries
):
    """Every declaration changes each party's share, so each party page's figures are
    rendered again; they are worked out once for them all, also in a fresh cache, where
    the versions of what they show were never written before the first page."""
    cache.clear()
    page_cache.clear_local()
    assert versions.read(["site", "nation"]) == {"site": None, "nation": None}
    parties = ["/parties/green/", "/parties/reform-uk/", "/parties/plaid-cymru/"]
    for address in parties:
        client.get(address)
    versions.bump(["nation"])
    assert "14.3% of the vote" in text_of(client.get("/parties/reform-uk/"))
    for address in ("/parties/green/", "/parties/plaid-cymru/"):
        with django_assert_num_queries(0):
            assert client.get(address).status_code == 200


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
    versions.bump(["nation"])
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


@pytest.fixture
def seat_reads(monkeypatch):
    """Each reading of seats' figures now from the database: the slugs, or None for all."""
    from pages import seats

    calls = []
    read = seats.seats_now.read
    monkeypatch.setattr(seats.seats_now, "read", lambda slugs: calls.append(slugs) or read(slugs))
    return calls


def test_every_seats_figures_are_read_once_per_change(client, every_seat, seat_reads):
    versions.bump(["site"])
    for address in ["/", "/lists/closest-results/", "/lists/highest-turnout/"]:
        assert client.get(address).status_code == 200
    assert round(client.get("/api/v1/scoreboard").json()["turnout"]["share"], 1) == 59.7
    assert seat_reads == [None]


def test_with_no_versions_a_region_reads_its_own_seats_not_every_seat(
    client, every_seat, seat_reads, monkeypatch
):
    # As when the cache cannot be reached: nothing is kept, so a region's page, its API
    # answer and a seat's list of its county's seats read their own seats alone.
    monkeypatch.setattr(versions, "read", lambda *args, **kwargs: None)
    london = text_of(client.get("/regions/london/"))
    assert "75 of 75 seats declared" in london
    assert "Hendon LAB GAIN FROM CON David Pinto-Duschinsky, Labour, majority 15" in london
    assert client.get("/api/v1/regions/london").json()["seats_declared"] == 75
    kettering = text_of(client.get("/constituencies/kettering/"))
    assert "Every seat in Northamptonshire Corby and East Northamptonshire LAB GAIN" in kettering
    assert seat_reads == []


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
    read = seats.tallies_now.read
    monkeypatch.setattr(seats.tallies_now, "read", lambda slugs: reads.append(slugs) or read(slugs))
    correct_by("hendon", 10)  # Labour's David Pinto-Duschinsky
    figures = client.get(labour).json()
    assert (figures["votes"], figures["share"]) == (9_708_726, 33.7)
    assert client.get("/api/v1/parties/conservative").json()["votes"] == 6_828_925
    assert reads == [["hendon"]]


def test_a_declaration_re_renders_its_regions_figures_and_no_others(client, every_seat, renders):
    for region in ("london", "scotland"):
        client.get(f"/api/v1/regions/{region}")
    renders.clear()
    correct_by("hendon", 10)
    london = client.get("/api/v1/regions/london").json()
    client.get("/api/v1/regions/scotland")
    hendon = next(seat for seat in london["constituencies"] if seat["slug"] == "hendon")
    assert hendon["majority"] == 25
    assert renders == ["/api/v1/regions/london?"]


def test_a_declaration_redraws_its_regions_squares_on_the_map_and_no_others(
    client, every_seat, renders
):
    for address in ["/", "/?view=gains"]:
        client.get(address)
    renders.clear()
    correct_by("hendon", 10)
    home = client.get("/").content.decode()
    client.get("/?view=gains")
    drawn = sorted(name for name in renders if name.startswith("seat-map:"))
    assert drawn == ["seat-map:london", "seat-map:london:gains"]
    assert (
        '<h3 id="map-region-london"><a href="/regions/london/">London</a> '
        '<span class="muted">75 of 75 declared</span></h3>'
    ) in home
    assert '<a href="/constituencies/hendon/"><title>Hendon: Labour gain from Conservative' in home
    assert home.count('/"><title>') == 650  # a square for every seat


def test_a_change_while_every_seat_is_read_is_read_again(client, every_seat, seat_reads):
    """A change committed between reading the rows and their versions: the figures are
    not kept at versions newer than their rows."""
    from pages import seats

    versions.bump(["site"])
    read = seats.seats_at
    seats.seats_at = lambda at, **lookups: [
        read(at, **lookups),
        versions.bump(["nation", "seat:hendon"]),  # as a commit in between would
    ][0]
    try:
        client.get("/lists/closest-results/")
    finally:
        seats.seats_at = read
    client.get("/lists/highest-turnout/")
    assert seat_reads == [None, None]


def test_a_stray_parameter_changes_neither_the_page_nor_the_cache(client, seeded, renders):
    first = client.get("/constituencies/kettering/").content
    kept = len(page_cache.local_pages.entries)
    for query in [
        "?utm_source=1",
        "?utm_source=2&fbclid=abc",
        "?sort=nonsense",
        "?at=03:00",  # the seat page does not replay
        "?page=7",
    ]:
        assert client.get(f"/constituencies/kettering/{query}").content == first, query
    assert len(page_cache.local_pages.entries) == kept
    assert renders == [
        "/constituencies/kettering/?",
        "strip",
        "posts-about:kettering",
        "county-seats:northamptonshire",
    ]


def test_a_parameter_is_read_however_its_name_is_written(client, seeded):
    # A query that cannot name a parameter the page reads is not parsed at all
    # (pages.params.query_of); one whose name is percent-escaped still is.
    now = client.get("/counties/derbyshire/").content
    replayed = client.get("/counties/derbyshire/?at=02:00").content
    assert replayed != now
    for query in ["?%61t=02:00", "?utm_source=1&at=02:00", "?a%74=02%3A00"]:
        assert client.get(f"/counties/derbyshire/{query}").content == replayed, query
    for query in ["?utm_source=at", "?ats=02:00", "?a+t=02:00", "?at+=02:00"]:
        assert client.get(f"/counties/derbyshire/{query}").content == now, query


def test_a_value_written_another_way_is_the_same_page(client, seeded, renders):
    page = client.get("/counties/derbyshire/").content
    for query in ["?page=1", "?page=01", "?page=+1", "?page=abc", "?at=", "?at=nonsense"]:
        assert client.get(f"/counties/derbyshire/{query}").content == page, query
    replayed = client.get("/counties/derbyshire/?at=02:00").content
    for query in ["?at=2:00", "?at=2024-07-05T02:00", "?at=2024-07-05T01:00:30Z"]:
        assert client.get(f"/counties/derbyshire/{query}").content == replayed, query
    assert [name for name in renders if name.startswith("/")] == [
        "/counties/derbyshire/?",
        "/counties/derbyshire/?at=2024-07-05T02%3A00%2B01%3A00",
    ]


def test_a_search_that_goes_to_a_seat_is_kept_as_a_redirect(client, seeded, renders):
    for _ in range(3):
        response = client.get("/search/?q=Kettering")
        assert response.status_code == 302
        assert response["Location"] == "/constituencies/kettering/"
    assert renders == ["/search/?q=Kettering"]


def test_a_page_past_the_last_is_not_found(client, seeded):
    assert client.get("/counties/derbyshire/?page=2").status_code == 404
    assert client.get("/parties/labour/?page=99999999999999").status_code == 404


def test_a_replay_never_shows_the_future(client, seeded):
    """`at` is clamped to the present: a post scheduled for later stays hidden."""
    Post.objects.create(
        live_page=LivePage.objects.get(county__slug="northamptonshire"),
        title="Embargoed until tomorrow",
        published_at=timezone.now() + timedelta(days=1),
    )
    for at in ["2099-01-01T00:00", "9999-12-31", "9999-12-31T23:59-05:00"]:
        response = client.get("/counties/northamptonshire/", {"at": at})
        assert response.status_code == 200
        assert "Embargoed" not in response.content.decode()


FORGED = "forged.example"


@pytest.mark.parametrize(
    "address",
    [
        "/",
        "/robots.txt",
        "/sitemap.xml",
        "/declarations/feed/",
        "/counties/derbyshire/feed/",
        "/counties/derbyshire/",
        "/constituencies/kettering/",
    ],
)
def test_a_forged_host_never_reaches_a_page(client, seeded, settings, address):
    settings.ALLOWED_HOSTS = ["*"]
    forged = client.get(address, HTTP_HOST=FORGED, HTTP_X_FORWARDED_HOST=FORGED)
    assert FORGED not in forged.content.decode()
    other_reader = client.get(address).content.decode()
    assert FORGED not in other_reader
    assert other_reader == forged.content.decode()
    assert SITE_URL in other_reader or address == "/constituencies/kettering/"


def test_a_post_page_says_where_it_lives(client, seeded, settings):
    post = Post.objects.filter(live_page__county__slug="derbyshire").first()
    settings.ALLOWED_HOSTS = ["*"]
    html = client.get(post.get_absolute_url(), HTTP_HOST=FORGED).content.decode()
    assert f'<link rel="canonical" href="{SITE_URL}{post.get_absolute_url()}">' in html
    assert f'<meta property="og:url" content="{SITE_URL}{post.get_absolute_url()}">' in html


def test_a_scheduled_post_appears_when_its_time_comes(client, seeded):
    due = timezone.now() + timedelta(seconds=1.5)
    Post.objects.create(
        live_page=LivePage.objects.get(county__slug="derbyshire"),
        title="Exit poll analysis",
        published_at=due,
    )
    assert "Exit poll analysis" not in text_of(client.get("/counties/derbyshire/"))
    time.sleep(max(0, (due - timezone.now()).total_seconds()) + 0.1)
    assert "Exit poll analysis" in text_of(client.get("/counties/derbyshire/"))


class TestSharedCache:
    """With Redis, versions and pages are shared by every process, and pages do not expire
    by the clock. The local-memory cache stands in for Redis; swapping the store of pages
    kept in memory stands in for another process."""

    @pytest.fixture(autouse=True)
    def shared(self, settings):
        settings.PAGE_CACHE_SHARED = True
        settings.PAGE_CACHE_SECONDS = 0  # no expiry by the clock: versions alone decide

    @staticmethod
    def another_process(monkeypatch):
        """From here on, a process that has kept nothing yet."""
        monkeypatch.setattr(page_cache, "local_pages", page_cache.LocalPages(2**24))
        monkeypatch.setattr(versions, "mirror", versions.Mirror())

    def test_a_page_rendered_by_one_process_is_served_by_the_others(
        self, client, seeded, renders, monkeypatch, django_assert_num_queries
    ):
        first = client.get("/counties/derbyshire/").content
        self.another_process(monkeypatch)
        with django_assert_num_queries(0):
            assert client.get("/counties/derbyshire/").content == first
        assert renders == ["/counties/derbyshire/?", "strip", "county-results:derbyshire"]

    def test_a_change_reaches_every_process_and_is_rendered_once(
        self, client, seeded, renders, monkeypatch
    ):
        client.get("/counties/derbyshire/")
        self.another_process(monkeypatch)
        client.get("/counties/derbyshire/")
        renders.clear()
        derbyshire_post("Declaration expected at 3am")
        assert "Declaration expected" in text_of(client.get("/counties/derbyshire/"))
        self.another_process(monkeypatch)
        assert "Declaration expected" in text_of(client.get("/counties/derbyshire/"))
        assert renders == ["/counties/derbyshire/?"]

    def test_a_hit_asks_the_cache_for_the_log_counter_at_most(
        self, client, seeded, monkeypatch, settings
    ):
        settings.PAGE_CACHE_SYNC_SECONDS = 0  # look at the log on every request
        client.get("/constituencies/kettering/")
        asked = []
        for method in ("get", "get_many"):
            real = getattr(page_cache.cache, method)
            monkeypatch.setattr(
                page_cache.cache,
                method,
                lambda key, *args, real=real, **kwargs: asked.append(key) or real(key, *args),
            )
        assert client.get("/constituencies/kettering/").status_code == 200
        assert asked == [versions.GENERATION_KEY]

    def test_between_looks_at_the_log_a_hit_asks_the_cache_nothing(
        self, client, seeded, monkeypatch, settings, django_assert_num_queries
    ):
        settings.PAGE_CACHE_SYNC_SECONDS = 60
        first = client.get("/counties/derbyshire/").content
        monkeypatch.setattr(page_cache.cache, "get", unreachable)
        monkeypatch.setattr(page_cache.cache, "get_many", unreachable)
        with django_assert_num_queries(0):
            assert client.get("/counties/derbyshire/").content == first

    def test_a_change_made_elsewhere_shows_at_the_next_look_at_the_log(
        self, client, seeded, monkeypatch, settings
    ):
        settings.PAGE_CACHE_SYNC_SECONDS = 60
        client.get("/counties/derbyshire/")
        with monkeypatch.context() as elsewhere:  # another process writes the post
            elsewhere.setattr(versions, "mirror", versions.Mirror())
            derbyshire_post("Declaration expected at 3am")
        assert "Declaration expected" not in text_of(client.get("/counties/derbyshire/"))
        settings.PAGE_CACHE_SYNC_SECONDS = 0.2
        time.sleep(0.2)
        assert "Declaration expected" in text_of(client.get("/counties/derbyshire/"))

    def test_a_process_that_misses_part_of_the_log_reads_the_versions_afresh(
        self, client, seeded, monkeypatch, settings
    ):
        settings.PAGE_CACHE_SYNC_SECONDS = 0
        client.get("/counties/derbyshire/")
        with monkeypatch.context() as elsewhere:
            elsewhere.setattr(versions, "mirror", versions.Mirror())
            derbyshire_post("Declaration expected at 3am")
            generation = page_cache.cache.get(versions.GENERATION_KEY)
            page_cache.cache.delete(versions.LOG_KEY.format(number=generation))  # lost
        assert "Declaration expected" in text_of(client.get("/counties/derbyshire/"))

    def test_a_change_made_in_this_process_shows_at_once(self, client, seeded, settings):
        settings.PAGE_CACHE_SYNC_SECONDS = 60
        client.get("/counties/derbyshire/")
        client.get("/counties/derbyshire/")
        derbyshire_post("Declaration expected at 3am")
        assert "Declaration expected" in text_of(client.get("/counties/derbyshire/"))


def unreachable(*args, **kwargs):
    raise AssertionError("the cache was asked")


class TestEncodings:
    @pytest.mark.parametrize(
        "size", [0, 1, 250, 251, 262, 263, 511, 512, 4096, 32505, 32506, 90000]
    )
    def test_a_piece_deflates_to_the_bytes_a_full_window_gives(self, client, seeded, size):
        # pages.cache.deflate fits the window to the piece; the bytes are the same.
        page = client.get("/").content
        piece = (page * (1 + size // len(page)))[:size]
        full = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
        assert page_cache.deflate(piece) == full.compress(piece) + full.flush(zlib.Z_FULL_FLUSH)

    def test_the_gzipped_page_is_the_page_with_its_fragments(self, client, seeded):
        plain = client.get("/constituencies/kettering/")
        zipped = client.get("/constituencies/kettering/", HTTP_ACCEPT_ENCODING="gzip")
        assert zipped["Content-Encoding"] == "gzip"
        assert gzip.decompress(zipped.content) == plain.content
        assert "National result" in text_of(plain)
        assert "Every seat in Northamptonshire" in text_of(plain)

    @pytest.mark.parametrize(
        "accept, gzipped",
        [
            ("gzip", True),
            ("br, gzip;q=0.5", True),
            ("*", True),
            ("gzip;q=0, identity", False),
            ("GZIP;Q=0", False),
            ("*;q=0", False),
            ("identity", False),
            ("", False),
        ],
    )
    def test_gzip_only_where_accepted(self, client, seeded, accept, gzipped):
        response = client.get("/", HTTP_ACCEPT_ENCODING=accept)
        assert (response.get("Content-Encoding") == "gzip") is gzipped

    def test_each_encoding_has_its_own_etag(self, client, seeded):
        plain = client.get("/")
        zipped = client.get("/", HTTP_ACCEPT_ENCODING="gzip")
        assert plain["ETag"] != zipped["ETag"]
        again = client.get("/", HTTP_IF_NONE_MATCH=zipped["ETag"])
        assert again.status_code == 200
        assert client.get("/", HTTP_IF_NONE_MATCH=plain["ETag"]).status_code == 304


@pytest.mark.parametrize("method", ["options", "trace", "post", "put", "delete"])
def test_reader_pages_answer_only_get_and_head(client, seeded, method):
    for address in ["/", "/counties/derbyshire/", "/constituencies/kettering/", "/healthz"]:
        assert getattr(client, method)(address).status_code == 405


def test_a_party_renamed_shows_on_its_candidates_seat_pages_at_once(client, seeded):
    # The seat page takes its candidates' parties from every party, read once per change
    # of the site (pages.seats.parties_now): a party's change is the site's.
    before = client.get("/constituencies/kettering/").content.decode()
    assert '<rect width="35.85" height="10" fill="#E4003B"/>' in before
    labour = Party.objects.get(slug="labour")
    labour.name, labour.colour = "Labour Co-op", "#C8102E"
    labour.save()
    page = client.get("/constituencies/kettering/")
    assert "Rosie Wrighting Labour Co-op 18,009 35.85%" in text_of(page)
    assert '<rect width="35.85" height="10" fill="#C8102E"/>' in page.content.decode()


def hendon_recounted_for_the_conservatives():
    """Hendon (Labour by 15) recounted: 20 more for the Conservative, who holds it."""
    from django.db import transaction

    from results.services import result_declare

    hendon = Constituency.objects.select_related("result").get(slug="hendon")
    conservative = hendon.candidacies.get(party__slug="conservative")
    with transaction.atomic():
        conservative.votes += 20
        conservative.save(update_fields=["votes"])
        result_declare(
            constituency=hendon,
            electorate=hendon.result.electorate,
            declared_at=hendon.result.declared_at,
        )


def test_the_national_figures_kept_follow_a_seat_changing_hands(client, every_seat):
    # The standings and the scoreboard are worked out from every seat's tally, kept; a
    # declaration takes its seat's old tally away and adds the new one. They must be
    # what adding up every seat again gives.
    from pages import fragments
    from results.scoreboard import computed_scoreboard, party_standings

    def seats_of(slug):
        return client.get(f"/api/v1/parties/{slug}").json()["seats"]

    assert (seats_of("labour"), seats_of("conservative")) == (411, 121)
    hendon_recounted_for_the_conservatives()
    assert (seats_of("labour"), seats_of("conservative")) == (410, 122)
    assert fragments.standings_now() == party_standings()
    election = Election.objects.current()
    assert fragments.scoreboard_now() == computed_scoreboard(election)
    labour = fragments.scoreboard_now().rows[0]
    assert (labour.label, labour.seats, labour.change) == ("Labour", 411, 210)
