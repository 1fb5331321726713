"""A post's history keeps its words (issue 27, "Why" 5): each revision keeps the post's
text and blocks before and after the change, a stale save is shown what changed field by
field and never undoes the other editor's change when saved again, and the history
outlives the post and the people who wrote it."""

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from liveblog import editing
from liveblog.models import Post, PostRevision
from tests.conftest import staff_member
from tests.newsroom.forms import existing_blocks, post_form
from tests.pages import text_of

pytestmark = pytest.mark.django_db

FIRST = (
    "Forget queues at polling stations, at Bolsover's count, the ballot boxes faced a wait "
    "to get inside."
)
SECOND = "The BBC's Kat Harbourne snapped the line snaking out of Dronfield Leisure Centre."
ANNAS = "Kat Harbourne photographed the queue outside Dronfield Leisure Centre at midnight."


def change_url(post):
    return f"/admin/liveblog/post/{post.pk}/change/"


def editor(username, first_name, last_name):
    client = Client()
    client.force_login(
        staff_member(username, "Editors", first_name=first_name, last_name=last_name)
    )
    return client


def at(revision):
    return timezone.localtime(revision.changed_at).strftime("%H:%M %Z")


def test_a_revision_keeps_the_post_before_and_after_the_change(seeded, editor_client):
    post = Post.objects.get(title="Queues to get in")
    data = post_form(title="Queues at Bolsover's count", **existing_blocks(post))
    data["blocks-1-text"] = ANNAS
    data["pinned"] = "on"
    response = editor_client.post(change_url(post), data)
    assert response.status_code == 302, text_of(response)[:2000]

    revision = PostRevision.objects.get(post=post)
    assert revision.changes == ["title", "pinned", "paragraph 2"]
    assert revision.changed_by_name == "eddie"
    before, after = revision.before, revision.after
    assert (before["title"], after["title"]) == ("Queues to get in", "Queues at Bolsover's count")
    assert (before["pinned"], after["pinned"]) == (False, True)
    assert before["status"] == after["status"] == "published"
    assert before["seats"] == after["seats"] == ["Bolsover"]
    assert [(block["kind"], block["text"]) for block in before["blocks"]] == [
        ("paragraph", FIRST),
        ("paragraph", SECOND),
        ("image", ""),
    ]
    assert [block["text"] for block in after["blocks"]] == [FIRST, ANNAS, ""]
    assert after["blocks"][2]["alt"] == "Queues of people carrying ballot boxes"


def test_two_editors_the_second_save_keeps_the_first_editors_change(client, seeded):
    post = Post.objects.get(title="Queues to get in")
    anna, ben = editor("anna", "Anna", "Black"), editor("ben", "Ben", "Wood")
    # Both open the post.
    annas_form = post_form(title=post.title, **existing_blocks(post))
    bens_form = post_form(title=post.title, **existing_blocks(post))

    # Anna changes a paragraph and saves.
    annas_form["blocks-1-text"] = ANNAS
    assert anna.post(change_url(post), annas_form).status_code == 302

    # Ben changes the title and saves: refused, and shown what Anna changed.
    bens_form["title"] = "Queues at Bolsover's count"
    response = ben.post(change_url(post), bens_form)
    assert response.status_code == 200
    annas_revision = PostRevision.objects.get(post=post)
    message = text_of(response)
    assert (
        "This post changed after you opened it. Nothing you typed is saved yet. "
        f"Anna Black at {at(annas_revision)}: paragraph 2 was “{SECOND}”, is now “{ANNAS}”. "
        "Save again to add your changes to theirs: theirs are kept wherever you changed "
        "nothing, as the form below now shows. Or reload the post to start again from "
        "their version."
    ) in message
    # The form shows Anna's paragraph and Ben's title: what saving again will keep.
    form = response.content.decode()
    assert f">\n{ANNAS}</textarea>" in form
    assert 'name="title" value="Queues at Bolsover&#x27;s count"' in form
    post.refresh_from_db()
    assert post.title == "Queues to get in"

    # Ben saves again as invited (the form as it came back): Anna's paragraph stays.
    again = {**bens_form, **hidden_versions(response)}
    response = ben.post(change_url(post), again)
    assert response.status_code == 302, text_of(response)[:3000]
    post.refresh_from_db()
    assert post.title == "Queues at Bolsover's count"
    assert [block.text for block in post.blocks.all()] == [FIRST, ANNAS, ""]
    page = text_of(client.get(post.get_absolute_url()))
    assert "Queues at Bolsover's count Forget queues at polling stations" in page
    assert f"wait to get inside. {ANNAS} Queues of people carrying ballot boxes" in page


