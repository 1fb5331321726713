"""Writes to live pages and posts by the newsroom, and the posts drafted from declarations
(imports are liveblog.imports). Each function runs inside the caller's transaction."""

from collections import defaultdict
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from liveblog import drafts, editing
from liveblog.markup import to_plain_text
from liveblog.mentions import MentionFinder
from liveblog.models import (
    Block,
    BlockKind,
    LivePage,
    LivePageRevision,
    Post,
    PostConstituency,
    PostRevision,
    PostSource,
    PostStatus,
    author_name,
    live_page_content,
    post_content,
)
from results.models import Candidacy, Constituency, Result, person_name
from results.signals import announce


def post_texts(post):
    """The text a reader reads in a post: its title, paragraphs, list items and captions."""
    yield post.title
    for block in post.blocks.all():
        if block.kind == BlockKind.IMAGE:
            yield block.caption
        elif block.kind == BlockKind.LIST:
            yield from (to_plain_text(item) for item in block.list_items)
        else:
            yield from to_plain_text(block.text).splitlines()


def post_mentions_refresh(*, posts):
    """Mark the seats each post names as found by name, writing only what differs.

    A link between a post and a seat lives while an editor chose it or the text names
    it; a seat an editor took off the post (`excluded`) is never found again. Reading
    and writing are a fixed number of queries for any number of posts.
    """
    posts = list(posts)
    finder = MentionFinder(dict(Constituency.objects.values_list("pk", "name")))
    links = defaultdict(dict)
    for link in PostConstituency.objects.filter(post__in=posts):
        links[link.post_id][link.constituency_id] = link
    to_create, to_update, to_delete = [], [], []
    for post in posts:
        found = finder.find(post_texts(post))
        current = links[post.pk]
        for constituency_id in found - current.keys():
            to_create.append(
                PostConstituency(post=post, constituency_id=constituency_id, found_by_name=True)
            )
        for constituency_id, link in current.items():
            if link.excluded:
                continue  # the editor said no: their choice wins
            should_be_found = constituency_id in found
            if not should_be_found and not link.chosen:
                to_delete.append(link.pk)
            elif link.found_by_name != should_be_found:
                link.found_by_name = should_be_found
                to_update.append(link)
    PostConstituency.objects.filter(pk__in=to_delete).delete()
    PostConstituency.objects.bulk_update(to_update, ["found_by_name"])
    PostConstituency.objects.bulk_create(to_create)
    # Links created in bulk send no model signals (deleted ones do): name them.
    if to_create:
        announce(
            PostConstituency,
            posts=[link.post_id for link in to_create],
            post_links=[link.constituency_id for link in to_create],
        )


def post_constituencies_choose(*, post, constituencies, offered=None):
    """Set the seats an editor says a post is about. `offered` are the seats the editor
    was shown as linked (chosen or found by name): one of them left out is taken off
    the post for good, even if its text names it. Without `offered`, seats found by
    name are kept."""
    chosen = {constituency.pk for constituency in constituencies}
    offered = {constituency.pk for constituency in offered or ()}
    current = {link.constituency_id: link for link in post.constituency_links.all()}
    for constituency_id, link in current.items():
        if constituency_id in chosen:
            if not link.chosen or link.excluded:
                link.chosen, link.excluded = True, False
                link.save(update_fields=["chosen", "excluded"])
        elif link.chosen or (constituency_id in offered and not link.excluded):
            if link.found_by_name or constituency_id in offered:
                link.chosen = False
                link.excluded = constituency_id in offered
                link.save(update_fields=["chosen", "excluded"])
            else:
                link.delete()
    PostConstituency.objects.bulk_create(
        PostConstituency(post=post, constituency_id=pk, chosen=True)
        for pk in chosen - current.keys()
    )
    if chosen - current.keys():
        announce(PostConstituency, posts=[post.pk], post_links=chosen - current.keys())


