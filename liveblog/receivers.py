"""The receivers of liveblog, connected in liveblog.apps, in the order they run.

After every migrate (and every test database flush): `roles_create` puts the roles in
place. On each save or delete:

1. a block, before it is written: `sanitise_block` stores its text sanitised, and
   its result card's link only if safe (liveblog.markup.safe_link);
2. a live page, a post (saved as Post or a proxy of it, liveblog.changes.post_models),
   a block or a post's seat, once written or deleted: announces what changed
   (results.signals.content_changed, for the pages to drop what shows it);
3. a post, before it is written: `post_note` notes whether readers could see it;
   once written: `post_number` numbers the change readers' open pages must apply
   (liveblog.changes); before it is deleted: `post_removed` keeps its id for them;
4. a block or a post's seat, once written or deleted: `part_changed` numbers the change
   of a post readers can see (not when the post goes too: it is removed, not edited).

Each change numbered for a live page is numbered for the changes feed too
(results.changes), after it: a post shown (`published`), edited, pinned or unpinned
(`edited`), unpublished or deleted (`removed`).

And after a declaration or a correction (results.signals.result_declared):
`declaration_drafted` drafts the seat's post on its county's live page, or flags it
(liveblog.services.result_post_draft).

liveblog's kinds in a results.signals.Change:
- `live_pages`: a county's live page, or posts on it;
- `posts`: posts;
- `post_links`: seats whose list of posts about them changed.
"""

from django.db.models.signals import post_delete, post_migrate, post_save, pre_delete, pre_save
from django.utils import timezone

from liveblog import uploads
from liveblog.changes import (
    REMOVED_KEPT,
    deletes_posts,
    next_number,
    parts_numbered_by_caller,
    post_models,
    post_state,
)
from liveblog.markup import safe_link
from liveblog.models import (
    Block,
    BlockKind,
    LivePage,
    Post,
    PostConstituency,
    PostStatus,
    block_markup,
)
from liveblog.roles import roles_setup
from liveblog.services import result_post_draft
from results.changes import change_record
from results.models import ChangeAction, ChangeKind
from results.signals import connect, result_declared


def roles_create(sender, **kwargs):
    roles_setup()


def sanitise_block(sender, instance, raw=False, **kwargs):
    """Every save of a block stores sanitised text and a card's link only if safe: the
    admin's, a service's, and the raw saves of `loaddata`, which skip Model.save() but
    not this signal (a restored backup ends as safe as the admin leaves a post). Bulk
    writes send no signal: the imports build their text with liveblog.markup themselves."""
    if instance.kind in (BlockKind.PARAGRAPH, BlockKind.LIST):
        instance.text = block_markup(instance.kind, instance.text)
    else:
        instance.text = ""
    if isinstance(instance.card, dict) and "url" in instance.card:
        instance.card["url"] = safe_link(instance.card["url"])  # a restored card's too
    if instance.image and not instance.image._committed and not raw:
        # A new upload: keep the picture Pillow writes, not the file as it came, and the
        # smaller renditions pages offer phones, all named for their content.
        instance.image, instance.renditions = uploads.stored(instance.image.file)
    elif not instance.image:
        instance.renditions = {}


def post_note(sender, instance, raw=False, **kwargs):
    """Before a post is saved: how it stood, and a draft never shown has no time."""
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
    if raw:
        return
    visible, was_visible = instance.is_visible, getattr(instance, "was_visible", False)
    values = {}
    action = None
    if visible:
        number = next_number(instance.live_page_id)
        values["sequence"] = number
        action = ChangeAction.EDITED if was_visible else ChangeAction.PUBLISHED
        if not was_visible:
            values["shown_sequence"] = number
    else:
        if was_visible:
            values["sequence"] = next_number(instance.live_page_id)
            action = ChangeAction.REMOVED
        if instance.is_scheduled:
            values["shown_sequence"] = None  # numbered when it comes due
    if values:
        Post.objects.filter(pk=instance.pk).update(**values)
        for name, value in values.items():
            setattr(instance, name, value)
    if action:
        change_record(ChangeKind.POST, instance.pk, action)
    instance.was_visible = visible


def post_removed(sender, instance, **kwargs):
    """Before a post readers can see is deleted: keep its id for the open pages."""
    if not instance.is_visible:
        return
    number = next_number(instance.live_page_id)
    removed = LivePage.objects.filter(pk=instance.live_page_id).values_list("removed", flat=True)
    kept = [*(removed.first() or []), [number, instance.pk]][-REMOVED_KEPT:]
    LivePage.objects.filter(pk=instance.live_page_id).update(removed=kept)
    change_record(ChangeKind.POST, instance.pk, ChangeAction.REMOVED)


def part_changed(sender, instance, raw=False, origin=None, **kwargs):
    """A block or a seat of a post readers can see changed: the post changed. Not when
    the post is deleted with it (post_removed numbers that), nor while a caller rewrites
    the post's parts and numbers the post once (liveblog.changes.parts_rewritten)."""
    if raw or deletes_posts(origin) or parts_numbered_by_caller(instance.post_id):
        return
    state = post_state(instance.post_id)
    if state is None or not state[0]:
        return
    Post.objects.filter(pk=instance.post_id).update(sequence=next_number(state[3]))
    change_record(ChangeKind.POST, instance.post_id, ChangeAction.EDITED)


def declaration_drafted(sender, result, revision, user=None, **kwargs):
    result_post_draft(result=result, user=user)


def connect_all(app_config):
    post_migrate.connect(roles_create, sender=app_config)
    pre_save.connect(sanitise_block, sender=Block, dispatch_uid="sanitise_block")

    connect(LivePage, lambda page: {"live_pages": [page.pk]})
    for model in post_models():
        connect(model, lambda post: {"posts": [post.pk], "live_pages": [post.live_page_id]})
    connect(Block, lambda block: {"posts": [block.post_id]})
    connect(
        PostConstituency,
        lambda link: {"posts": [link.post_id], "post_links": [link.constituency_id]},
    )

    for model in post_models():
        uid = f"changes-{model._meta.label_lower}"
        pre_save.connect(post_note, sender=model, dispatch_uid=f"{uid}-note")
        post_save.connect(post_number, sender=model, dispatch_uid=f"{uid}-number")
        pre_delete.connect(post_removed, sender=model, dispatch_uid=f"{uid}-removed")
    for model in (Block, PostConstituency):
        uid = f"changes-{model._meta.model_name}"
        post_save.connect(part_changed, sender=model, dispatch_uid=uid)
        post_delete.connect(part_changed, sender=model, dispatch_uid=uid)

    result_declared.connect(declaration_drafted, dispatch_uid="liveblog-result-drafts")