def hidden_versions(response):
    """The hidden fields a refused form comes back with: what a browser sends again."""
    data = response.context["adminform"].form.data
    return {name: data[name] for name in ("opened_version", "seen_version") if name in data}


def test_a_field_both_editors_changed_is_shown_with_both_and_kept_only_deliberately(seeded):
    post = Post.objects.get(title="Queues to get in")
    anna, ben = editor("anna", "Anna", "Black"), editor("ben", "Ben", "Wood")
    annas_form = post_form(title=post.title, **existing_blocks(post))
    bens_form = post_form(title=post.title, **existing_blocks(post))
    annas_form["title"] = "Queues at Dronfield"
    annas_form["blocks-0-text"] = "Ballot boxes queued at Bolsover's count."
    assert anna.post(change_url(post), annas_form).status_code == 302

    bens_form["title"] = "Queues at Bolsover"
    response = ben.post(change_url(post), bens_form)
    assert response.status_code == 200
    message = text_of(response)
    assert "Anna Black at" in message
    assert "the title was “Queues to get in”, is now “Queues at Dronfield”" in message
    assert (
        "You changed the title too: yours is “Queues at Bolsover”, theirs “Queues at "
        "Dronfield”. Saving again keeps yours."
    ) in message
    assert Post.objects.get(pk=post.pk).title == "Queues at Dronfield"

    again = {**bens_form, **hidden_versions(response)}
    assert ben.post(change_url(post), again).status_code == 302
    post.refresh_from_db()
    # Ben's title, knowingly; Anna's paragraph, which Ben never touched.
    assert post.title == "Queues at Bolsover"
    assert post.blocks.first().text == "Ballot boxes queued at Bolsover's count."


