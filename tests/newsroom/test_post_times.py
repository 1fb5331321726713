"""A post's time and order that readers can trust, and forms that do not undo each other
(issue 14): a post's time is the moment readers could first see it; an edit keeps it and
shows `Updated`, a pin does not; a form saved over a newer version is refused, saying
who changed what; markup the sanitiser would drop is named to the editor."""

import re
from datetime import datetime, timedelta

import pytest
from django.contrib.admin.models import LogEntry
from django.test import Client
from django.utils import timezone

from liveblog.models import LivePage, Post, PostStatus
from tests.conftest import staff_member
from tests.newsroom.forms import existing_blocks, post_form
from tests.pages import text_of

pytestmark = pytest.mark.django_db

UPDATES = "/counties/derbyshire/updates/"


def open_page_cursor(client):
    html = client.get("/counties/derbyshire/").content.decode()
    return re.search(r'data-since="(\d+)"', html)[1]


def new_titles(client, since):
    html = client.get(UPDATES, {"since": since}).content.decode()
    new = re.search(r"<div data-posts>(.*?)</div>\s*<div data-changed>", html, re.S)[1]
    return re.findall(r'class="post__title" id="post-\d+-title"><a [^>]*>([^<]*)</a>', new)


def test_a_post_saved_a_minute_after_its_form_opened_takes_the_time_it_went_out(
    client, seeded, editor_client
):
    opened = timezone.localtime(timezone.now() - timedelta(minutes=1))
    form = editor_client.get("/admin/liveblog/post/add/").content.decode()
    assert 'name="publish_at_0"' in form and 'value="' + opened.strftime("%d/%m/%Y") not in form
    since = open_page_cursor(client)  # a reader's page, open since before the save
    data = post_form(title="Out at last", blocks=[{"text": "The count is over."}])
    # An old form carried the time it was opened: it is no longer the post's time.
    data["publish_at_0"], data["publish_at_1"] = (
        opened.strftime("%d/%m/%Y"),
        opened.strftime("%H:%M:%S"),
    )
    saved = timezone.now()
    response = editor_client.post("/admin/liveblog/post/add/", data)
    assert response.status_code == 302, text_of(response)[:2000]
    post = Post.objects.get(title="Out at last")
    assert post.is_visible
    assert post.published_at >= saved.replace(microsecond=0)
    assert new_titles(client, since) == ["Out at last"]


def test_a_draft_published_later_takes_the_time_it_was_published(client, seeded, editor_client):
    data = post_form(title="Drafted", status=PostStatus.DRAFT, blocks=[{"text": "Soon."}])
    assert editor_client.post("/admin/liveblog/post/add/", data).status_code == 302
    post = Post.objects.get(title="Drafted")
    assert (post.status, post.published_at) == (PostStatus.DRAFT, None)
    assert "Drafted" not in text_of(client.get("/counties/derbyshire/"))
    since = open_page_cursor(client)
    published = timezone.now().replace(microsecond=0)
    data = post_form(title="Drafted", **existing_blocks(post))
    response = editor_client.post(f"/admin/liveblog/post/{post.pk}/change/", data)
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.is_visible and post.published_at >= published
    assert post.edited_at is None  # published, not updated
    assert new_titles(client, since) == ["Drafted"]


def test_a_new_post_is_a_draft_until_publish_is_pressed(client, seeded, editor_client):
    form = editor_client.get("/admin/liveblog/post/add/").content.decode()
    assert "A new post is a draft: nobody sees it until you press Publish." in form
    assert 'value="Save draft" class="default" name="_save"' in form
    assert 'value="Save and preview" name="_preview"' in form
    data = post_form(title="Just a draft", status=PostStatus.DRAFT, blocks=[{"text": "x"}])
    data["_preview"] = "Save and preview"
    response = editor_client.post("/admin/liveblog/post/add/", data)
    post = Post.objects.get(title="Just a draft")
    assert response["Location"] == f"/admin/liveblog/post/{post.pk}/preview/"
    assert not post.is_visible


def test_a_pin_is_no_edit_but_an_edit_shows_updated(client, seeded, editor_client):
    post = Post.objects.get(title="Queues to get in")
    data = post_form(title=post.title, pinned="on", **existing_blocks(post))
    assert editor_client.post(f"/admin/liveblog/post/{post.pk}/change/", data).status_code == 302
    post.refresh_from_db()
    assert post.pinned and post.edited_at is None
    page = text_of(client.get("/counties/derbyshire/"))
    assert "Key post 00:15 BST Queues to get in" in page and "Updated" not in page
    data = post_form(title="Queues to get in, still", pinned="on", **existing_blocks(post))
    assert editor_client.post(f"/admin/liveblog/post/{post.pk}/change/", data).status_code == 302
    post.refresh_from_db()
    updated = timezone.localtime(post.edited_at).strftime("%H:%M %Z")
    assert f"00:15 BST Updated {updated} Queues to get in, still" in text_of(
        client.get("/counties/derbyshire/")
    )
    assert timezone.localtime(post.published_at).strftime("%H:%M") == "00:15"  # kept


