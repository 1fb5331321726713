"""An open county page follows every change in place, without a reload and without
moving what the reader is reading (issue 27: Why 3, 4 and 7; What to build 3)."""

import pytest
from django.test import Client
from playwright.sync_api import expect

from liveblog.models import LivePage, Post, ResultPost
from liveblog.roles import EDITORS, RESULTS_DESK, roles_setup
from liveblog.services import posts_set
from results.models import Constituency, Party
from results.services import result_declare
from tests.conftest import staff_member
from tests.e2e.conftest import Problems, axe_violations

pytestmark = pytest.mark.parametrize("width", [390, 1280])

COUNTY = "/counties/derbyshire/"
# What axe finds on a result post at a phone's width, whatever page shows it.


@pytest.fixture
def people(site):
    roles_setup()  # the database is emptied after each browser test, groups and all
    return {"editor": staff_member("eddie", EDITORS), "desk": staff_member("dana", RESULTS_DESK)}


@pytest.fixture
def reader(site, browser, width, settings):
    """A reader with the county page open, polling every second."""
    settings.LIVE_POLL_SECONDS = 1
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.problems = Problems(page)
    page.goto(site + COUNTY)
    page.evaluate("window.notReloaded = true")
    yield page
    context.close()


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def top_of(locator):
    return locator.evaluate("element => element.getBoundingClientRect().top")


def test_a_declaration_and_its_result_post_reach_an_open_county_page(reader, people):
    results = reader.locator('[data-live="county-results"]')
    expect(results).to_contain_text("0 of 11 seats declared")
    dales_row = results.locator(".seats li", has_text="Derbyshire Dales")
    expect(dales_row).to_contain_text("Awaiting declaration")
    status = reader.locator(".live [role=status]")
    # The reader is reading a post further down (at 390 px, below the results).
    anchor = reader.locator(f"#post-{Post.objects.get(title__startswith='Border towns').pk}")
    anchor.scroll_into_view_if_needed()
    top = top_of(anchor)

    dales = Constituency.objects.get(slug="derbyshire-dales")
    labour, conservative = Party.objects.get(slug="labour"), Party.objects.get(slug="conservative")
    dales.candidacies.create(name="John Whitby", party=labour, votes=17759)
    dales.candidacies.create(name="Sarah Dines", party=conservative, votes=17409)
    result_declare(
        constituency=dales, outcome="GAIN", gained_from=conservative, user=people["desk"]
    )

    expect(results).to_contain_text("1 of 11 seats declared", timeout=10000)
    expect(dales_row).to_contain_text("LAB GAIN FROM CON")
    expect(dales_row).to_contain_text("John Whitby, Labour, majority 350")
    tally = results.get_by_role("table", name="Seats won in Derbyshire, and the change since 2019")
    expect(tally.get_by_role("row").nth(1)).to_contain_text("Labour")
    expect(status).to_contain_text("Results updated: 1 of 11 seats declared.")
    assert abs(top_of(anchor) - top) <= 2  # the results grew above it, it did not move
    assert axe_violations(reader) == []

    # The post drafted from it, published from "Result posts awaiting an editor".
    drafted = ResultPost.objects.get(drafted_from=dales)
    editor = signed_in(people["editor"])
    response = editor.post("/admin/liveblog/resultpost/", {"publish_one": drafted.pk})
    assert response.status_code == 302
    prompt = reader.get_by_role("button", name="Show 1 new post")
    expect(prompt).to_be_visible(timeout=10000)
    assert abs(top_of(anchor) - top) <= 2  # nor when the prompt appeared above it
    prompt.click()
    expect(reader.locator("[data-stream] .post__title").first).to_have_text(drafted.title)
    expect(reader.locator(f"#post-{drafted.pk} .result-card")).to_contain_text("LAB GAIN FROM CON")

    assert reader.evaluate("window.notReloaded") is True
    assert reader.problems.found == []
    assert axe_violations(reader) == []