def test_a_deleted_post_keeps_its_history_and_a_deleted_editor_keeps_their_name(seeded):
    post = Post.objects.get(title="Queues to get in")
    anna = editor("anna", "Anna", "Black")
    data = post_form(title="Queues at Bolsover's count", **existing_blocks(post))
    assert anna.post(change_url(post), data).status_code == 302
    pk = post.pk
    response = anna.post(f"/admin/liveblog/post/{pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Post.objects.filter(pk=pk).exists()
    User.objects.get(username="anna").delete()

    revision = PostRevision.objects.get(post_title="Queues at Bolsover's count", version=2)
    assert (revision.post_id, revision.post_number, revision.who) == (None, pk, "Anna Black")
    assert revision.before["title"] == "Queues to get in"

    # Editors find it in the admin's history of posts.
    carol = editor("carol", "Carol", "Hill")
    listing = text_of(carol.get("/admin/liveblog/postrevision/"))
    assert "Queues at Bolsover's count (deleted) version 3 Anna Black deleted" in listing
    assert "Queues at Bolsover's count (deleted) version 2 Anna Black title" in listing
    shown = text_of(carol.get(f"/admin/liveblog/postrevision/{revision.pk}/change/"))
    assert "the title was “Queues to get in”, is now “Queues at Bolsover's count”" in shown


def test_blocks_added_and_removed_by_either_editor_are_all_kept(seeded):
    post = Post.objects.get(title="Queues to get in")
    anna, ben = editor("anna", "Anna", "Black"), editor("ben", "Ben", "Wood")
    annas_form = post_form(title=post.title, **existing_blocks(post))
    bens_form = post_form(title=post.title, **existing_blocks(post))

    # Anna rewrites the first paragraph and adds one at the end.
    annas_form["blocks-0-text"] = "Ballot boxes queued at Bolsover's count."
    annas_form |= {"blocks-TOTAL_FORMS": "4", "blocks-3-kind": "paragraph"}
    annas_form |= {"blocks-3-position": "3", "blocks-3-text": "Anna's last word."}
    assert anna.post(change_url(post), annas_form).status_code == 302

    # Ben takes the image off, changes the title and adds a paragraph at the end.
    bens_form["title"] = "Queues at Bolsover's count"
    bens_form["blocks-2-DELETE"] = "on"
    bens_form |= {"blocks-TOTAL_FORMS": "4", "blocks-3-kind": "paragraph"}
    bens_form |= {"blocks-3-position": "3", "blocks-3-text": "Ben's last word."}
    response = ben.post(change_url(post), bens_form)
    assert response.status_code == 200
    message = text_of(response)
    assert (
        "paragraph 1 was “Forget queues at polling stations, at Bolsover's count, the ballot "
        "boxes faced a wait to get inside.”, is now “Ballot boxes queued at Bolsover's "
        "count.”; added paragraph 4: “Anna's last word.”."
    ) in message

    response = ben.post(change_url(post), {**bens_form, **hidden_versions(response)})
    assert response.status_code == 302, text_of(response)[:3000]
    post.refresh_from_db()
    assert post.title == "Queues at Bolsover's count"
    assert [(block.kind, block.text) for block in post.blocks.all()] == [
        ("paragraph", "Ballot boxes queued at Bolsover's count."),
        ("paragraph", SECOND),
        ("paragraph", "Anna's last word."),
        ("paragraph", "Ben's last word."),
    ]
    # Ben's revision says what Ben's save changed, no more.
    bens = post.revisions.filter(changed_by_name="Ben Wood").get()
    assert bens.changes == ["title", "added paragraph 4", "removed image 3"]


def block(block_id, text, kind="paragraph"):
    return {"id": block_id, "kind": kind, "text": text, "image": "", "alt": "", "caption": ""}


def row(index, block_id, text, position, **extra):
    fields = {"kind": "paragraph", "text": text, "alt": "", "caption": "", "credit": ""}
    return {
        "index": index,
        "id": block_id,
        "position": position,
        "delete": False,
        "image_changed": False,
        **fields,
        **extra,
    }


POST = {"title": "Counts", "breaking": False, "pinned": False, "byline_name": "", "seats": []}


def test_a_merge_keeps_one_editors_order_and_the_others_words():
    base = {**POST, "blocks": [block(1, "One."), block(2, "Two."), block(3, "Three.")]}
    theirs = {
        **POST,
        "blocks": [block(1, "One."), block(2, "Two, said again."), block(3, "Three.")],
    }
    # This editor moved the third block to the top (the positions the page's script
    # keeps) and wrote a new block after it.
    mine = {
        **POST,
        "rows": [
            row(0, 1, "One.", 2),
            row(1, 2, "Two.", 3),
            row(2, 3, "Three.", 0),
            row(3, None, "New.", 1),
        ],
    }
    merged = editing.merge(base, theirs, mine)
    assert merged.conflicts == []
    assert [(r["id"], r["text"], r["position"]) for r in merged.rows] == [
        (3, "Three.", 0),
        (1, "One.", 2),
        (2, "Two, said again.", 3),
        (None, "New.", 1),
    ]


def test_a_merge_names_what_both_changed_and_keeps_a_block_they_removed_but_you_changed():
    base = {**POST, "blocks": [block(1, "One."), block(2, "Two.")]}
    theirs = {**POST, "title": "Counts so far", "blocks": [block(1, "One, theirs.")]}
    mine = {
        **POST,
        "title": "Counts tonight",
        "rows": [row(0, 1, "One, mine.", 0), row(1, 2, "Two, mine.", 1)],
    }
    merged = editing.merge(base, theirs, mine)
    assert merged.conflicts == [
        "You changed the title too: yours is “Counts tonight”, theirs “Counts so far”. "
        "Saving again keeps yours.",
        "You changed paragraph 1 too: yours is “One, mine.”, theirs “One, theirs.”. Saving "
        "again keeps yours.",
        "They removed the paragraph “Two, mine.”, which you changed: yours is kept as a new block.",
    ]
    assert merged.fields["title"] == "Counts tonight"
    assert [(r["id"], r["text"]) for r in merged.rows] == [(1, "One, mine."), (None, "Two, mine.")]


def test_a_revision_that_kept_no_content_is_never_merged_with(seeded, editor_client):
    post = Post.objects.get(title="Queues to get in")
    form = post_form(title="Queues at Bolsover", **existing_blocks(post))
    # A save recorded before revisions kept content: what the form opened is unknown.
    Post.objects.filter(pk=post.pk).update(title="Queues at Dronfield", version=2)
    PostRevision.objects.create(
        post=post, post_number=post.pk, version=2, changed_by_name="Kate", changes=["title"]
    )
    assert PostRevision.objects.content_at(post.pk, 1) is None
    response = editor_client.post(change_url(post), form)
    message = text_of(response)
    assert "Kate at" in message and ": title." in message
    assert (
        "Save again to replace their version with yours, or reload the post to start again "
        "from theirs."
    ) in message


def stale_form(post, **changes):
    """A form opened at the post's version, saved after Kate saved the post."""
    form = post_form(title=post.title, **existing_blocks(post))
    kate = editor("kate", "Kate", "Linderholm")
    theirs = post_form(title="Queues at Dronfield", **existing_blocks(post))
    assert kate.post(change_url(post), theirs).status_code == 302
    return {**form, **changes}


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("opened_version", "²"),
        ("opened_version", "1" * 25),
        ("opened_version", "-1"),
        ("seen_version", "²"),
        ("seen_version", "1" * 25),
    ],
)
def test_a_form_whose_version_cannot_be_read_is_refused_saying_so(
    seeded, editor_client, name, value
):
    post = Post.objects.get(title="Queues to get in")
    form = post_form(title="Queues at Bolsover", **existing_blocks(post))
    form[name] = value
    response = editor_client.post(change_url(post), form)
    assert response.status_code == 200
    assert (
        "This form does not say which version of the post it was opened at, so saving it "
        "could undo someone else's changes. Nothing you typed is saved yet: reload the "
        "post and make your changes again."
    ) in text_of(response)
    post.refresh_from_db()
    assert post.title == "Queues to get in"


@pytest.mark.parametrize(
    "changes",
    [
        {"blocks-TOTAL_FORMS": "²"},
        {"blocks-TOTAL_FORMS": "9" * 25},
        {"blocks-0-id": "²"},
        {"blocks-0-id": "9" * 25},
        {"blocks-0-position": "²"},
        {"about": ["²"]},
        {"about": ["9" * 25]},
    ],
    ids=[
        "total superscript",
        "total 25 digits",
        "id superscript",
        "id 25 digits",
        "position superscript",
        "seat superscript",
        "seat 25 digits",
    ],
)
def test_a_stale_form_with_numbers_that_cannot_be_read_is_refused_not_an_error(
    seeded, editor_client, changes
):
    post = Post.objects.get(title="Queues to get in")
    form = stale_form(post, **changes)
    response = editor_client.post(change_url(post), form)
    assert response.status_code == 200
    message = text_of(response)
    assert "This post changed after you opened it. Nothing you typed is saved yet." in message
    post.refresh_from_db()
    assert post.title == "Queues at Dronfield"
