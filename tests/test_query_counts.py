"""Every page runs a fixed number of queries, the same on the seeds and at a large scale."""

from datetime import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from liveblog.models import LivePage, Post
from pages.params import polling_day
from results.models import ChangeRecord, Constituency, Region, Result
from results.times import UK
from tests.scale import scale_data_create

pytestmark = pytest.mark.django_db

# The home page is the densest: scoreboard, votes, the map and lists, and the projection.
QUERY_BUDGET = 15

# The exit poll's lines with their poll and parties, in one query
# (pages.fragments.read_exit_poll): on the home page, and in the strip every page carries.
EXIT_POLL = 1

# page: (address on the seeds, address of the same kind at the large scale, queries),
# counted from nothing (the cache emptied). The strip's scoreboard reads every seat's
# tally (two queries, its parties those kept: pages.seats.kept_tallies), as the party
# standings do; a page that shows posts asks when the next post published for later is
# due (pages.http_cache).
PAGES = {
    "home": ("/", "/", 10 + EXIT_POLL),
    "home, replayed": ("/?at=03:00", "/?at=03:00", 12 + EXIT_POLL),
    # A region's and a county's seats and tallies are those kept for every seat now
    # (pages.seats.seats_of_place, tallies_of_seats); replayed, its own seats are read.
    "region": ("/regions/east-midlands/", "/regions/scale-region-01/", 5 + EXIT_POLL),
    "county": ("/counties/northamptonshire/", "/counties/scaleshire-01/", 11 + EXIT_POLL),
    "county, page 2": (
        "/counties/northamptonshire/?page=2",
        "/counties/scaleshire-01/?page=2",
        11 + EXIT_POLL,
    ),
    # What an open county page asks for: its posts changed since, and its results.
    "county updates": (
        "/counties/northamptonshire/updates/?since=0",
        "/counties/scaleshire-01/updates/?since=0",
        8 + EXIT_POLL,
    ),
    "county, replayed": (
        "/counties/derbyshire/?at=02:00",
        "/counties/scaleshire-01/?at=02:00",
        12 + EXIT_POLL,
    ),
    # A seat's page and its API read every party once per change of the site
    # (pages.seats.kept_parties), its candidates' parties from them.
    "constituency": (
        "/constituencies/kettering/",
        "/constituencies/scaleshire-01-division-1/",
        8 + EXIT_POLL,
    ),
    "constituency, sorted": (
        "/constituencies/kettering/?sort=party",
        "/constituencies/scaleshire-01-division-1/?sort=party",
        8 + EXIT_POLL,
    ),
    # A party's page says what its candidates stood as (Party.objects.registered_parties).
    "party": ("/parties/labour/", "/parties/labour/", 7 + EXIT_POLL),
    "parties": ("/parties/", "/parties/", 3 + EXIT_POLL),
    "regions": ("/regions/", "/regions/", 4 + EXIT_POLL),
    # Replayed (issue 30): a seat's page reads the posts about it and its county's seats
    # as they stood; the others their figures as they stood, as the home page does. It
    # shows posts, so it also asks when the next post is due (pages.http_cache).
    "constituency, replayed": (
        "/constituencies/kettering/?at=03:00",
        "/constituencies/scaleshire-01-division-1/?at=03:00",
        7 + EXIT_POLL,
    ),
    "party, replayed": ("/parties/labour/?at=03:00", "/parties/labour/?at=03:00", 8 + EXIT_POLL),
    "parties, replayed": ("/parties/?at=03:00", "/parties/?at=03:00", 4 + EXIT_POLL),
    "regions, replayed": ("/regions/?at=03:00", "/regions/?at=03:00", 2 + EXIT_POLL),
    "every seat, replayed": (
        "/constituencies/?at=03:00",
        "/constituencies/?at=03:00",
        6 + EXIT_POLL,
    ),
    # Search reads every seat's and every candidate's name (results.search matches them
    # in Python), then the rows of the best 50 shown, if any: seats match here, people
    # do not, so their rows are not read (tests/results/test_forgiving_search.py).
    "search": ("/search/?q=north", "/search/?q=division", 7 + EXIT_POLL),
    "county feed": ("/counties/derbyshire/feed/", "/counties/scaleshire-01/feed/", 5),
    "declarations feed": ("/declarations/feed/", "/declarations/feed/", 1),
    "every seat": ("/constituencies/", "/constituencies/", 8 + EXIT_POLL),
    "a list": ("/lists/closest-results/", "/lists/closest-results/", 4 + EXIT_POLL),
    "a list, replayed": (
        "/lists/highest-turnout/?at=03:00",
        "/lists/highest-turnout/?at=03:00",
        2 + EXIT_POLL,
    ),
    "still to declare": ("/lists/still-to-declare/", "/lists/still-to-declare/", 4 + EXIT_POLL),
    "MPs who lost": ("/lists/defeated-mps/", "/lists/defeated-mps/", 5 + EXIT_POLL),
    "api: scoreboard": ("/api/v1/scoreboard", "/api/v1/scoreboard", 9),
    "api: scoreboard replayed": ("/api/v1/scoreboard?at=03:00", "/api/v1/scoreboard?at=03:00", 10),
    # The API's regions are the Library's twelve (pages.api.Regions), and the large
    # scale's are made up: its East Midlands is the seeds' Northamptonshire, among 650.
    "api: constituencies": (
        "/api/v1/constituencies?region=east-midlands",
        "/api/v1/constituencies?region=East-Midlands&page_size=650",
        3,
    ),
    "api: constituency": (
        "/api/v1/constituencies/kettering",
        "/api/v1/constituencies/scaleshire-01-division-1",
        3,
    ),
    "api: region": ("/api/v1/regions/east-midlands", "/api/v1/regions/scale-region-01", 5),
    # Seats by ONS code: the code narrows the query of the seats chosen, as a filter
    # does (tests/test_identifiers.py counts the lookup's redirect).
    "api: seats by ONS code": (
        "/api/v1/constituencies?ons_code=E14001311",
        "/api/v1/constituencies?ons_code=X00000001",
        2,
    ),
    # A party's registered parties (Party.objects.registered_parties) in one query.
    "api: party": ("/api/v1/parties/labour", "/api/v1/parties/labour", 6),
    "api: posts": (
        "/api/v1/counties/derbyshire/posts",
        "/api/v1/counties/scaleshire-01/posts",
        5,
    ),
    "api: declarations": ("/api/v1/declarations", "/api/v1/declarations", 1),
    # The index reads nothing; the lists of regions and counties every seat's figures,
    # that of parties the standings (both kept, as the pages' are).
    "api: index": ("/api/v1/", "/api/v1/", 0),
    # And every party's registered parties (Party.objects.registered_parties) in one;
    # by an EC id, the party of that id (Party.objects.with_ec_id) in one more.
    "api: parties": ("/api/v1/parties", "/api/v1/parties", 4),
    "api: parties by EC id": ("/api/v1/parties?ec_id=PP53", "/api/v1/parties?ec_id=pp53", 5),
    "api: regions": ("/api/v1/regions", "/api/v1/regions", 1),
    "api: counties": ("/api/v1/counties", "/api/v1/counties", 1),
    "results as CSV": ("/data/results.csv", "/data/results.csv", 2),
    "2019 notionals as CSV": ("/data/notionals.csv", "/data/notionals.csv", 1),
    # The files' own queries (seats 1, candidacies 2, notionals 1), then how many results
    # came from each source, and which were corrected (pages.package).
    "every file in one zip": (
        "/data/uk-general-election-2024.zip",
        "/data/uk-general-election-2024.zip",
        1 + 2 + 1 + 2,
    ),
    "a seat as CSV": (
        "/data/constituencies/kettering.csv",
        "/data/constituencies/scaleshire-01-division-1.csv",
        2,
    ),
    "every seat, filtered": (
        "/constituencies/?region=east-midlands&outcome=gain&sort=-majority",
        "/constituencies/?region=scale-region-01&outcome=gain&sort=-majority",
        9 + EXIT_POLL,
    ),
    "every seat as CSV": (
        "/data/constituencies.csv?party=labour",
        "/data/constituencies.csv?party=labour",
        2,
    ),
}