def post_save_by(*, post, user, changes=(), before=None):
    """Save a post written or edited in the newsroom: from now on imports leave it alone.
    Keeps a revision saying who changed what, with the post's content `before` (read
    from the database if not given) and after; returns it. A caller that writes the
    post's blocks or seats after this calls `post_revision_finish` once they are."""
    if before is None and post.pk is not None:
        before = post_content(Post.objects.get(pk=post.pk))
    post.source = PostSource.NEWSROOM
    if post.pk is None:
        post.created_by = user
        post.created_by_name = person_name(user) if getattr(user, "pk", None) else ""
    post.save()
    return post_revision_record(post=post, user=user, changes=changes, before=before)


def live_page_revision_record(*, live_page, before, user=None, document=""):
    """Keep a revision of a live page whose title or summary an editor (`user`) or an
    import (of `source`) has just written, if they changed from `before`; returns it."""
    after = live_page_content(live_page)
    if after == before:
        return None
    return LivePageRevision.objects.create(
        live_page=live_page,
        county_name=live_page.county.name,
        changed_by=user if getattr(user, "pk", None) else None,
        changed_by_name=person_name(user) if getattr(user, "pk", None) else "",
        source_document=document,
        before=before,
        after=after,
    )


def post_revision_record(*, post, user, changes, before, after=None):
    """A revision of a post: who, when, what changed in words, and its content before
    and after (the post as stored now, unless given). The post's number and title and
    the person's name are kept with it, for when either is deleted."""
    after = post_content(post) if after is None else after
    return PostRevision.objects.create(
        post=post,
        post_number=post.pk,
        post_title=post.title,
        version=post.version,
        changed_by=user if getattr(user, "pk", None) else None,
        changed_by_name=author_name(user, post),
        changes=revision_words(before, after, changes),
        before=before,
        after=after,
    )


def revision_words(before, after, changes):
    if before is None or not after:
        return list(changes) or ["saved"]
    return editing.words(before, after, changes) or ["saved"]


def post_revision_finish(*, revision, post):
    """The revision of a save whose blocks and seats were written after the post: its
    content after, and its words, as they are now."""
    revision.after = post_content(post)
    revision.post_title = post.title
    given = [word for word in revision.changes if word != "saved"]
    if revision.before is not None:
        given = [word for word in given if word in GIVEN_WORDS]
    revision.changes = revision_words(revision.before, revision.after, given)
    revision.save(update_fields=["after", "post_title", "changes"])


# What a save may say was done, beside what its content shows changed.
GIVEN_WORDS = {
    "published",
    "scheduled",
    "unpublished",
    "drafted from the declaration",
    "result card",
}


def post_edited_mark(*, post, was_visible, edited):
    """Tell readers a post they could already see was changed (`Updated 03:12 BST`): the
    rule of the change form and of the list actions alike. Pinning or unpinning is no
    edit (readers see the post move, not change)."""
    if was_visible and edited:
        post.edited_at = timezone.now().replace(microsecond=0)
        post.save(update_fields=["edited_at"])


# What readers read in a post: a change to any of these while it was taken down is a
# correction when it is shown again (not a pin, a flag or the seats it links to).
READ_FIELDS = ("title", "byline_name", "byline_role")
READ_BLOCK_FIELDS = ("kind", "text", "image", "alt", "caption", "credit", "card")


def read_content(content):
    return (
        tuple(content.get(name) for name in READ_FIELDS),
        [tuple(block.get(name) for name in READ_BLOCK_FIELDS) for block in content["blocks"]],
    )


def shown_when_taken_down(revision):
    """Whether a save took down a post readers could see then: published, at a time
    already come (a scheduled post taken down was never seen)."""
    before = revision.before or {}
    shown_at = before.get("published_at")
    return (
        "unpublished" in revision.changes
        and before.get("status") == PostStatus.PUBLISHED
        and shown_at is not None
        and datetime.fromisoformat(shown_at) <= revision.changed_at
    )


