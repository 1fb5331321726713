"""Live pages (one per county) and their posts."""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from liveblog import markup, uploads
from results.models import Constituency, County, EditRecord, person_name
from results.text import PlainText


class LivePageQuerySet(models.QuerySet):
    def get_by_natural_key(self, county_slug):
        return self.get(county__slug=county_slug)


class LivePage(PlainText, models.Model):
    """The live blog for one county."""

    county = models.OneToOneField(County, on_delete=models.CASCADE, related_name="live_page")
    title = models.CharField(max_length=200)
    summary = models.JSONField(default=list, blank=True, help_text="The summary bullets.")
    source_document = models.CharField(max_length=200, blank=True)
    edited_in_newsroom = models.BooleanField(
        default=False, editable=False, help_text="Imports leave its title and summary alone."
    )
    sequence = models.PositiveBigIntegerField(
        default=0,
        editable=False,
        help_text="How many changes readers' open pages have had to apply (liveblog.changes).",
    )
    removed = models.JSONField(
        default=list,
        blank=True,
        editable=False,
        help_text="[change number, post id] of the posts deleted lately, for open pages.",
    )

    objects = LivePageQuerySet.as_manager()

    class Meta:
        ordering = ["county"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return self.county.get_absolute_url()

    def natural_key(self):
        return self.county.natural_key()

    natural_key.dependencies = ["results.county"]


class LivePageRevision(EditRecord):
    """One change to a live page's title or summary, whatever made it (the admin, an
    import): who, when, and the page before and after. The history outlives the page
    (its county's name is kept) and the person (their name is kept)."""

    live_page = models.ForeignKey(
        LivePage, on_delete=models.SET_NULL, null=True, blank=True, related_name="revisions"
    )
    county_name = models.CharField(
        max_length=100, help_text="The page's county, kept after the page is deleted."
    )
    before = models.JSONField(
        null=True, blank=True, help_text="Empty when the page was first written."
    )
    after = models.JSONField(help_text="The page after this change.")

    def __str__(self):
        return f"{self.county_name} live page changed {self.changed_at:%Y-%m-%d %H:%M}"

    def get_absolute_url(self):
        return reverse("admin:liveblog_livepagerevision_change", args=[self.pk])


def live_page_content(live_page):
    """What a revision keeps of a live page: what an editor writes in it."""
    return {"title": live_page.title, "summary": list(live_page.summary)}


class PostSource(models.TextChoices):
    """Where a post came from. Imports only ever touch posts that are still IMPORTED."""

    IMPORTED = "imported", "Imported from a document"
    NEWSROOM = "newsroom", "Written or edited in the newsroom"


class PostStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


def body_lookups():
    """What a post's body is made of, for prefetching: its blocks and the seats it is about."""
    return (
        "blocks",
        models.Prefetch(
            "constituency_links",
            queryset=PostConstituency.objects.select_related("constituency"),
        ),
    )


def load_bodies(posts):
    """Fetch the bodies of posts already in memory (two queries)."""
    models.prefetch_related_objects(list(posts), *body_lookups())


class PostQuerySet(models.QuerySet):
    def get_by_natural_key(self, key):
        return self.get(key=key)

    def published(self, now=None):
        """Posts readers may see: published, and not scheduled for later."""
        return self.filter(status=PostStatus.PUBLISHED, published_at__lte=now or timezone.now())

    def changed_since(self, sequence):
        """Posts whose last change readers' open pages must apply came after `sequence`
        (liveblog.changes), in the order the changes were made."""
        return self.filter(sequence__gt=sequence).order_by("sequence", "id")

    def due_unreleased(self):
        """Posts published for later whose time has come, not yet numbered as shown."""
        return self.filter(
            status=PostStatus.PUBLISHED,
            published_at__lte=timezone.now(),
            shown_sequence__isnull=True,
        )

    def drafted_from_results(self):
        """Posts drafted from a declaration that wait for an editor: drafts, and published
        posts whose result has been corrected since."""
        return (
            self.filter(drafted_from__isnull=False)
            .filter(Q(status=PostStatus.DRAFT) | ~Q(attention=""))
            .select_related("live_page__county", "drafted_from__result")
        )

    def next_scheduled_at(self):
        """When the next post published for later is due, or None."""
        return (
            self.filter(status=PostStatus.PUBLISHED, published_at__gt=timezone.now())
            .order_by("published_at")
            .values_list("published_at", flat=True)
            .first()
        )

    def with_body(self):
        """Posts with their blocks and the seats they are about (three queries)."""
        return self.prefetch_related(*body_lookups())

    def for_live_page(self, at=None):
        """Published posts (by `at`), pinned first, then newest first."""
        return self.published(at).order_by("-pinned", "-published_at", "-id")

    def newest_first(self):
        """Published posts newest first, pinned or not."""
        return self.published().order_by("-published_at", "-id")

    def for_feed(self):
        """Published posts newest first, with their bodies."""
        return self.newest_first().with_body()

    def newer_than(self, post):
        """Posts after `post` in the order readers see them (by time, then id)."""
        return self.filter(
            Q(published_at__gt=post.published_at)
            | Q(published_at=post.published_at, id__gt=post.id)
        )

    def about(self, slug, at=None):
        """Published posts (by `at`) about the constituency `slug`, newest first, with
        their county."""
        links = Q(constituency_links__chosen=True) | Q(
            constituency_links__found_by_name=True, constituency_links__excluded=False
        )
        return (
            self.published(at)
            # One filter() call: both conditions hold of the same link.
            .filter(links, constituency_links__constituency__slug=slug)
            .select_related("live_page__county")
            .order_by("-published_at", "-id")
        )


class Post(PlainText, models.Model):
    """A post on a live page.

    `published_at` is the time readers see: the moment they could first see it. A post
    is shown from then on if its status is published, so a time in the future schedules
    it; publishing a draft sets it to the moment it is published (liveblog.services
    `post_publish`), and a draft never published has none. `edited_at` is set when a
    post readers could already see is edited (not when it is only pinned), and shown to
    them as `Updated`. `corrected_at` is set when a post readers saw is taken down,
    changed and shown again, and shown to them as `Corrected`.

    `sequence` and `shown_sequence` number the changes open pages must apply, in the
    order they were made (liveblog.changes); `version` counts saves, so that a form
    saved over a newer version is refused (the admin).
    """

    key = models.UUIDField(
        unique=True,
        default=uuid.uuid4,
        editable=False,
        help_text="Stable identity; for imported posts derived from county, time and title.",
    )
    live_page = models.ForeignKey(LivePage, on_delete=models.CASCADE, related_name="posts")
    title = models.CharField(max_length=300)
    status = models.CharField(max_length=10, choices=PostStatus, default=PostStatus.PUBLISHED)
    published_at = models.DateTimeField(
        db_index=True,
        null=True,
        blank=True,
        default=timezone.now,
        help_text="When readers could first see the post; a later time schedules it.",
    )
    edited_at = models.DateTimeField(null=True, blank=True, editable=False)
    corrected_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="When the post was shown again, changed, after readers had seen it and it "
        "was taken down (liveblog.services.post_corrected_mark).",
    )
    sequence = models.PositiveBigIntegerField(default=0, editable=False, db_index=True)
    shown_sequence = models.PositiveBigIntegerField(
        null=True,
        default=0,
        editable=False,
        help_text="The change that showed the post to readers; empty while it is scheduled.",
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    drafted_from = models.OneToOneField(
        Constituency,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="drafted_post",
        help_text="The seat whose declaration this post was drafted from.",
    )
    attention = models.CharField(
        max_length=300,
        blank=True,
        editable=False,
        help_text="Why an editor should look at the post again (its result was corrected).",
    )
    breaking = models.BooleanField(default=False)
    pinned = models.BooleanField(default=False, help_text="A key post, shown above the stream.")
    byline_name = models.CharField(max_length=100, blank=True)
    byline_role = models.CharField(max_length=150, blank=True)
    source = models.CharField(
        max_length=10, choices=PostSource, default=PostSource.NEWSROOM, editable=False
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    # Who wrote it, kept after their account is deleted (no help text: the admin
    # shows it read only, beside the post's record).
    created_by_name = models.CharField("created by", max_length=150, blank=True, editable=False)
    constituencies = models.ManyToManyField(
        Constituency,
        through="PostConstituency",
        blank=True,
        related_name="posts",
        help_text="The seats the post is about: chosen by an editor or found by name.",
    )

    objects = PostQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        # Every save is a new version (a form opened before it is stale, see the admin).
        if self.pk is not None and not kwargs.get("force_insert"):
            self.version += 1
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "version"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse(
            "pages:post-detail", kwargs={"slug": self.live_page.county.slug, "pk": self.pk}
        )

    def natural_key(self):
        return (self.key,)

    @property
    def is_visible(self):
        return (
            self.status == PostStatus.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    @property
    def updated_at(self):
        """When readers are told the post was updated: an edit after its correction, if
        any (a correction says `Corrected` instead)."""
        if self.edited_at and (self.corrected_at is None or self.edited_at > self.corrected_at):
            return self.edited_at
        return None

    @property
    def is_scheduled(self):
        return (
            self.status == PostStatus.PUBLISHED
            and self.published_at is not None
            and self.published_at > timezone.now()
        )

    @property
    def linked_constituencies(self):
        """The seats the post links to: chosen by an editor or found by name, and not
        taken off by an editor."""
        return [link.constituency for link in self.constituency_links.all() if link.is_linked]

    @property
    def chosen_constituencies(self):
        """The seats an editor said the post is about (not only found by name)."""
        return [link.constituency for link in self.constituency_links.all() if link.chosen]


class ResultPost(Post):
    """A post drafted from a declaration, as the editors' list of those awaiting them
    sees it (the admin's "Result posts awaiting an editor")."""

    class Meta:
        proxy = True
        verbose_name = "result post awaiting an editor"
        verbose_name_plural = "result posts awaiting an editor"


class PostRevisionQuerySet(models.QuerySet):
    def content_at(self, post_id, version):
        """What the post held at `version` (see `post_content`), from its revisions: the
        content after the last save up to that version, else before the first save
        after it; None if neither keeps it (revisions made before they kept content)."""
        revisions = self.filter(post_id=post_id)
        saved = (
            revisions.filter(version__lte=version)
            .order_by("-version", "-id")
            .values_list("after", flat=True)
            .first()
        )
        if saved:
            return saved
        return (
            revisions.filter(version__gt=version)
            .order_by("version", "id")
            .values_list("before", flat=True)
            .first()
        )


class PostRevision(models.Model):
    """One save of a post: who made it, when, what it changed in words, and what the
    post held before and after (`post_content`), so that every version can be read
    again and a form opened before someone else's save can be merged with it.

    The history outlives what it is about: a deleted post leaves its revisions, with its
    number and title; a deleted user leaves their name."""

    post = models.ForeignKey(
        Post, on_delete=models.SET_NULL, null=True, blank=True, related_name="revisions"
    )
    post_number = models.PositiveBigIntegerField(
        null=True, blank=True, help_text="The post's id, kept after the post is deleted."
    )
    post_title = models.CharField(
        max_length=300, blank=True, help_text="The post's title after this save."
    )
    version = models.PositiveIntegerField(help_text="The post's version this save made.")
    changed_at = models.DateTimeField(default=timezone.now)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    changed_by_name = models.CharField(
        max_length=150, blank=True, help_text="Who, kept after their account is deleted."
    )
    changes = models.JSONField(default=list, help_text="What changed, in words.")
    before = models.JSONField(null=True, blank=True, help_text="The post before this save.")
    after = models.JSONField(null=True, blank=True, help_text="The post after this save.")

    objects = PostRevisionQuerySet.as_manager()

    class Meta:
        ordering = ["-changed_at", "-id"]

    def __str__(self):
        return f"{self.post_title} version {self.version}"

    def get_absolute_url(self):
        return reverse("admin:liveblog_postrevision_change", args=[self.pk])

    @property
    def who(self):
        return self.changed_by_name or "someone"


def author_name(user, post):
    """The name a revision keeps for whoever made it: a person as the results desk's
    audit trail names them, else what made it."""
    if getattr(user, "pk", None) is None:
        return "the results desk's declaration" if post.drafted_from_id else "someone"
    return person_name(user)


def post_content(post):
    """What an editor writes in a post, as plain data a revision keeps: its title,
    byline, flags, status and time, the seats it links to (by name), and every block
    in order with its id (read from the database: two queries)."""
    seats = sorted(
        link.constituency.name
        for link in PostConstituency.objects.filter(post=post).select_related("constituency")
        if link.is_linked
    )
    return {
        "title": post.title,
        "status": post.status,
        "published_at": post.published_at.isoformat() if post.published_at else None,
        "breaking": post.breaking,
        "pinned": post.pinned,
        "byline_name": post.byline_name,
        "byline_role": post.byline_role,
        "seats": seats,
        "blocks": [
            {
                "id": block.pk,
                "kind": block.kind,
                "text": block.text,
                "image": block.image.name or "",
                "alt": block.alt,
                "caption": block.caption,
                "credit": block.credit,
                **({"card": block.card.get("title", "")} if block.kind == BlockKind.RESULT else {}),
            }
            for block in Block.objects.filter(post=post).order_by("position")
        ],
    }


class PostConstituencyQuerySet(models.QuerySet):
    def get_by_natural_key(self, post_key, constituency_slug):
        return self.get(post__key=post_key, constituency__slug=constituency_slug)


class PostConstituency(models.Model):
    """A seat a post is about: `chosen` by an editor, `found_by_name` in its text, or both.

    An editor's choice always wins over the finder: a seat found by name that an editor
    took off the post is kept as `excluded`, and neither linked nor found again.
    """

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="constituency_links")
    constituency = models.ForeignKey(
        Constituency, on_delete=models.CASCADE, related_name="post_links"
    )
    chosen = models.BooleanField(default=False)
    found_by_name = models.BooleanField(default=False)
    excluded = models.BooleanField(
        default=False, help_text="An editor said the post is not about this seat."
    )

    objects = PostConstituencyQuerySet.as_manager()

    class Meta:
        ordering = ["post", "constituency__name"]
        verbose_name = "constituency the post is about"
        verbose_name_plural = "constituencies the post is about"
        constraints = [
            models.UniqueConstraint(
                fields=["post", "constituency"], name="post_constituency_unique"
            ),
        ]

    def __str__(self):
        return f"{self.post} is about {self.constituency}"

    @property
    def is_linked(self):
        return self.chosen or (self.found_by_name and not self.excluded)

    def natural_key(self):
        return (*self.post.natural_key(), *self.constituency.natural_key())

    natural_key.dependencies = ["liveblog.post", "results.constituency"]


class BlockKind(models.TextChoices):
    PARAGRAPH = "paragraph", "Paragraph"
    LIST = "list", "Bulleted list"
    IMAGE = "image", "Image"
    RESULT = "result", "Result card"


# What an editor may add; a result card comes only from a declaration.
EDITABLE_KINDS = [(value, label) for value, label in BlockKind.choices if value != BlockKind.RESULT]


class BlockQuerySet(models.QuerySet):
    def get_by_natural_key(self, post_key, position):
        return self.get(post__key=post_key, position=position)


class Block(PlainText, models.Model):
    """One block of a post's body, in order: a paragraph, a list, an image or a result card.

    Paragraphs and lists (one item a line) hold inline markup, sanitised on every save,
    raw saves included (`loaddata`; liveblog.receivers.sanitise_block, liveblog.markup).
    An uploaded image is kept as Pillow writes it anew, with smaller renditions in WebP and JPEG
    (liveblog.uploads), all under names made from their content. An image may have no
    file: the seed documents keep only its alt text, caption and credit, so it is shown
    as a captioned figure. A result card holds the figures of a declaration as they were
    when it was drafted (`card`, liveblog.drafts): a post says what it said.
    """

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="blocks")
    position = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(max_length=10, choices=BlockKind, default=BlockKind.PARAGRAPH)
    text = models.TextField(
        blank=True,
        help_text="A paragraph, or a list with one item a line. Bold, italic and links are "
        "allowed (the strong, em and a tags); anything else is removed.",
    )
    image = models.ImageField(
        upload_to="posts/%Y/%m/",
        blank=True,
        help_text=uploads.LIMITS,
        width_field="image_width",
        height_field="image_height",
    )
    image_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    image_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    renditions = models.JSONField(
        default=dict,
        blank=True,
        editable=False,
        help_text='{"webp": [[width, name], ...], "jpeg": [...]}: the image at smaller widths.',
    )
    card = models.JSONField(
        default=dict, blank=True, editable=False, help_text="A result card's figures."
    )
    alt = models.CharField(
        max_length=300,
        blank=True,
        help_text="For an image: what it shows, for those who cannot see it. Required.",
    )
    caption = models.CharField(max_length=300, blank=True)
    credit = models.CharField(max_length=150, blank=True)

    objects = BlockQuerySet.as_manager()

    class Meta:
        ordering = ["post", "position"]
        constraints = [
            models.UniqueConstraint(fields=["post", "position"], name="block_unique_position"),
            models.CheckConstraint(
                condition=~Q(kind=BlockKind.IMAGE) | ~Q(alt=""), name="block_image_has_alt_text"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.position} of {self.post}"

    def clean(self):
        if self.kind == BlockKind.IMAGE and not self.alt.strip():
            raise ValidationError({"alt": "An image needs alt text: say what it shows."})
        if self.image and not (self.caption.strip() and self.credit.strip()):
            raise ValidationError(
                "An uploaded image needs a caption and a credit (who took it, or its source)."
            )
        if self.kind in (BlockKind.PARAGRAPH, BlockKind.LIST) and not self.text.strip():
            raise ValidationError({"text": "Write the paragraph or the list, or remove it."})
        if self.kind == BlockKind.RESULT and not markup.safe_link(self.card.get("url", "/")):
            raise ValidationError(
                "A result card links only to the site's own pages or http(s) addresses."
            )

    def natural_key(self):
        return (*self.post.natural_key(), self.position)

    natural_key.dependencies = ["liveblog.post"]

    @property
    def list_items(self):
        return markup.list_items(self.text)

    @property
    def sources(self):
        """The image's renditions as (type, srcset) pairs, WebP first; empty if none."""
        return uploads.sources(self.renditions)

    @property
    def fallback_url(self):
        """The address for browsers that take no srcset: the widest rendition, else the file."""
        return uploads.largest(self.renditions) or self.image.url


def block_markup(kind, text):
    """A block's text as it is stored: sanitised, and for a list one whole item a line."""
    if kind == BlockKind.LIST:
        return "\n".join(markup.list_items(text))
    return markup.sanitise(text)
