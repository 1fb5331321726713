"""What reader pages tell the HTTP caches in front (pages.http_cache), and the purges a
change sends them (pages.purge); tests/test_varnish.py has the same against Varnish."""

import logging
import re
import time
from datetime import timedelta
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from liveblog.models import LivePage, Post
from liveblog.services import post_mentions_refresh
from pages import purge, vcl
from results.models import Constituency, Region
from tests.changes import derbyshire_dales_declaration, post_about_derbyshire_dales
from tests.conftest import SITE_URL
from tests.national_data import correct_by
from tests.newsroom.forms import declaration_post
from tests.pages import text_of
from tests.purges import RecordingNode

pytestmark = pytest.mark.django_db

ESI = {"HTTP_SURROGATE_CAPABILITY": 'varnish="ESI/1.0"'}  # what Varnish asks with
CACHE_CONTROL = "public, max-age=5, s-maxage=600, stale-while-revalidate=30, stale-if-error=86400"


@pytest.fixture
def node(settings):
    """An HTTP cache node in front of the site, recording what it is told to purge."""
    recording = RecordingNode()
    settings.HTTP_CACHES = [recording.url]
    yield recording
    recording.stop()


def keys_of(response):
    return set(response["Surrogate-Key"].split())


@pytest.mark.parametrize(
    ("address", "keys"),
    [
        ("/", "nation site"),
        ("/counties/derbyshire/", "county:derbyshire live:derbyshire site"),
        ("/counties/derbyshire/updates/?since=0", "county:derbyshire live:derbyshire site"),
        ("/counties/derbyshire/feed/", "live:derbyshire site"),
        (
            "/constituencies/kettering/",
            "about:kettering county:northamptonshire seat:kettering site",
        ),
        # Replayed, what its fragments would show: the posts about it and its county's seats.
        (
            "/constituencies/kettering/?at=02:00",
            "about:kettering county:northamptonshire seat:kettering site",
        ),
        ("/parties/labour/", "party:labour site"),
        # Replayed, the party's votes and share as they stood (now, the fragment's).
        ("/parties/labour/?at=02:00", "nation party:labour site"),
        ("/fragments/party-figures/labour/", "nation site"),
        ("/lists/closest-results/", "nation site"),
        ("/sitemap.xml", "site sitemap"),
        ("/fragments/strip/", "site strip"),
        ("/api/v1/constituencies/kettering", "seat:kettering site"),
        ("/api/v1/scoreboard", "nation site"),
        ("/data/results.csv", "nation site"),
        ("/constituencies/nowhere/", "seat:nowhere site"),
    ],
)
def test_a_page_says_what_it_shows_and_how_long_it_may_be_kept(client, seeded, address, keys):
    response = client.get(address, **ESI)
    assert response["Surrogate-Key"] == keys
    assert response["Cache-Control"] == CACHE_CONTROL
    assert "Set-Cookie" not in response.headers and "Cookie" not in response.get("Vary", "")


def test_behind_varnish_the_strip_is_an_include_and_without_it_part_of_the_page(client, seeded):
    address = "/constituencies/kettering/"
    alone = client.get(address)
    assert "strip" in keys_of(alone) and "Surrogate-Control" not in alone
    behind = client.get(address, **ESI)
    assert behind["Surrogate-Control"] == 'content="ESI/1.0"'
    include = '<esi:include src="/fragments/strip/"/>'
    strip = client.get("/fragments/strip/").content.decode()
    assert text_of(client.get("/fragments/strip/")) == "National result LAB 5 CON 2 643 seats to go"
    assert behind.content.decode().replace(include, strip) == alone.content.decode()
    replayed = client.get("/counties/derbyshire/?at=02:00", **ESI).content.decode()
    assert '<esi:include src="/fragments/strip/?at=2024-07-05T02%3A00%2B01%3A00"/>' in replayed
    assert text_of(client.get("/fragments/strip/?at=2024-07-05T02%3A00%2B01%3A00")) == (
        "National result 650 seats to go"
    )


def test_behind_varnish_a_partys_figures_are_an_include_too(client, seeded):
    page = client.get("/parties/labour/", **ESI).content.decode()
    assert '<esi:include src="/fragments/party-figures/labour/"/>' in page
    figures = client.get("/fragments/party-figures/labour/").content.decode()
    assert (
        page.replace('<esi:include src="/fragments/party-figures/labour/"/>', figures).replace(
            '<esi:include src="/fragments/strip/"/>',
            client.get("/fragments/strip/").content.decode(),
        )
        == client.get("/parties/labour/").content.decode()
    )
    for address in [
        "/fragments/party-figures/nobody/",
        "/fragments/projection/",
        "/fragments/strip/x/",
    ]:
        assert client.get(address).status_code == 404, address


def test_a_csv_download_is_an_attachment_with_its_filename(client, seeded):
    response = client.get("/data/constituencies/kettering.csv")
    assert response["Content-Disposition"] == 'attachment; filename="kettering.csv"'


