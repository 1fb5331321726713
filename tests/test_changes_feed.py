"""The changes feed (/api/v1/changes): a poller that keeps the cursor receives every
change once, in order, and ends with what the database holds; and the latest
declarations (/api/v1/declarations) say they are no feed."""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from liveblog.models import LivePage, Post, PostStatus
from liveblog.services import post_constituencies_choose, post_discard, post_publish
from results.models import ChangeRecord, Constituency, Result
from results.services import count_declare, results_clear
from tests.national_data import correct_by

pytestmark = pytest.mark.django_db

FEED = "/api/v1/changes"


class Poller:
    """A partner polling the feed with a small page, keeping `next` between polls."""

    def __init__(self, client, page_size=7):
        self.client, self.page_size = client, page_size
        self.cursor = None
        self.received = []
        self.state = {}  # url: the object as last received

    def poll(self):
        while True:
            params = {"page_size": self.page_size}
            if self.cursor is not None:
                params["after"] = self.cursor
            response = self.client.get(FEED, params)
            assert response.status_code == 200, response.content
            page = response.json()
            assert len(page["changes"]) <= self.page_size
            for change in page["changes"]:
                self.received.append(change)
                self.state[change["url"]] = change["object"]
            self.cursor = page["next"]
            if not page["has_more"]:
                return

    def actions(self, start=0):
        return [(c["type"], c["url"], c["action"]) for c in self.received[start:]]


def seat_url(slug):
    return f"/api/v1/constituencies/{slug}"


def test_a_poller_from_the_start_receives_every_declaration(client, every_seat):
    # The latest declarations list the newest 100 of 650, which is all it says it is.
    assert len(client.get("/api/v1/declarations", {"since": "2024-07-04T22:00"}).json()) == 100
    poller = Poller(client, page_size=100)
    poller.poll()
    declared = {c["url"] for c in poller.received if c["action"] == "declared"}
    assert len(declared) == 650
    numbers = [c["number"] for c in poller.received]
    assert numbers == list(range(1, ChangeRecord.objects.count() + 1))
    kettering = poller.state[seat_url("kettering")]
    assert (kettering["winner"], kettering["majority"], kettering["gained_from"]["name"]) == (
        "Rosie Wrighting",
        3820,
        "Conservative",
    )
    assert kettering["declared_at"] == "2024-07-05T06:42:00+01:00"


def test_the_replayed_night_reaches_the_poller_whole_and_once(client, every_seat, editor):
    """Declarations in the order they were made, corrections, every result cleared,
    posts published, edited, scheduled and come due, and deleted: polled between each
    step with a page of 4, every change arrives once, in order, and the poller ends with
    the database's state."""
    night = list(
        Result.objects.select_related("constituency")
        .filter(declared_at__isnull=False)
        .order_by("declared_at", "constituency__name")[:40]
    )
    counts = {
        result.constituency.pk: (
            dict(result.constituency.candidacies.values_list("pk", "votes")),
            result.declared_at,
            result.electorate,
        )
        for result in night
    }
    poller = Poller(client, page_size=4)
    poller.poll()
    start = len(poller.received)
    expected = []

    results_clear()  # before polls close: every seat starts over
    expected += [("result", seat_url(slug), "withdrawn") for slug in clear_order()]
    poller.poll()
    assert poller.state[seat_url("kettering")] is None

    page = LivePage.objects.get(county__slug="northamptonshire")
    for step, result in enumerate(night, start=1):
        votes, declared_at, electorate = counts[result.constituency.pk]
        with transaction.atomic():
            count_declare(
                constituency=result.constituency,
                votes=votes,
                electorate=electorate,
                declared_at=declared_at,
                outcome=result.outcome,
                gained_from=result.gained_from,
            )
        expected.append(("result", seat_url(result.constituency.slug), "declared"))
        if step == 10:
            # Written as a draft with its blocks and a seat, then shown: one change.
            post = Post.objects.create(
                live_page=page, title="First results in", status=PostStatus.DRAFT
            )
            post.blocks.create(position=0, text="Kettering counts on.")
            post.blocks.create(position=1, text="Corby next.")
            post_constituencies_choose(post=post, constituencies=[result.constituency])
            post_publish(post=post, user=editor)
            post_url = f"/api/v1/posts/{post.pk}"
            expected.append(("post", post_url, "published"))
        if step == 15:
            post.title = "First results in: the count goes on"
            post.save()
            expected.append(("post", post_url, "edited"))
            later = Post.objects.create(
                live_page=page,
                title="Embargoed: the exit poll's makers speak",
                published_at=timezone.now() + timedelta(hours=1),
            )
        if step in (20, 30):
            corrected = night[step - 12].constituency.slug
            correct_by(corrected, 10)
            expected.append(("result", seat_url(corrected), "corrected"))
        if step == 25:
            # Its time comes: no write announces it, the poller's next look numbers it.
            Post.objects.filter(pk=later.pk).update(
                published_at=timezone.now() - timedelta(seconds=1)
            )
            expected.append(("post", f"/api/v1/posts/{later.pk}", "published"))
            poller.poll()
        if step == 35:
            # Its blocks and its seat go with it: it is removed, not edited.
            post_discard(post=post, user=editor)
            expected.append(("post", post_url, "removed"))
        if step % 3 == 0:
            poller.poll()
            titles = [
                c["object"]["title"] for c in poller.received if c["type"] == "post" and c["object"]
            ]
            assert ("Embargoed: the exit poll's makers speak" in titles) == (step >= 25)
    poller.poll()

    assert poller.actions(start) == expected
    numbers = [c["number"] for c in poller.received]
    assert numbers == list(ChangeRecord.objects.values_list("number", flat=True))
    # What the poller holds is what the database holds now.
    declared = {
        seat_url(slug) for slug in Result.objects.values_list("constituency__slug", flat=True)
    }
    assert {url for url, shown in poller.state.items() if shown and "slug" in shown} == declared
    for url in declared:
        assert poller.state[url] == seat_summary_now(client, url)
    assert poller.state[post_url] is None
    assert client.get(post_url).status_code == 404
    assert (
        poller.state[f"/api/v1/posts/{later.pk}"] == client.get(f"/api/v1/posts/{later.pk}").json()
    )