def count_queries(client, address):
    """Queries to render a page and the fragments in it, no figures kept yet but the
    current election (read once per change of the site, not once a page)."""
    cache.clear()
    polling_day()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(address)
    assert response.status_code == 200, address
    return len(queries.captured_queries)


def post_address(county_slug):
    return Post.objects.filter(live_page__county__slug=county_slug).first().get_absolute_url()


def test_query_counts_do_not_grow_with_the_data(client, seeded):
    region = Region.objects.create(
        name="East Midlands", slug="east-midlands", ons_code="E12000004", nation="England"
    )
    Constituency.objects.filter(county__slug="northamptonshire").update(region=region)
    northamptonshire = LivePage.objects.get(county__slug="northamptonshire")
    Post.objects.bulk_create(Post(live_page=northamptonshire, title=f"{n}") for n in range(10))
    pages = dict(PAGES)
    pages["post"] = (post_address("derbyshire"), None, 7 + EXIT_POLL)
    at_seed_scale = {name: count_queries(client, seed) for name, (seed, _, _) in pages.items()}

    counts = scale_data_create()
    assert counts == {"counties": 50, "constituencies": 650, "candidacies": 4550, "posts": 2000}
    pages["post"] = (None, post_address("scaleshire-01"), 7 + EXIT_POLL)
    at_large_scale = {name: count_queries(client, large) for name, (_, large, _) in pages.items()}

    expected = {name: queries for name, (_, _, queries) in pages.items()}
    assert at_seed_scale == expected
    assert at_large_scale == expected
    assert max(expected.values()) <= QUERY_BUDGET