def test_a_stale_form_is_refused_saying_who_changed_what(client, seeded, editor_client):
    post = Post.objects.get(title="Queues to get in")
    stale = post_form(title="Queues at Bolsover", **existing_blocks(post))  # opened now

    kate = staff_member("kate", "Editors", first_name="Kate", last_name="Linderholm")
    other = Client()
    other.force_login(kate)
    fresh = post_form(title="Queues to get in at Dronfield", **existing_blocks(post))
    assert other.post(f"/admin/liveblog/post/{post.pk}/change/", fresh).status_code == 302

    response = editor_client.post(f"/admin/liveblog/post/{post.pk}/change/", stale)
    assert response.status_code == 200
    message = text_of(response)
    kates = timezone.localtime(post.revisions.get().changed_at).strftime("%H:%M %Z")
    assert (
        "This post changed after you opened it. Nothing you typed is saved yet. "
        f"Kate Linderholm at {kates}: the title was “Queues to get in”, is now “Queues to "
        "get in at Dronfield”. You changed the title too: yours is “Queues at Bolsover”, "
        "theirs “Queues to get in at Dronfield”. Saving again keeps yours."
    ) in message
    post.refresh_from_db()
    assert post.title == "Queues to get in at Dronfield"
    # The history credits each change to whoever made it, and the refused one to nobody.
    history = list(LogEntry.objects.filter(object_id=str(post.pk)).order_by("action_time"))
    assert [(entry.user.username, entry.get_change_message()) for entry in history] == [
        ("kate", "Changed Title.")
    ]
    # Saving the form again, having seen both titles, is a deliberate choice: it keeps
    # this editor's title (and everything Kate changed that this form did not).
    form_data = response.context["adminform"].form.data
    again = {**stale, "seen_version": form_data["seen_version"]}
    assert editor_client.post(f"/admin/liveblog/post/{post.pk}/change/", again).status_code == 302
    post.refresh_from_db()
    assert post.title == "Queues at Bolsover"


@pytest.mark.parametrize(
    ("pasted", "named"),
    [
        (
            '<iframe width="560" height="315" src="https://www.youtube.com/embed/dQw4w9WgXcQ" '
            'title="YouTube video player" allowfullscreen></iframe>',
            "Posts cannot show a YouTube video (paste its link instead: "
            "https://www.youtube.com/watch?v=dQw4w9WgXcQ)",
        ),
        (
            '<blockquote class="twitter-tweet"><p lang="en">Labour gain Erewash</p>&mdash; BBC '
            'Derby (@bbcderby) <a href="https://twitter.com/bbcderby/status/1809001?ref_src=t">'
            'July 5, 2024</a></blockquote> <script async src="https://platform.twitter.com/'
            'widgets.js" charset="utf-8"></script>',
            "Posts cannot show an X (Twitter) post (paste its link instead: "
            "https://twitter.com/bbcderby/status/1809001)",
        ),
        ('<span style="color:red">Red</span> text', "Posts cannot show <span>"),
    ],
    ids=["youtube", "x", "span"],
)
def test_markup_the_sanitiser_would_drop_is_named_to_the_editor(
    seeded, editor_client, pasted, named
):
    data = post_form(title="Embedded", blocks=[{"text": f"Watch: {pasted}"}])
    response = editor_client.post("/admin/liveblog/post/add/", data)
    assert response.status_code == 200
    assert named in text_of(response)
    assert not Post.objects.filter(title="Embedded").exists()
    # The form shows the text as readers would get it; saved as it is, that is kept.
    shown = response.context["inline_admin_formsets"][0].formset.forms[0].data["blocks-0-text"]
    assert "<iframe" not in shown and "<script" not in shown and "<span" not in shown
    data["blocks-0-text"] = shown
    assert editor_client.post("/admin/liveblog/post/add/", data).status_code == 302
    assert Post.objects.get(title="Embedded").blocks.get().text == shown.strip()


def test_the_list_action_publishes_at_the_moment_it_is_pressed(client, seeded, editor_client):
    live_page = LivePage.objects.get(county__slug="derbyshire")
    draft = Post.objects.create(live_page=live_page, title="Held back", status=PostStatus.DRAFT)
    since = open_page_cursor(client)
    pressed = timezone.now().replace(microsecond=0)
    editor_client.post(
        "/admin/liveblog/post/", {"action": "publish", "_selected_action": [draft.pk]}
    )
    draft.refresh_from_db()
    assert draft.is_visible and draft.published_at >= pressed
    assert new_titles(client, since) == ["Held back"]
    assert LogEntry.objects.get(object_id=str(draft.pk)).get_change_message() == "Published"


def updated_entry(client, title):
    feed = client.get("/counties/derbyshire/feed/").content.decode()
    entry = re.search(rf"<entry><title>{re.escape(title)}</title>.*?</entry>", feed, re.S)[0]
    return re.search(r"<updated>([^<]*)</updated>", entry)[1]