def test_head_works_on_the_api_as_on_the_pages(client, seeded):
    for address in ["/api/v1/scoreboard", "/api/v1/constituencies/kettering", "/"]:
        response = client.head(address)
        assert response.status_code == 200, address
        assert response["Surrogate-Key"]


def test_a_forged_host_gets_400_on_every_page(client, seeded):
    for address in ["/", "/constituencies/kettering/", "/api/v1/scoreboard", "/data/results.csv"]:
        assert client.get(address, HTTP_HOST="forged.example").status_code == 400, address


def test_a_page_showing_posts_is_kept_no_later_than_the_next_is_due(client, seeded):
    Post.objects.create(
        live_page=LivePage.objects.get(county__slug="derbyshire"),
        title="Exit poll analysis",
        published_at=timezone.now() + timedelta(seconds=90),
    )
    county = client.get("/counties/derbyshire/")["Cache-Control"]
    seconds = int(re.search(r"s-maxage=(\d+)", county)[1])
    assert 88 <= seconds <= 90
    assert f"max-age=5, s-maxage={seconds}," in county
    assert client.get("/regions/")["Cache-Control"] == CACHE_CONTROL  # shows no posts


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


def test_a_scheduled_post_about_a_seat_appears_on_its_page_when_due(client, seeded):
    due = timezone.now() + timedelta(seconds=1.5)
    assert "Recount at Kettering" not in text_of(client.get("/constituencies/kettering/"))
    post = Post.objects.create(
        live_page=LivePage.objects.get(county__slug="northamptonshire"),
        title="Recount at Kettering",
        published_at=due,
    )
    post.blocks.create(text="A recount in Kettering.")
    post_mentions_refresh(posts=[post])
    assert "Recount at Kettering" not in text_of(client.get("/constituencies/kettering/"))
    time.sleep(max(0, (due - timezone.now()).total_seconds()) + 0.1)
    assert "Recount at Kettering" in text_of(client.get("/constituencies/kettering/"))


def test_absolute_addresses_name_the_site_whatever_allowed_host_was_asked(client, seeded, settings):
    post = Post.objects.filter(live_page__county__slug="derbyshire").first()
    settings.ALLOWED_HOSTS = ["testserver", "www.results.example"]
    html = client.get(post.get_absolute_url(), HTTP_HOST="www.results.example").content.decode()
    assert f'<link rel="canonical" href="{SITE_URL}{post.get_absolute_url()}">' in html
    assert f'<meta property="og:url" content="{SITE_URL}{post.get_absolute_url()}">' in html


PAGES = [
    "/",
    "/fragments/strip/",
    "/constituencies/derbyshire-dales/",
    "/constituencies/south-derbyshire/",
    "/constituencies/kettering/",
    "/counties/derbyshire/",
    "/counties/derbyshire/updates/?since=0",
    "/counties/derbyshire/feed/",
    "/counties/northamptonshire/",
    "/regions/east-midlands/",
    "/parties/labour/",
    "/parties/conservative/",
    "/parties/liberal-democrat/",
    "/fragments/party-figures/liberal-democrat/",
    "/declarations/feed/",
    "/sitemap.xml",
    "/sitemap-constituencies.xml",
    "/api/v1/constituencies/derbyshire-dales",
    "/api/v1/constituencies/kettering",
    "/data/constituencies/kettering.csv",
]


def purged_pages(client, node, change):
    """The pages (of PAGES, asked for as Varnish asks) whose keys the change purges."""
    keys = {address: keys_of(client.get(address, **ESI)) for address in PAGES}
    change()
    purged = node.purged()
    return sorted(address for address in PAGES if keys[address] & purged)


def test_a_declaration_purges_the_pages_that_show_it_and_the_strip(
    client, seeded, desk_client, node, django_capture_on_commit_callbacks
):
    region = Region.objects.create(
        name="East Midlands", slug="east-midlands", ons_code="E12000004", nation="England"
    )
    Constituency.objects.filter(county__slug="derbyshire").update(region=region)
    dales, data = derbyshire_dales_declaration()

    def declare():
        with django_capture_on_commit_callbacks(execute=True):
            assert declaration_post(desk_client, dales, data).status_code == 302

    assert purged_pages(client, node, declare) == sorted(
        [
            "/",
            "/fragments/strip/",
            "/constituencies/derbyshire-dales/",
            # Its list of the county's seats shows the verdict.
            "/constituencies/south-derbyshire/",
            "/counties/derbyshire/",
            "/counties/derbyshire/updates/?since=0",
            "/regions/east-midlands/",
            "/parties/labour/",
            "/parties/conservative/",
            # Every party's votes and share; not the Liberal Democrats' page around them.
            "/fragments/party-figures/liberal-democrat/",
            "/declarations/feed/",
            "/api/v1/constituencies/derbyshire-dales",
            # The post the declaration drafts for the live page (liveblog.drafts).
            "/counties/derbyshire/feed/",
            "/sitemap.xml",
        ]
    )
    assert text_of(client.get("/fragments/strip/")) == "National result LAB 6 CON 2 642 seats to go"