def post_corrected_mark(*, post):
    """A post readers saw, taken down, changed and now shown again is marked as
    corrected (`Corrected 03:12 BST`): readers are told the words they saw changed.
    Compared with what it held when it was last taken down while readers could see it;
    returns whether it was."""
    if not post.is_visible:
        return False
    taken_down = next(
        (
            revision
            for revision in PostRevision.objects.filter(post=post)
            .only("changes", "before", "changed_at")
            .order_by("-version", "-id")
            if shown_when_taken_down(revision)
        ),
        None,
    )
    if taken_down is None or read_content(taken_down.before) == read_content(post_content(post)):
        return False
    # Edited as well: feeds and sitemaps say when an entry last changed from edited_at.
    post.corrected_at = post.edited_at = timezone.now().replace(microsecond=0)
    post.save(update_fields=["corrected_at", "edited_at"])
    return True


def publish_time(post, at=None):
    """When a post being published will be shown: `at` if later than now (scheduled);
    the time it first had if readers saw it before (it was unpublished); else now."""
    # To the second: what pages show, and what survives a dumpdata/loaddata round trip.
    now = timezone.now().replace(microsecond=0)
    if at is not None and at > now:
        return at
    if post.status == PostStatus.DRAFT and post.published_at and post.published_at <= now:
        return post.published_at
    return now


def post_publish(*, post, user, at=None, before=None, checked=False, blocks_follow=False):
    """Show a post to readers: now (its time is this moment), or at `at` if later
    (scheduled), saving it with whatever else the caller changed on it. A post readers
    can already see is left as it is (no time moves, nothing saved).

    `checked`: the editor had the whole post in front of them (the change form), so a
    drafted post's note asking them to check it is cleared. `blocks_follow`: the caller
    writes the post's blocks and seats after this, then calls `post_revision_finish` and
    `post_corrected_mark`. `before` as for `post_save_by`. Returns the revision, or None.
    """
    if post.is_visible:
        return None
    post.published_at = publish_time(post, at)
    post.status = PostStatus.PUBLISHED
    if checked or post.drafted_from_id is None:
        post.attention = ""
    changes = ["scheduled" if post.is_scheduled else "published"]
    revision = post_save_by(post=post, user=user, changes=changes, before=before)
    if not blocks_follow:
        post_corrected_mark(post=post)
    return revision


def post_unpublish(*, post, user, before=None):
    """Take a post off the page and the feeds, saving it with whatever else the caller
    changed on it; it keeps its time, should it come back. A draft is left as it is.
    Returns the revision, or None."""
    if post.status == PostStatus.DRAFT:
        return None
    post.status = PostStatus.DRAFT
    return post_save_by(post=post, user=user, changes=["unpublished"], before=before)


# The fields a list action may set, and whether changing one is an edit readers see.
EDITS = {"breaking": True, "pinned": False}


@transaction.atomic
def posts_set(*, posts, user, **values):
    """Set fields on many posts (the admin's list actions), each saved as the newsroom's
    own, so that imports leave it alone and readers' pages hear of it: `status`
    publishes (now) or unpublishes, as the change form does; a post readers could see
    that is edited is marked as updated (a pin is not an edit). Returns the count."""
    count = 0
    status = values.pop("status", None)
    for post in Post.objects.select_for_update().filter(pk__in=[p.pk for p in posts]):
        if status == PostStatus.PUBLISHED:
            count += post_publish(post=post, user=user) is not None
            continue
        if status == PostStatus.DRAFT:
            count += post_unpublish(post=post, user=user) is not None
            continue
        was_visible = post.is_visible
        changed = [name for name, value in values.items() if getattr(post, name) != value]
        if not changed:
            continue
        for name in changed:
            setattr(post, name, values[name])
        post_save_by(post=post, user=user, changes=changed)
        post_edited_mark(
            post=post, was_visible=was_visible, edited=any(EDITS.get(name) for name in changed)
        )
        count += 1
    return count