def test_a_post_taken_down_corrected_and_shown_again_says_corrected(client, seeded, editor_client):
    post = Post.objects.get(title="Queues to get in")
    editor_client.post(
        "/admin/liveblog/post/", {"action": "unpublish", "_selected_action": [post.pk]}
    )
    post.refresh_from_db()
    since = open_page_cursor(client)
    # Corrected while readers cannot see it, and published again.
    data = post_form(title=post.title, **existing_blocks(post))
    data["blocks-1-text"] = "The BBC's Kat Harbourne snapped the line outside Bolsover's count."
    response = editor_client.post(f"/admin/liveblog/post/{post.pk}/change/", data)
    assert response.status_code == 302, text_of(response)[:2000]
    post.refresh_from_db()
    corrected = timezone.localtime(post.corrected_at).strftime("%H:%M %Z")
    said = f"00:15 BST Corrected {corrected} Queues to get in"
    assert said in text_of(client.get("/counties/derbyshire/"))
    assert said in text_of(client.get(post.get_absolute_url()))
    assert "Updated" not in text_of(client.get(post.get_absolute_url()))
    # An open page is given it again, with the note; the feed's entry moves.
    html = client.get(UPDATES, {"since": since}).content.decode()
    assert f'Corrected <time datetime="{post.corrected_at.isoformat()}' in html
    assert updated_entry(client, "Queues to get in") == post.corrected_at.isoformat()
    # The feed's readers and the API's are told too, not only left to spot a new time.
    feed = client.get("/counties/derbyshire/feed/").content.decode()
    assert f"Corrected at {corrected}. Forget queues at polling stations" in feed
    posts = client.get("/api/v1/counties/derbyshire/posts").json()
    (shown,) = [p for p in posts if p["id"] == post.pk]
    assert datetime.fromisoformat(shown["corrected_at"]) == post.corrected_at.replace(microsecond=0)


def test_a_post_taken_down_and_shown_again_unchanged_is_not_corrected(
    client, seeded, editor_client
):
    post = Post.objects.get(title="Queues to get in")
    for action in ("unpublish", "publish"):
        editor_client.post(
            "/admin/liveblog/post/", {"action": action, "_selected_action": [post.pk]}
        )
    post.refresh_from_db()
    assert post.is_visible and post.corrected_at is None
    page = text_of(client.get("/counties/derbyshire/"))
    assert "00:15 BST Queues to get in" in page and "Corrected" not in page


def test_a_scheduled_post_taken_down_and_fixed_is_not_corrected(client, seeded, editor_client):
    """Readers never saw a post scheduled an hour ahead: fixed while it was taken down,
    it is published with no `Corrected` note (issue 27)."""
    data = post_form(
        title="Polls clos at ten",
        when=timezone.now() + timedelta(hours=1),
        blocks=[{"text": "Counting starts."}],
    )
    assert editor_client.post("/admin/liveblog/post/add/", data).status_code == 302
    post = Post.objects.get(title="Polls clos at ten")
    assert post.is_scheduled
    editor_client.post(
        "/admin/liveblog/post/", {"action": "unpublish", "_selected_action": [post.pk]}
    )
    post.refresh_from_db()
    data = post_form(title="Polls close at ten", **existing_blocks(post))
    response = editor_client.post(f"/admin/liveblog/post/{post.pk}/change/", data)
    assert response.status_code == 302, text_of(response)[:2000]
    post.refresh_from_db()
    assert post.is_visible and post.corrected_at is None
    page = text_of(client.get(post.get_absolute_url()))
    assert "Polls close at ten" in page and "Corrected" not in page


def test_a_post_readers_saw_then_scheduled_and_fixed_is_corrected(client, seeded, editor_client):
    """What readers saw is what a post held when it was last taken down while shown: a
    later take-down of it while only scheduled does not hide the change."""
    post = Post.objects.get(title="Queues to get in")
    editor_client.post(
        "/admin/liveblog/post/", {"action": "unpublish", "_selected_action": [post.pk]}
    )
    post.refresh_from_db()
    data = post_form(
        title=post.title, when=timezone.now() + timedelta(hours=1), **existing_blocks(post)
    )
    assert editor_client.post(f"/admin/liveblog/post/{post.pk}/change/", data).status_code == 302
    post.refresh_from_db()
    assert post.is_scheduled
    editor_client.post(
        "/admin/liveblog/post/", {"action": "unpublish", "_selected_action": [post.pk]}
    )
    post.refresh_from_db()
    data = post_form(title="Queues to get in at Bolsover", **existing_blocks(post))
    response = editor_client.post(f"/admin/liveblog/post/{post.pk}/change/", data)
    assert response.status_code == 302, text_of(response)[:2000]
    post.refresh_from_db()
    corrected = timezone.localtime(post.corrected_at).strftime("%H:%M %Z")
    assert f"Corrected {corrected} Queues to get in at Bolsover" in text_of(
        client.get(post.get_absolute_url())
    )