def test_a_post_purges_its_live_page_and_the_seats_it_names(
    client, seeded, editor_client, node, django_capture_on_commit_callbacks
):
    def publish():
        with django_capture_on_commit_callbacks(execute=True):
            post_about_derbyshire_dales()

    assert purged_pages(client, node, publish) == [
        "/constituencies/derbyshire-dales/",
        "/counties/derbyshire/",
        "/counties/derbyshire/feed/",
        "/counties/derbyshire/updates/?since=0",
        "/sitemap.xml",
    ]


def test_an_import_purges_everything_and_a_dry_run_nothing(
    client, seeded, node, django_capture_on_commit_callbacks
):
    def dry_run():
        with django_capture_on_commit_callbacks(execute=True):
            call_command("import_seeds", "--dry-run", stdout=StringIO())

    assert purged_pages(client, node, dry_run) == []
    Post.objects.get(title="Queues to get in").delete()  # what the import puts back

    def import_seeds():
        with django_capture_on_commit_callbacks(execute=True):
            call_command("import_seeds", stdout=StringIO())

    assert purged_pages(client, node, import_seeds) == sorted(PAGES)


def test_no_purge_before_the_commit(client, seeded, node, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        Post.objects.create(
            live_page=LivePage.objects.get(county__slug="derbyshire"), title="Not yet"
        )
        assert node.purged() == set()
    for callback in callbacks:
        callback()
    assert node.purged() == {
        "live:derbyshire",
        f"post:{Post.objects.get(title='Not yet').pk}",
        "sitemap",
    }


def test_a_failed_purge_is_tried_again(client, seeded, settings, monkeypatch):
    monkeypatch.setattr(purge, "RETRY_SECONDS", (0.01, 0.01, 0.01))
    flaky = RecordingNode(statuses=[503, 500])
    settings.HTTP_CACHES = [flaky.url]
    try:
        purge.purger.purge({"seat:kettering"})
        assert flaky.purged() == {"seat:kettering"}
        assert [status for status, _ in flaky.received] == [503, 500, 200]
    finally:
        flaky.stop()


def test_a_node_away_is_logged_and_holds_up_neither_the_write_nor_another_node(
    client, seeded, node, settings, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(purge, "RETRY_SECONDS", (0.01, 0.01, 0.01))
    # Nothing listens on the discard port; `node` is a second node, up.
    settings.HTTP_CACHES = ["http://127.0.0.1:9", node.url]
    with caplog.at_level(logging.WARNING, logger="pages.purge"):
        with django_capture_on_commit_callbacks(execute=True):
            post = Post.objects.create(
                live_page=LivePage.objects.get(county__slug="derbyshire"),
                title="Saved all the same",
                published_at=timezone.now(),
            )
        keys = {"live:derbyshire", f"post:{post.pk}", "sitemap"}
        assert node.purged() == keys
    assert "Saved all the same" in text_of(client.get(post.get_absolute_url()))
    failures = [record.getMessage() for record in caplog.records if record.levelname == "ERROR"]
    assert failures == [
        f"purge of live:derbyshire post:{post.pk} sitemap on http://127.0.0.1:9 failed "
        "4 times (Connection refused)"
    ]


def test_varnish_keeps_the_parameters_each_page_reads():
    """config/varnish/parameters.vcl is the one the URLconf makes (pages.vcl): a page that
    reads a new parameter needs `manage.py varnish_parameters`, or Varnish strips it."""
    assert (settings.BASE_DIR / vcl.PATH).read_text() == vcl.parameters_vcl()
    assert (
        'elsif (req.url ~ "^/(?:counties/(?:[-a-zA-Z0-9_]+)/|lists/(?:[-a-zA-Z0-9_]+)/|'
        'parties/(?:[-a-zA-Z0-9_]+)/)(?:\\?|$)") {\n'
        '        set req.url = regsuball(req.url, "(?<=[?&])(?!(?:at|page)=)[^&]*&?", "");'
    ) in vcl.parameters_vcl()


def test_a_correction_purges_the_page_of_every_party_that_stood(
    client, every_seat, node, django_capture_on_commit_callbacks
):
    """Reform UK's page lists the seats where it came second: Aberafan Maesteg, a
    Labour hold, among them, where a correction marks the seat "Corrected"."""
    assert "Aberafan Maesteg" in text_of(client.get("/parties/reform-uk/"))
    with django_capture_on_commit_callbacks(execute=True):
        correct_by("aberafan-maesteg", 7)
    purged = node.purged()
    assert {"party:labour", "party:reform-uk", "party:conservative"} <= purged
    assert "party:scottish-national-party" not in purged  # it stood nowhere in Wales
