"""What an open county page is told (issue 14): the posts shown since its last look, and
those edited, pinned, unpublished or deleted, by the order the changes were made."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from liveblog.changes import due_posts_release
from liveblog.models import Block, LivePage, Post, PostStatus, ResultPost
from liveblog.services import post_publish, post_unpublish, posts_set
from results.models import Constituency, Party
from results.services import result_declare
from tests.national_data import correct_by

pytestmark = pytest.mark.django_db

UPDATES = "/counties/derbyshire/updates/"


def live_page():
    return LivePage.objects.get(county__slug="derbyshire")


def cursor(client, county="derbyshire"):
    """The change number a freshly loaded county page asks from."""
    html = client.get(f"/counties/{county}/").content.decode()
    return int(re.search(r'data-since="(\d+)"', html)[1])


def answer(client, since, county="derbyshire"):
    html = client.get(f"/counties/{county}/updates/", {"since": since}).content.decode()

    def titles(part):
        chunk = re.search(rf"<div {part}>(.*?)</div>\s*<(?:div|ul) data-", html, re.S)[1]
        return re.findall(r'class="post__title" id="post-\d+-title"><a [^>]*>([^<]*)</a>', chunk)

    return {
        "new": titles("data-posts"),
        "changed": titles("data-changed"),
        "removed": [int(pk) for pk in re.findall(r'<li data-post="(\d+)">', html)],
        "next": int(re.search(r'data-next="(\d+)"', html)[1]),
        "count": int(re.search(r'data-count="(\d+)"', html)[1]),
    }


def test_nothing_since_the_last_look(client, seeded):
    since = cursor(client)
    assert answer(client, since) == {
        "new": [],
        "changed": [],
        "removed": [],
        "next": since,
        "count": 0,
    }


def test_new_posts_newest_first_and_edits_pins_and_removals_in_place(client, seeded, editor):
    since = cursor(client)
    page = live_page()
    first = Post.objects.create(live_page=page, title="First new", published_at=timezone.now())
    second = Post.objects.create(live_page=page, title="Second new", published_at=timezone.now())
    got = answer(client, since)
    assert (got["new"], got["count"]) == (["Second new", "First new"], 2)
    since = got["next"]

    queues = Post.objects.get(title="Queues to get in")
    queues.title = "Queues to get in, still"
    queues.save()
    posts_set(
        posts=[Post.objects.get(title="Bolsover may declare earlier than expected")],
        user=editor,
        pinned=True,
    )
    post_unpublish(post=first, user=editor)
    got = answer(client, since)
    assert got["new"] == []
    assert sorted(got["changed"]) == [
        "Bolsover may declare earlier than expected",
        "Queues to get in, still",
    ]
    assert got["removed"] == [first.pk]
    html = client.get(UPDATES, {"since": since}).content.decode()
    assert re.search(
        r'data-post="\d+" data-published="[^"]+" data-day="2024-07-05" data-pinned', html
    )

    since = got["next"]
    deleted = second.pk
    second.delete()
    assert answer(client, since)["removed"] == [deleted]
    # A block edited is the post edited.
    since = answer(client, since)["next"]
    block = Block.objects.filter(post=queues).first()
    block.text = "Longer than ever."
    block.save()
    assert answer(client, since)["changed"] == ["Queues to get in, still"]


def test_a_post_published_later_is_new_to_a_page_open_since_whatever_its_time(
    client, seeded, editor
):
    """Order of visibility, not of times: a draft of 00:10 published now, and a post
    republished with its old time, are new to a page opened before."""
    draft = Post.objects.create(
        live_page=live_page(), title="Drafted early", status=PostStatus.DRAFT
    )
    assert draft.published_at is None
    since = cursor(client)
    post_publish(post=draft, user=editor)
    draft.refresh_from_db()
    assert timezone.now() - draft.published_at < timedelta(seconds=5)
    assert answer(client, since)["new"] == ["Drafted early"]

    queues = Post.objects.get(title="Queues to get in")
    post_unpublish(post=queues, user=editor)
    since = cursor(client)
    post_publish(post=queues, user=editor)
    queues.refresh_from_db()
    assert timezone.localtime(queues.published_at).strftime("%H:%M %d") == "00:15 05"
    assert answer(client, since)["new"] == ["Queues to get in"]


def test_a_scheduled_post_is_new_when_its_time_comes(client, seeded):
    later = timezone.now() + timedelta(hours=1)
    post = Post.objects.create(live_page=live_page(), title="Embargoed", published_at=later)
    assert post.shown_sequence is None
    since = cursor(client)
    assert answer(client, since)["new"] == []
    # Its time comes (no write announces it: the first look afterwards numbers it).
    Post.objects.filter(pk=post.pk).update(published_at=timezone.now() - timedelta(seconds=1))
    assert due_posts_release(live_page()) == 1
    assert answer(client, since)["new"] == ["Embargoed"]
    assert due_posts_release(live_page()) == 0


def test_a_page_is_never_told_of_drafts_or_posts_still_to_come(client, seeded):
    since = cursor(client)
    Post.objects.create(live_page=live_page(), title="Draft", status=PostStatus.DRAFT)
    Post.objects.create(
        live_page=live_page(), title="Later", published_at=timezone.now() + timedelta(hours=1)
    )
    got = answer(client, since)
    assert got["new"] == got["changed"] == got["removed"] == []


def test_numbers_are_taken_in_order_and_kept_with_each_post(client, seeded):
    page = live_page()
    start = page.sequence
    post = Post.objects.create(live_page=page, title="Numbered", published_at=timezone.now())
    page.refresh_from_db()
    assert post.sequence == post.shown_sequence == page.sequence == start + 1
    post.pinned = True
    post.save()
    post.refresh_from_db()
    assert (post.sequence, post.shown_sequence) == (start + 2, start + 1)


def test_the_answer_is_304_for_a_matching_etag(client, seeded):
    since = cursor(client)
    first = client.get(UPDATES, {"since": since})
    again = client.get(UPDATES, {"since": since}, headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304
    Post.objects.create(live_page=live_page(), title="News", published_at=timezone.now())
    changed = client.get(UPDATES, {"since": since}, headers={"If-None-Match": first["ETag"]})
    assert changed.status_code == 200


def test_the_county_page_starts_the_script_from_its_last_change(client, seeded):
    html = client.get("/counties/derbyshire/").content.decode()
    assert (
        f'data-updates-url="/counties/derbyshire/updates/" data-since="{live_page().sequence}"'
        in html
    )
    assert "data-updates-url" not in client.get("/counties/derbyshire/?at=23:00").content.decode()


def drafted_result_post(county, seat, title):
    """A post drafted from a declaration, waiting under "Result posts awaiting an editor"."""
    return Post.objects.create(
        live_page=LivePage.objects.get(county__slug=county),
        title=title,
        status=PostStatus.DRAFT,
        drafted_from=Constituency.objects.get(slug=seat),
    )


@pytest.mark.parametrize(
    "publish",
    [
        pytest.param(lambda post: {"publish_one": post.pk}, id="its row's button"),
        pytest.param(
            lambda post: {"action": "publish", "_selected_action": [post.pk]}, id="list action"
        ),
    ],
)
def test_a_result_post_published_by_an_editor_reaches_open_pages(
    client, seeded, editor_client, publish
):
    """Issue 27, 4: ResultPost is a proxy of Post; its saves are numbered and announced."""
    post = drafted_result_post("northamptonshire", "kettering", "Labour gain Kettering")
    since = cursor(client, "northamptonshire")
    assert "Labour gain Kettering" not in client.get("/counties/northamptonshire/").content.decode()
    response = editor_client.post("/admin/liveblog/resultpost/", publish(post))
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.is_visible and post.sequence == post.shown_sequence == since + 1
    got = answer(client, since, "northamptonshire")
    assert (got["new"], got["count"], got["next"]) == (["Labour gain Kettering"], 1, since + 1)
    assert "Labour gain Kettering" in client.get("/counties/northamptonshire/").content.decode()


def test_every_kind_of_post_numbers_its_changes(client, seeded):
    """Whatever model a post is saved and deleted as (Post, or a proxy of it, now or
    later), open pages are told."""
    from django.apps import apps

    kinds = [model for model in apps.get_models() if issubclass(model, Post)]
    assert ResultPost in kinds
    for kind in kinds:
        since = cursor(client)
        post = kind.objects.create(
            live_page=live_page(), title=f"Saved as {kind.__name__}", published_at=timezone.now()
        )
        assert answer(client, since)["new"] == [f"Saved as {kind.__name__}"]
        since = answer(client, since)["next"]
        kind.objects.get(pk=post.pk).delete()
        assert answer(client, since)["removed"] == [post.pk]


def results_in(html):
    """The county's results an answer carries, as text (what live.js puts in place)."""
    part = re.search(r"<div data-results>(.*)</div>\s*</div>\s*$", html, re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", part[1])).strip() if part else None


def dales_declared(majority=350):
    dales = Constituency.objects.get(slug="derbyshire-dales")
    labour, conservative = (Party.objects.get(slug=slug) for slug in ("labour", "conservative"))
    dales.candidacies.create(name="John Whitby", party=labour, votes=17409 + majority)
    dales.candidacies.create(name="Sarah Dines", party=conservative, votes=17409)
    result_declare(constituency=dales, outcome="GAIN", gained_from=conservative)


def test_the_answer_carries_the_countys_results_as_they_are_now(client, seeded):
    """Issue 27, 3: an open county page's results follow its declarations and corrections."""
    since = cursor(client)
    first = client.get(UPDATES, {"since": since})
    assert "0 of 11 seats declared" in results_in(first.content.decode())
    assert "Derbyshire Dales Awaiting declaration" in results_in(first.content.decode())

    dales_declared()
    declared = client.get(UPDATES, {"since": since}, headers={"If-None-Match": first["ETag"]})
    assert declared.status_code == 200
    results = results_in(declared.content.decode())
    assert "1 of 11 seats declared" in results
    assert "Derbyshire Dales LAB GAIN FROM CON John Whitby, Labour, majority 350" in results
    assert "Derbyshire so far" in results and "Labour 1 +1" in results
    # Nothing else changed: no post is new, and the number to ask from next stands.
    assert answer(client, since)["new"] == [] and answer(client, since)["next"] == since
    again = client.get(UPDATES, {"since": since}, headers={"If-None-Match": declared["ETag"]})
    assert again.status_code == 304

    # A correction is put in place too.
    correct_by("derbyshire-dales", 100)
    corrected = results_in(client.get(UPDATES, {"since": since}).content.decode())
    assert "Dales LAB GAIN FROM CON Corrected John Whitby, Labour, majority 450" in corrected


def test_the_county_page_marks_its_results_for_the_script(client, seeded):
    html = client.get("/counties/derbyshire/").content.decode()
    assert re.search(r'<div data-live="county-results">\s*<p class="counts">', html)


def test_an_older_page_of_posts_follows_its_results_by_refreshing_itself(client, seeded):
    """Only the first page of posts takes live updates; an older one still follows the
    county's results and the strip (static/js/refresh.js), and a replay follows nothing."""
    for minute in range(20):
        Post.objects.create(
            live_page=live_page(), title=f"Extra {minute}", published_at=timezone.now()
        )
    first = client.get("/counties/derbyshire/").content.decode()
    older = client.get("/counties/derbyshire/?page=2").content.decode()
    replayed = client.get("/counties/derbyshire/?at=23:00").content.decode()
    assert "js/live.js" in first and "js/refresh.js" not in first
    assert "js/refresh.js" in older and "js/live.js" not in older
    assert re.search(r'<main [^>]*data-refresh-seconds="15"', older)
    assert '<div data-live="county-results">' in older
    assert "js/refresh.js" not in replayed and "js/live.js" not in replayed