def result_figures(*, constituency_id):
    """A seat's result as stored, and its card's figures (liveblog.drafts.card), read
    once for drafting and refreshing alike."""
    result = Result.objects.with_parties().get(constituency_id=constituency_id)
    candidacies = list(
        Candidacy.objects.filter(constituency_id=constituency_id)
        .select_related("party")
        .order_by("-votes", "name")
    )
    return result, drafts.card(result, candidacies)


def result_post_draft(*, result, user=None):
    """After a declaration or a correction: the seat's drafted post on its county's live
    page, made if there is none, brought up to date while it is unpublished, flagged
    for an editor once it is published. One post per seat, whatever the corrections."""
    constituency = result.constituency
    live_page = LivePage.objects.filter(county_id=constituency.county_id).first()
    if live_page is None:
        return None  # a seat with no county page: nobody to write for
    result, figures = result_figures(constituency_id=constituency.pk)
    post = Post.objects.filter(drafted_from=constituency).select_for_update().first()
    if post is None:
        post = Post(
            live_page=live_page,
            drafted_from=constituency,
            title=figures["title"],
            status=PostStatus.DRAFT,
            byline_name="Results desk",
        )
        revision = post_save_by(post=post, user=None, changes=["drafted from the declaration"])
        Block.objects.create(
            post=post, position=0, kind=BlockKind.PARAGRAPH, text=figures["summary"]
        )
        Block.objects.create(post=post, position=1, kind=BlockKind.RESULT, card=figures)
        post_constituencies_choose(post=post, constituencies=[constituency])
        post_mentions_refresh(posts=Post.objects.filter(pk=post.pk).with_body())
        post_revision_finish(revision=revision, post=post)
        return post
    if post.is_visible:
        post.attention = drafts.attention_note(result)
        post.save(update_fields=["attention"])
        content = post_content(post)
        post_revision_record(
            post=post,
            user=None,
            changes=["result corrected: check the figures"],
            before=content,
            after=content,
        )
        return post
    result_post_figures_apply(post=post, figures=figures, user=None)
    return post


def result_post_figures_apply(*, post, figures, user):
    """Put a declaration's figures in a drafted post: its card always; its title and
    first paragraph where they are still the words drafted for it (an editor's own
    words stay)."""
    blocks = list(post.blocks.all())
    cards = [block for block in blocks if block.kind == BlockKind.RESULT]
    previous = cards[0].card if cards else {}
    changes = ["result card"]
    if not previous or post.title == previous.get("title"):
        post.title = figures["title"]
        changes.append("title")
    post.attention = ""
    revision = post_save_by(post=post, user=user, changes=changes)
    for block in blocks:
        if (
            block.kind == BlockKind.PARAGRAPH
            and previous
            and (to_plain_text(block.text) == previous.get("summary"))
        ):
            block.text = figures["summary"]
            block.save(update_fields=["text"])
    if cards:
        cards[0].card = figures
        cards[0].save(update_fields=["card"])
    else:
        last = max((block.position for block in blocks), default=-1)
        Block.objects.create(post=post, position=last + 1, kind=BlockKind.RESULT, card=figures)
    post_revision_finish(revision=revision, post=post)


def result_post_refresh(*, post, user):
    """A published post drafted from a result, given the result's figures now (after a
    correction): readers see it as updated."""
    _, figures = result_figures(constituency_id=post.drafted_from_id)
    was_visible = post.is_visible
    result_post_figures_apply(post=post, figures=figures, user=user)
    post_mentions_refresh(posts=Post.objects.filter(pk=post.pk).with_body())
    post_edited_mark(post=post, was_visible=was_visible, edited=True)


def post_discard(*, post, user=None):
    """Delete a post (a draft an editor does not want, or one taken down). Its history
    stays, ending with a revision saying who deleted it and what it held."""
    post_revision_record(
        post=post, user=user, changes=["deleted"], before=post_content(post), after={}
    )
    post.delete()
