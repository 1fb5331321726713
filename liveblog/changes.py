"""What a reader's open page must apply, numbered in the order it happened.

Each live page counts the changes its readers' open pages must apply (`LivePage.sequence`):
a post shown (published, or scheduled and come due), edited, pinned or unpinned,
unpublished or deleted. Each post keeps the number of its last such change
(`Post.sequence`) and of the change that showed it (`Post.shown_sequence`, empty while
it is scheduled); a deleted post is kept for a while as [number, id] in
`LivePage.removed`. A page asks for the changes after the number it was rendered at
(pages.views.county_updates), so nothing is ever missed:

- numbers are taken by an UPDATE of the live page's row, which holds the row until the
  transaction commits, so changes on one live page commit in the order of their
  numbers: a reader who has seen number 12 has seen every change up to it (the changes
  feed's counter is held first, results.changes: one order for every writer);
- a number says when a change became visible, not the time a post carries, so a post
  opened at 10:46 and published at 10:47 is new to a page rendered at 10:46:30;
- a scheduled post has no number until it comes due: the first look for changes after
  its time numbers it (`due_posts_release`), as if it had just been published.

Saves and deletes number themselves (the receivers in liveblog.receivers), so that no
path is missed: the admin, the services, fixtures and tests alike, whatever model a post is
saved as (Post, or a proxy of it such as ResultPost: Django sends a proxy's signals
with the proxy as sender, so each is connected, `post_models`). Rows written in bulk number
nothing: an import's posts are shown with the page that is rendered after it.
"""

from contextlib import contextmanager
from contextvars import ContextVar

from django.db import transaction
from django.db.models import F, QuerySet

REMOVED_KEPT = 200

# The posts whose blocks and seats a caller is rewriting (parts_rewritten).
_rewriting = ContextVar("rewriting", default=frozenset())


def next_number(live_page_id):
    """Take the live page's next change number (holding its row until commit), after
    holding the change counter's: every writer takes the two in that order
    (results.changes), and each number taken here is recorded there too."""
    from liveblog.models import LivePage
    from results.changes import counter_hold

    counter_hold()
    LivePage.objects.filter(pk=live_page_id).update(sequence=F("sequence") + 1)
    return LivePage.objects.filter(pk=live_page_id).values_list("sequence", flat=True).get()


@contextmanager
def parts_rewritten(post_id):
    """Within it, the blocks and seats of a post change without numbering each: the
    caller numbers the post once, by saving it (an import writing its blocks again)."""
    token = _rewriting.set(_rewriting.get() | {post_id})
    try:
        yield
    finally:
        _rewriting.reset(token)


def parts_numbered_by_caller(post_id):
    """Whether a caller numbers the changes of this post's parts itself (parts_rewritten)."""
    return post_id in _rewriting.get()


def deletes_posts(origin):
    """Whether a deletion started at `origin` (an instance or a queryset: a receiver's
    `origin`) deletes posts with it: a post, its live page or its county. Their blocks
    and seats go with them, and post_removed numbers the posts' removal."""
    from liveblog.models import LivePage, Post
    from results.models import County

    model = origin.model if isinstance(origin, QuerySet) else type(origin)
    return issubclass(model, (Post, LivePage, County))


def post_state(post_id):
    """(visible, shown_sequence, published_at) of a post as stored, or None."""
    from liveblog.models import Post

    row = (
        Post.objects.filter(pk=post_id)
        .values("status", "published_at", "shown_sequence", "live_page_id")
        .first()
    )
    if row is None:
        return None
    shown = Post(status=row["status"], published_at=row["published_at"])
    return shown.is_visible, row["shown_sequence"], row["published_at"], row["live_page_id"]


def due_posts_release(live_page):
    """Number the scheduled posts of a live page whose time has come; how many."""
    from results.changes import changes_record
    from results.models import ChangeAction, ChangeKind
    from results.signals import announce

    due = list(live_page.posts.due_unreleased().values_list("pk", flat=True))
    if not due:
        return 0
    # Numbered and marked together: a number committed alone could be passed over.
    with transaction.atomic():
        number = next_number(live_page.pk)
        count = live_page.posts.filter(pk__in=due).update(sequence=number, shown_sequence=number)
        changes_record(ChangeKind.POST, ((pk, ChangeAction.PUBLISHED) for pk in sorted(due)))
    live_page.sequence = number
    # Written in bulk, which sends no signal: the pages that show them hear of it.
    announce(type(live_page), posts=due, live_pages=[live_page.pk])
    return count


def due_posts_release_everywhere():
    """Number the scheduled posts of every live page whose time has come (one query when
    none has): what the changes feed does before it is read."""
    from liveblog.models import LivePage, Post

    due = Post.objects.due_unreleased().values("live_page")
    return sum(due_posts_release(page) for page in LivePage.objects.filter(pk__in=due))


def post_models():
    """Every model a post can be saved as: Post and its proxies (ResultPost)."""
    from django.apps import apps

    from liveblog.models import Post

    return [model for model in apps.get_models() if issubclass(model, Post)]