def clear_order():
    """The seats' slugs in the order their results were cleared (withdrawn)."""
    numbers = ChangeRecord.objects.filter(action="withdrawn").values_list("object_id", flat=True)
    slugs = dict(Constituency.objects.values_list("pk", "slug"))
    return [slugs[pk] for pk in numbers]


def seat_summary_now(client, url):
    """A seat as /api/v1/constituencies lists it now."""
    slug = url.rsplit("/", 1)[-1]
    seat = Constituency.objects.select_related("region").get(slug=slug)
    listed = client.get("/api/v1/constituencies", {"region": seat.region.slug}).json()
    pages = [listed]
    for number in range(2, listed["pages"] + 1):
        pages.append(
            client.get(
                "/api/v1/constituencies", {"region": seat.region.slug, "page": number}
            ).json()
        )
    return next(row for page in pages for row in page["results"] if row["slug"] == slug)


@pytest.mark.parametrize(
    ("params", "status", "message"),
    [
        ({"after": "abc"}, 422, "after: Input should be a valid integer"),
        ({"after": "-1"}, 422, "after: Input should be greater than or equal to 0"),
        # Of the right shape, but naming no change (a cursor from a database rebuilt since).
        ({"after": "99999999"}, 404, "after: no change is numbered 99999999"),
        ({"page_size": "0"}, 422, "page_size: Input should be greater than or equal to 1"),
        ({"page_size": "1001"}, 422, "page_size: Input should be less than or equal to 1000"),
    ],
)
def test_a_bad_cursor_or_page_size_is_a_problem_naming_it(client, seeded, params, status, message):
    response = client.get(FEED, params)
    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"
    assert message in response.json()["detail"]


def test_the_notes_give_the_status_a_cursor_past_the_last_change_gets(client, seeded):
    response = client.get(FEED, {"after": "99999999"})
    notes = (settings.BASE_DIR / "docs" / "changes-feed.md").read_text()
    notes = " ".join(notes.split())
    assert response.status_code == 404
    assert "A cursor beyond the last change (a database rebuilt since) is a 404" in notes
    assert "a cursor beyond its last change is refused (404)" in notes


def test_the_feed_is_purged_by_every_change_and_kept_no_later_than_a_post_due(client, seeded):
    response = client.get(FEED)
    assert set(response["Surrogate-Key"].split()) == {"site", "nation", "sitemap"}
    page = LivePage.objects.get(county__slug="derbyshire")
    Post.objects.create(
        live_page=page, title="Later", published_at=timezone.now() + timedelta(seconds=90)
    )
    assert re.search(r"s-maxage=(89|90)\b", client.get(FEED)["Cache-Control"])


def test_the_latest_declarations_are_no_feed(client, every_seat):
    latest = client.get("/api/v1/declarations").json()
    # Empty, as on the pages, is no moment given: the latest declarations.
    response = client.get("/api/v1/declarations", {"since": ""})
    assert response.status_code == 200
    assert response.json() == latest
    description = client.get("/api/v1/openapi.json").json()["paths"]["/api/v1/declarations"]["get"][
        "description"
    ]
    assert "not a feed" in description and "/api/v1/changes" in description
