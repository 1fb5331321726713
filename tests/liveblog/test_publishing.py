"""Publishing and scheduling a post say the same whichever way the editor does it: the
change form, a list action, or the services a script calls (liveblog.services
`post_publish`, the one rule of them all)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from liveblog.models import LivePage, Post, PostRevision, PostStatus
from liveblog.services import post_publish
from tests.newsroom.forms import existing_blocks, post_form

pytestmark = pytest.mark.django_db


def draft(title):
    post = Post.objects.create(
        live_page=LivePage.objects.get(county__slug="derbyshire"),
        title=title,
        status=PostStatus.DRAFT,
    )
    post.blocks.create(text=f"{title}: more soon.")
    return post


def history(post):
    """The latest entry of a post's history, as its editors read it."""
    return PostRevision.objects.filter(post=post).order_by("-version", "-id").first().changes


def test_a_post_published_now_says_so_from_the_form_the_list_and_a_script(
    seeded, editor_client, editor
):
    by_form, by_list, by_script = draft("By form"), draft("By list"), draft("By script")
    published = timezone.now().replace(microsecond=0)
    data = post_form(title="By form", **existing_blocks(by_form))
    response = editor_client.post(f"/admin/liveblog/post/{by_form.pk}/change/", data)
    assert response.status_code == 302
    response = editor_client.post(
        "/admin/liveblog/post/", {"action": "publish", "_selected_action": [by_list.pk]}
    )
    assert response.status_code == 302
    post_publish(post=by_script, user=editor)
    for post in (by_form, by_list, by_script):
        post.refresh_from_db()
        assert post.is_visible and post.published_at >= published, post.title
        assert history(post)[0] == "published", post.title


def test_a_post_published_for_later_is_scheduled_from_the_form_and_a_script(
    seeded, editor_client, editor
):
    by_form, by_script = draft("By form"), draft("By script")
    later = (timezone.now() + timedelta(hours=1)).replace(microsecond=0)
    data = post_form(title="By form", when=later, **existing_blocks(by_form))
    response = editor_client.post(f"/admin/liveblog/post/{by_form.pk}/change/", data)
    assert response.status_code == 302
    post_publish(post=by_script, user=editor, at=later)
    for post in (by_form, by_script):
        post.refresh_from_db()
        assert post.is_scheduled and post.published_at == later, post.title
        assert history(post)[0] == "scheduled", post.title