def test_key_posts_follow_pins_unpins_and_edits_wherever_the_reader_is(reader, people):
    welcome = Post.objects.get(title="Welcome to our election coverage")
    bolsover = Post.objects.get(title="Bolsover may declare earlier than expected")
    queues = Post.objects.get(title="Queues to get in")
    posts_set(posts=[welcome, bolsover], user=people["editor"], pinned=True)
    reader.reload()
    reader.evaluate("window.notReloaded = true")
    key_posts = reader.locator("[data-pinned-posts]")
    expect(key_posts.locator("article")).to_have_count(2)
    status = reader.locator(".live [role=status]")

    # The reader is looking at the key posts: one unpinned leaves them at once.
    key_posts.scroll_into_view_if_needed()
    posts_set(posts=[welcome], user=people["editor"], pinned=False)
    expect(key_posts.locator(f"#post-{welcome.pk}")).to_have_count(0, timeout=10000)
    expect(key_posts.locator(".pinned__heading")).to_have_text("Key post")
    expect(status).to_contain_text("No longer a key post: Welcome to our election coverage.")

    # The reader is further down, the key posts above them: what changes there moves
    # nothing they are reading.
    anchor = reader.locator(f"#post-{Post.objects.get(title__startswith='Border towns').pk}")
    anchor.scroll_into_view_if_needed()
    reader.evaluate("window.scrollBy(0, -20)")
    top = top_of(anchor)
    assert top_of(key_posts) < 0

    posts_set(posts=[bolsover], user=people["editor"], pinned=False)
    expect(reader.locator("[data-pinned-posts]")).to_have_count(0, timeout=10000)
    expect(reader.locator(f"[data-stream] #post-{bolsover.pk}")).to_have_count(1)
    assert abs(top_of(anchor) - top) <= 2

    posts_set(posts=[queues], user=people["editor"], pinned=True)
    key_posts = reader.locator("[data-pinned-posts]")
    expect(key_posts.locator(f"#post-{queues.pk}")).to_have_count(1, timeout=10000)
    expect(reader.locator(f"#post-{queues.pk}")).to_have_count(1)
    assert abs(top_of(anchor) - top) <= 2

    # A key post corrected is put right in place, above the reader too.
    queues.refresh_from_db()
    queues.title = "Queues to get in at Dronfield"
    queues.save()
    expect(key_posts.locator(f"#post-{queues.pk} .post__title")).to_have_text(
        "Queues to get in at Dronfield", timeout=10000
    )
    expect(status).to_contain_text("Updated: Queues to get in at Dronfield.")
    assert abs(top_of(anchor) - top) <= 2

    assert reader.evaluate("window.notReloaded") is True
    assert axe_violations(reader) == []
    assert reader.problems.found == []


def test_an_older_page_of_posts_follows_the_countys_results(reader, people):
    """Page 2 takes no live updates of posts; its results refresh themselves (refresh.js)."""
    page = LivePage.objects.get(county__slug="derbyshire")
    for minute in range(20):
        Post.objects.create(
            live_page=page, title=f"Extra {minute}", published_at="2024-07-05T03:00Z"
        )
    reader.goto(reader.url + "?page=2")
    reader.evaluate("window.notReloaded = true")
    results = reader.locator('[data-live="county-results"]')
    expect(results).to_contain_text("0 of 11 seats declared")

    dales = Constituency.objects.get(slug="derbyshire-dales")
    labour, conservative = Party.objects.get(slug="labour"), Party.objects.get(slug="conservative")
    dales.candidacies.create(name="John Whitby", party=labour, votes=17759)
    dales.candidacies.create(name="Sarah Dines", party=conservative, votes=17409)
    result_declare(constituency=dales, outcome="GAIN", gained_from=conservative)

    expect(results).to_contain_text("1 of 11 seats declared", timeout=10000)
    expect(reader.locator("main > [role=status]")).to_have_text("Updated: 1 of 11 seats declared")
    assert reader.evaluate("window.notReloaded") is True
    assert axe_violations(reader) == []
    assert reader.problems.found == []