def home_chart(client):
    """The home page's queries, counted from nothing, and its chart of the night."""
    queries = count_queries(client, "/")
    return queries, client.get("/").context["chart"]


def test_a_far_declaration_time_costs_the_home_page_nothing_more(client, every_seat):
    """A time far past the night, written past the services (which refuse it), makes
    the chart walk no more hours than the night's last: a week from polls closing."""
    last = Result.objects.order_by("-declared_at").first()  # Inverness, Skye and W R-s
    Result.objects.filter(pk=last.pk).update(declared_at=datetime(2024, 7, 11, 21, 30, tzinfo=UK))
    queries, chart = home_chart(client)
    assert (len(chart.bars), len(chart.hours)) == (25, 7 * 24)
    Result.objects.filter(pk=last.pk).update(declared_at=datetime(2099, 7, 5, tzinfo=UK))
    far_queries, far_chart = home_chart(client)
    assert (far_queries, len(far_chart.bars), len(far_chart.hours)) == (queries, 25, 7 * 24)
    assert far_chart.table_rows == chart.table_rows


SITEMAPS = {
    "/sitemap.xml": 7,
    "/sitemap-home.xml": 0,
    "/sitemap-regions.xml": 2,
    "/sitemap-counties.xml": 2,
    "/sitemap-constituencies.xml": 2,
    "/sitemap-parties.xml": 2,
    "/sitemap-posts.xml": 3,
}


def test_sitemap_queries_do_not_grow_with_the_data(client, seeded):
    Region.objects.create(slug="wales", name="Wales", ons_code="W92000004", nation="Wales")
    at_seed_scale = {address: count_queries(client, address) for address in SITEMAPS}
    scale_data_create()
    at_large_scale = {address: count_queries(client, address) for address in SITEMAPS}
    assert at_seed_scale == at_large_scale == SITEMAPS


# The changes feed (80 changes on the seeds): scheduled posts come due (one query when
# none has), the page of changes, the seats they name (their slugs, then their figures),
# the posts (with their blocks and seats), and when the next post is due
# (pages.http_cache): the same whatever the page's size.
CHANGES_FEED = 8


def test_the_changes_feed_queries_do_not_grow_with_the_page(client, seeded):
    kinds = ChangeRecord.objects.values_list("kind", flat=True)
    first = next(n for n, kind in enumerate(kinds) if kind != kinds[0])
    small = f"/api/v1/changes?after={first - 1}&page_size=2"
    whole = "/api/v1/changes?page_size=1000"
    for address in (small, whole):
        assert {change["type"] for change in client.get(address).json()["changes"]} == {
            "result",
            "post",
        }
    assert len(client.get(whole).json()["changes"]) == ChangeRecord.objects.count() == 80
    assert count_queries(client, small) == count_queries(client, whole) == CHANGES_FEED
