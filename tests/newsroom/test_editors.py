"""Editors write, preview, publish, edit, pin and unpublish posts in the admin."""

import io
import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from liveblog.models import LivePage, Post, PostStatus
from results.models import Constituency
from tests.newsroom.forms import existing_blocks, post_form
from tests.pages import text_of

pytestmark = pytest.mark.django_db


def png(width=40, height=30):
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 60)).save(buffer, "PNG")
    return SimpleUploadedFile("count.png", buffer.getvalue(), content_type="image/png")


def titles_on(client, address):
    html = client.get(address).content.decode()
    return re.findall(r'class="post__title" id="post-\d+-title"><a [^>]*>([^<]*)</a>', html)


def feed_titles(client, address):
    return re.findall(r"<entry><title>([^<]*)</title>", client.get(address).content.decode())


def test_an_editors_night(client, seeded, editor_client, media):
    # Write a post with an image, as a draft.
    data = post_form(
        title="Erewash declares",
        status=PostStatus.DRAFT,
        byline_name="Kate Linderholm",
        byline_role="BBC Derby",
        blocks=[
            {"text": "Labour's Adam Thompson takes <strong>Erewash</strong>."},
            {
                "kind": "image",
                "image": png(),
                "alt": "Adam Thompson at the count",
                "caption": "Adam Thompson celebrates",
                "credit": "Kate Linderholm/BBC",
            },
        ],
    )
    response = editor_client.post("/admin/liveblog/post/add/", data)
    assert response.status_code == 302, text_of(response)[:2000]
    post = Post.objects.get(title="Erewash declares")
    assert (post.status, post.source, post.created_by.username) == ("draft", "newsroom", "eddie")
    assert "Erewash declares" not in titles_on(client, "/counties/derbyshire/")

    # Preview it as readers will see it.
    preview = editor_client.get(f"/admin/liveblog/post/{post.pk}/preview/")
    assert preview.status_code == 200
    preview_text = text_of(preview)
    assert "This is a draft: readers cannot see it until it is published." in preview_text
    assert "Labour's Adam Thompson takes Erewash ." in preview_text
    assert '<img src="/media/posts/' in preview.content.decode()
    assert 'alt="Adam Thompson at the count" width="40" height="30"' in preview.content.decode()
    assert client.get(post.get_absolute_url()).status_code == 404

    # Publish it with the list action: readers see it on the page and in the feed.
    response = editor_client.post(
        "/admin/liveblog/post/", {"action": "publish", "_selected_action": [post.pk]}
    )
    assert response.status_code == 302
    assert titles_on(client, "/counties/derbyshire/")[0] == "Erewash declares"
    assert feed_titles(client, "/counties/derbyshire/feed/")[0] == "Erewash declares"
    page = text_of(client.get("/counties/derbyshire/"))
    assert "Kate Linderholm BBC Derby" in page
    assert "Adam Thompson celebrates Image source: Kate Linderholm/BBC" in page
    assert "Updated" not in page

    # Edit it: readers see when it was updated.
    post.refresh_from_db()
    data = post_form(
        title="Erewash declares for Labour",
        when=post.published_at,
        byline_name="Kate Linderholm",
        byline_role="BBC Derby",
        **existing_blocks(post),
    )
    response = editor_client.post(f"/admin/liveblog/post/{post.pk}/change/", data)
    assert response.status_code == 302, text_of(response)[:2000]
    post.refresh_from_db()
    updated = timezone.localtime(post.edited_at).strftime("%H:%M %Z")
    assert "Erewash declares for Labour Kate Linderholm" in text_of(
        client.get("/counties/derbyshire/")
    )
    assert f"Updated {updated}" in text_of(client.get("/counties/derbyshire/"))

    # Pin it: it leads the page as a key post even when newer posts arrive.
    Post.objects.create(live_page=post.live_page, title="Later news", published_at=timezone.now())
    data = post_form(
        title="Erewash declares for Labour",
        when=post.published_at,
        pinned="on",
        byline_name="Kate Linderholm",
        byline_role="BBC Derby",
        **existing_blocks(post),
    )
    assert editor_client.post(f"/admin/liveblog/post/{post.pk}/change/", data).status_code == 302
    page = text_of(client.get("/counties/derbyshire/"))
    assert (
        page.index("Key post")
        < page.index("Erewash declares for Labour")
        < page.index("Later news")
    )

    # Unpublish it: gone from the page, the feed and its permalink.
    response = editor_client.post(
        "/admin/liveblog/post/", {"action": "unpublish", "_selected_action": [post.pk]}
    )
    assert response.status_code == 302
    assert "Erewash declares for Labour" not in titles_on(client, "/counties/derbyshire/")
    assert "Erewash declares for Labour" not in feed_titles(client, "/counties/derbyshire/feed/")
    assert client.get(post.get_absolute_url()).status_code == 404


