"""Live updates, pages changing with what they show, and what happens when things fail.
What pages tell the HTTP caches in front is in tests/test_http_cache.py."""

import re
from io import StringIO
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import OperationalError
from django.utils import timezone

from liveblog.models import LivePage, Post, PostStatus
from results.models import Party, Result
from tests.changes import derbyshire_dales_declaration
from tests.newsroom.forms import declaration_form, declaration_post, existing_blocks, post_form
from tests.pages import text_of

pytestmark = pytest.mark.django_db

UPDATES = "/counties/derbyshire/updates/"


def newest_post(county="derbyshire"):
    return Post.objects.filter(live_page__county__slug=county).order_by("-published_at").first()


def update_titles(response):
    return re.findall(
        r'class="post__title" id="post-\d+-title"><a [^>]*>([^<]*)</a>', (response.content.decode())
    )


class TestPollingEndpoint:
    """What the answer is made of is in tests/liveblog/test_live_updates.py."""

    def test_drafts_and_scheduled_posts_are_not_new(self, client, seeded):
        newest = newest_post()
        Post.objects.create(live_page=newest.live_page, title="Draft", status=PostStatus.DRAFT)
        Post.objects.create(
            live_page=newest.live_page,
            title="Later",
            published_at=timezone.now() + timezone.timedelta(hours=1),
        )
        assert update_titles(client.get(UPDATES, {"since": newest.live_page.sequence})) == []

    def test_304_for_a_matching_etag(self, client, seeded):
        newest = newest_post()
        first = client.get(UPDATES, {"since": newest.live_page.sequence})
        etag = first["ETag"]
        assert etag
        again = client.get(
            UPDATES, {"since": newest.live_page.sequence}, headers={"If-None-Match": etag}
        )
        assert again.status_code == 304
        assert again.content == b""
        Post.objects.create(live_page=newest.live_page, title="News", published_at=timezone.now())
        changed = client.get(
            UPDATES, {"since": newest.live_page.sequence}, headers={"If-None-Match": etag}
        )
        assert changed.status_code == 200
        assert changed["ETag"] != etag


class TestInvalidation:
    """A page changes as soon as what it shows changes (the figures kept for renders
    are worked out again: pages.data_cache)."""

    def test_post_published_edited_and_unpublished(self, client, seeded, editor_client):
        client.get("/counties/derbyshire/")
        data = post_form(title="Fresh post", blocks=[{"text": "Hello."}])
        assert editor_client.post("/admin/liveblog/post/add/", data).status_code == 302
        assert "Fresh post" in text_of(client.get("/counties/derbyshire/"))

        post = Post.objects.get(title="Fresh post")
        data = post_form(
            title="Fresh post, edited", when=post.published_at, **existing_blocks(post)
        )
        assert (
            editor_client.post(f"/admin/liveblog/post/{post.pk}/change/", data).status_code == 302
        )
        assert "Fresh post, edited" in text_of(client.get("/counties/derbyshire/"))

        editor_client.post(
            "/admin/liveblog/post/", {"action": "unpublish", "_selected_action": [post.pk]}
        )
        assert "Fresh post" not in text_of(client.get("/counties/derbyshire/"))
        assert "Fresh post" not in client.get("/counties/derbyshire/feed/").content.decode()

    def test_result_declared_and_corrected(self, client, seeded, desk_client):
        client.get("/")
        client.get("/constituencies/derbyshire-dales/")
        dales, data = derbyshire_dales_declaration()
        assert declaration_post(desk_client, dales, data).status_code == 302
        assert "8 of 650 seats declared" in text_of(client.get("/"))
        assert "Majority 350 votes" in text_of(client.get("/constituencies/derbyshire-dales/"))

        existing = [
            (c, c.votes + (100 if c.name == "John Whitby" else 0)) for c in dales.candidacies.all()
        ]
        data = declaration_form(
            dales,
            [],
            outcome="GAIN",
            gained_from=Party.objects.get(slug="conservative"),
            existing=existing,
        )
        assert declaration_post(desk_client, dales, data).status_code == 302
        page = text_of(client.get("/constituencies/derbyshire-dales/"))
        assert "Majority 450 votes" in page and "Corrected at" in page

    def test_an_import(self, client, seeded):
        post = Post.objects.get(title="Queues to get in")
        post.delete()
        assert "Queues to get in" not in text_of(client.get("/counties/derbyshire/"))
        call_command("import_seeds", stdout=StringIO())
        assert "Queues to get in" in text_of(client.get("/counties/derbyshire/"))


class TestFaults:
    def test_database_away_gives_a_friendly_503_and_recovers(self, client, seeded):
        lost = OperationalError(
            'connection to server at "127.0.0.1", port 5432 failed: Connection refused'
        )
        with mock.patch("results.models.ElectionQuerySet.current", side_effect=lost):
            response = client.get("/regions/nowhere/")
            response = client.get("/")
        assert response.status_code == 503
        assert response["Retry-After"] == "10"
        assert response["Cache-Control"] == "no-store"
        text = text_of(response)
        assert "Back in a moment" in text
        assert "Traceback" not in text and "OperationalError" not in text
        assert client.get("/").status_code == 200

    def test_a_query_error_is_not_mistaken_for_a_lost_database(self, client, seeded):
        broken = OperationalError("no such column: results_party.colour")
        with (
            mock.patch("results.models.ElectionQuerySet.current", side_effect=broken),
            pytest.raises(OperationalError),
        ):
            client.get("/")

    def test_pages_are_served_when_redis_is_away(self, client, seeded, settings):
        # Nothing listens on the discard port: every cache call fails, fast.
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": "redis://127.0.0.1:9/0",
                "OPTIONS": {"socket_connect_timeout": 0.1, "socket_timeout": 0.1},
            }
        }
        settings.DATA_CACHE_SHARED = True
        for address in ["/", "/counties/derbyshire/", "/constituencies/kettering/", UPDATES]:
            response = client.get(address)
            assert response.status_code == 200, address
            assert "National result" in text_of(response) or address == "/"
        # Writes go on too: the change cannot be announced, and is saved all the same.
        post = Post.objects.create(
            live_page=LivePage.objects.get(county__slug="derbyshire"), title="Still here"
        )
        assert "Still here" in text_of(client.get(post.get_absolute_url()))


def test_results_change_moves_the_strip_too(client, seeded):
    """The strip in the polling answer is the national scoreboard as it is now."""
    newest = newest_post()
    before = client.get(UPDATES, {"since": newest.live_page.sequence}).content.decode()
    assert "643 seats to go" in before
    Result.objects.filter(constituency__slug="kettering").delete()
    after = client.get(UPDATES, {"since": newest.live_page.sequence}).content.decode()
    assert "644 seats to go" in after
    assert LivePage.objects.count() == 4


def test_a_render_overtaken_by_a_change_is_not_kept_as_current(client, seeded):
    from pages import views

    real = views.with_parts

    def published_during_the_render(*args, **kwargs):
        shown = real(*args, **kwargs)  # the posts have been read
        # As if an editor published while this page was being rendered.
        Post.objects.create(
            live_page=LivePage.objects.get(county__slug="derbyshire"),
            title="Published meanwhile",
            published_at=timezone.now(),
        )
        return shown

    with mock.patch.object(views, "with_parts", published_during_the_render):
        assert "Published meanwhile" not in text_of(client.get("/counties/derbyshire/"))
    assert "Published meanwhile" in text_of(client.get("/counties/derbyshire/"))
