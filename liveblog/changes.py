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
  numbers: a reader who has seen number 12 has seen every change up to it;
- a number says when a change became visible, not the time a post carries, so a post
  opened at 10:46 and published at 10:47 is new to a page rendered at 10:46:30;
- a scheduled post has no number until it comes due: the first look for changes after
  its time numbers it (`due_posts_release`), as if it had just been published.

Saves and deletes number themselves (connected in liveblog.apps), so that no path is
missed: the admin, the services, fixtures and tests alike, whatever model a post is
saved as (Post, or a proxy of it such as ResultPost: Django sends a proxy's signals
with the proxy as sender, so each is connected, `post_models`). Rows written in bulk number
nothing: an import's posts are shown with the page that is rendered after it.
"""

from django.db.models import F
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from django.utils import timezone

REMOVED_KEPT = 200


def next_number(live_page_id):
    """Take the live page's next change number (holding its row until commit)."""
    from liveblog.models import LivePage

    LivePage.objects.filter(pk=live_page_id).update(sequence=F("sequence") + 1)
    return LivePage.objects.filter(pk=live_page_id).values_list("sequence", flat=True).get()


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


def post_note(sender, instance, raw=False, **kwargs):
    """Before a post is saved: how it stood, and a draft never shown has no time."""
    from liveblog.models import PostStatus

    # A time given as text (a fixture, a test) is compared as a time below.
    field = sender._meta.get_field("published_at")
    instance.published_at = field.to_python(instance.published_at)
    state = post_state(instance.pk) if instance.pk and not raw else None
    instance.was_visible = bool(state and state[0])
    if raw:
        return
    if instance.status == PostStatus.DRAFT and not instance.was_visible:
        stored_time = state[2] if state else None
        if stored_time is None or stored_time > timezone.now():
            # Its time will be the moment it is published (liveblog.services.post_publish).
            instance.published_at = None


def post_number(sender, instance, raw=False, **kwargs):
    """After a post is saved: number the change readers' open pages must apply."""
    from liveblog.models import Post

    if raw:
        return
    visible, was_visible = instance.is_visible, getattr(instance, "was_visible", False)
    values = {}
    if visible:
        number = next_number(instance.live_page_id)
        values["sequence"] = number
        if not was_visible:
            values["shown_sequence"] = number
    else:
        if was_visible:
            values["sequence"] = next_number(instance.live_page_id)
        if instance.is_scheduled:
            values["shown_sequence"] = None  # numbered when it comes due
    if values:
        Post.objects.filter(pk=instance.pk).update(**values)
        for name, value in values.items():
            setattr(instance, name, value)
    instance.was_visible = visible


def post_removed(sender, instance, **kwargs):
    """Before a post readers can see is deleted: keep its id for the open pages."""
    from liveblog.models import LivePage

    if not instance.is_visible:
        return
    number = next_number(instance.live_page_id)
    removed = LivePage.objects.filter(pk=instance.live_page_id).values_list("removed", flat=True)
    kept = [*(removed.first() or []), [number, instance.pk]][-REMOVED_KEPT:]
    LivePage.objects.filter(pk=instance.live_page_id).update(removed=kept)


def part_changed(sender, instance, raw=False, **kwargs):
    """A block or a seat of a post readers can see changed: the post changed."""
    from liveblog.models import Post

    if raw:
        return
    state = post_state(instance.post_id)
    if state is None or not state[0]:
        return
    Post.objects.filter(pk=instance.post_id).update(sequence=next_number(state[3]))


def due_posts_release(live_page):
    """Number the scheduled posts of a live page whose time has come; how many."""
    from results.signals import announce

    due = list(live_page.posts.due_unreleased().values_list("pk", flat=True))
    if not due:
        return 0
    number = next_number(live_page.pk)
    count = live_page.posts.filter(pk__in=due).update(sequence=number, shown_sequence=number)
    live_page.sequence = number
    # Written in bulk, which sends no signal: the pages that show them hear of it.
    announce(type(live_page), posts=due, live_pages=[live_page.pk])
    return count


def post_models():
    """Every model a post can be saved as: Post and its proxies (ResultPost)."""
    from django.apps import apps

    from liveblog.models import Post

    return [model for model in apps.get_models() if issubclass(model, Post)]


def connect():
    from liveblog.models import Block, PostConstituency

    for model in post_models():
        uid = f"changes-{model._meta.label_lower}"
        pre_save.connect(post_note, sender=model, dispatch_uid=f"{uid}-note")
        post_save.connect(post_number, sender=model, dispatch_uid=f"{uid}-number")
        pre_delete.connect(post_removed, sender=model, dispatch_uid=f"{uid}-removed")
    for model in (Block, PostConstituency):
        uid = f"changes-{model._meta.model_name}"
        post_save.connect(part_changed, sender=model, dispatch_uid=uid)
        post_delete.connect(part_changed, sender=model, dispatch_uid=uid)