@pytest.mark.parametrize(
    ("block", "message"),
    [
        (
            {"alt": "", "caption": "At the count", "credit": "BBC"},
            "An image needs alt text: say what it shows.",
        ),
        (
            {"alt": "A count hall", "caption": "", "credit": ""},
            "An uploaded image needs a caption and a credit (who took it, or its source).",
        ),
    ],
)
def test_an_uploaded_image_needs_alt_text_caption_and_credit(
    seeded, editor_client, media, block, message
):
    data = post_form(blocks=[{"kind": "image", "image": png(), **block}])
    response = editor_client.post("/admin/liveblog/post/add/", data)
    assert response.status_code == 200
    assert message in text_of(response)
    assert not Post.objects.filter(title="A new post").exists()


def test_a_future_time_schedules_a_post(client, seeded, editor_client):
    later = timezone.now() + timedelta(hours=1)
    data = post_form(title="Embargoed", when=later, blocks=[{"text": "Not yet."}])
    assert editor_client.post("/admin/liveblog/post/add/", data).status_code == 302
    post = Post.objects.get(title="Embargoed")
    assert "Embargoed" not in titles_on(client, "/counties/derbyshire/")
    assert "Embargoed" not in feed_titles(client, "/counties/derbyshire/feed/")
    preview = text_of(editor_client.get(f"/admin/liveblog/post/{post.pk}/preview/"))
    assert "Scheduled: readers will see it from" in preview
    # As its passing would: nothing announced, the page shows it all the same.
    Post.objects.filter(pk=post.pk).update(published_at=timezone.now() - timedelta(minutes=1))
    assert "Embargoed" in titles_on(client, "/counties/derbyshire/")


def test_the_last_used_byline_is_offered(seeded, editor_client):
    data = post_form(
        byline_name="Kate Linderholm", byline_role="BBC Derby", blocks=[{"text": "First."}]
    )
    assert editor_client.post("/admin/liveblog/post/add/", data).status_code == 302
    form = editor_client.get("/admin/liveblog/post/add/").content.decode()
    assert 'name="byline_name" value="Kate Linderholm"' in form
    assert 'name="byline_role" value="BBC Derby"' in form


def test_a_post_about_a_seat_it_does_not_name(client, seeded, editor_client):
    kettering = Constituency.objects.get(slug="kettering")
    data = post_form(
        title="Counting resumes",
        live_page=LivePage.objects.get(county__slug="northamptonshire"),
        about=[kettering],
        blocks=[{"text": "The recount is under way."}],
    )
    assert editor_client.post("/admin/liveblog/post/add/", data).status_code == 302
    assert "About: Kettering" in text_of(client.get("/counties/northamptonshire/"))
    assert "Counting resumes Northamptonshire" in text_of(client.get("/constituencies/kettering/"))


def test_constituencies_autocomplete(seeded, editor_client):
    response = editor_client.get(
        "/admin/autocomplete/",
        {
            "app_label": "liveblog",
            "model_name": "post",
            "field_name": "constituencies",
            "term": "kett",
        },
    )
    assert response.status_code == 200
    assert [item["text"] for item in response.json()["results"]] == ["Kettering"]


@pytest.mark.parametrize(
    ("query", "count"),
    [
        ("", 73),
        ("?status__exact=draft", 0),
        ("?breaking__exact=1", 3),
        ("?pinned__exact=0", 73),
        ("?q=Loughborough", 3),
        ("?published_at__day=4&published_at__month=7&published_at__year=2024", 6),
    ],
)
def test_list_view_search_filters_and_dates(seeded, editor_client, query, count):
    response = editor_client.get(f"/admin/liveblog/post/{query}")
    assert response.status_code == 200
    assert response.context["cl"].result_count == count


def test_list_view_filters_by_county(seeded, editor_client):
    derbyshire = LivePage.objects.get(county__slug="derbyshire").county
    response = editor_client.get(
        f"/admin/liveblog/post/?live_page__county__id__exact={derbyshire.pk}"
    )
    assert response.context["cl"].result_count == 13


def test_mark_breaking_action(client, seeded, editor_client):
    post = Post.objects.get(title="Queues to get in")
    editor_client.post(
        "/admin/liveblog/post/", {"action": "mark_breaking", "_selected_action": [post.pk]}
    )
    post.refresh_from_db()
    assert post.breaking
    # As the change form would: readers could see the post, so they see it was updated.
    updated = timezone.localtime(post.edited_at).strftime("%H:%M %Z")
    assert f"00:15 BST Breaking Updated {updated} Queues to get in" in text_of(
        client.get("/counties/derbyshire/")
    )
