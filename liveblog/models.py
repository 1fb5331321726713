"""Live pages (one per county) and their posts."""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.signals import pre_save
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone

from liveblog import markup, uploads
from results.models import Constituency, County


class LivePageQuerySet(models.QuerySet):
    def get_by_natural_key(self, county_slug):
        return self.get(county__slug=county_slug)


class LivePage(models.Model):
    """The live blog for one county."""

    county = models.OneToOneField(County, on_delete=models.CASCADE, related_name="live_page")
    title = models.CharField(max_length=200)
    summary = models.JSONField(default=list, blank=True, help_text="The summary bullets.")
    source_document = models.CharField(max_length=200, blank=True)
    edited_in_newsroom = models.BooleanField(
        default=False, editable=False, help_text="Imports leave its title and summary alone."
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

    def about(self, constituency):
        """Published posts about a constituency, newest first, with their county."""
        return (
            self.published()
            .filter(constituencies=constituency)
            .select_related("live_page__county")
            .order_by("-published_at", "-id")
        )


class Post(models.Model):
    """A post on a live page.

    `published_at` is the time readers see; a post is shown from then on if its status
    is published, so a time in the future schedules it. `edited_at` is set when a post
    readers could already see is changed, and shown to them as `Updated`.
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
        default=timezone.now,
        help_text="Now by default; a later time schedules the post.",
    )
    edited_at = models.DateTimeField(null=True, blank=True, editable=False)
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

    def get_absolute_url(self):
        return reverse(
            "pages:post-detail", kwargs={"slug": self.live_page.county.slug, "pk": self.pk}
        )

    def natural_key(self):
        return (self.key,)

    @property
    def is_visible(self):
        return self.status == PostStatus.PUBLISHED and self.published_at <= timezone.now()

    @property
    def linked_constituencies(self):
        return [link.constituency for link in self.constituency_links.all()]

    @property
    def chosen_constituencies(self):
        """The seats an editor said the post is about (not only found by name)."""
        return [link.constituency for link in self.constituency_links.all() if link.chosen]


class PostConstituencyQuerySet(models.QuerySet):
    def get_by_natural_key(self, post_key, constituency_slug):
        return self.get(post__key=post_key, constituency__slug=constituency_slug)


class PostConstituency(models.Model):
    """A seat a post is about: `chosen` by an editor, `found_by_name` in its text, or both."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="constituency_links")
    constituency = models.ForeignKey(
        Constituency, on_delete=models.CASCADE, related_name="post_links"
    )
    chosen = models.BooleanField(default=False)
    found_by_name = models.BooleanField(default=False)

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

    def natural_key(self):
        return (*self.post.natural_key(), *self.constituency.natural_key())

    natural_key.dependencies = ["liveblog.post", "results.constituency"]


class BlockKind(models.TextChoices):
    PARAGRAPH = "paragraph", "Paragraph"
    LIST = "list", "Bulleted list"
    IMAGE = "image", "Image"


class BlockQuerySet(models.QuerySet):
    def get_by_natural_key(self, post_key, position):
        return self.get(post__key=post_key, position=position)


class Block(models.Model):
    """One block of a post's body, in order: a paragraph, a list or an image.

    Paragraphs and lists (one item a line) hold inline markup, sanitised on every save,
    raw saves included (`loaddata`, see `sanitise_block`; liveblog.markup). An uploaded
    image is kept as Pillow writes it anew (liveblog.uploads). An image may have no file:
    the seed documents keep only its alt text, caption and credit, so it is shown as a
    captioned figure.
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
        if self.kind != BlockKind.IMAGE and not self.text.strip():
            raise ValidationError({"text": "Write the paragraph or the list, or remove it."})

    def natural_key(self):
        return (*self.post.natural_key(), self.position)

    natural_key.dependencies = ["liveblog.post"]

    @property
    def list_items(self):
        return markup.list_items(self.text)


def block_markup(kind, text):
    """A block's text as it is stored: sanitised, and for a list one whole item a line."""
    if kind == BlockKind.LIST:
        return "\n".join(markup.list_items(text))
    return markup.sanitise(text)


@receiver(pre_save, sender=Block, dispatch_uid="sanitise_block")
def sanitise_block(sender, instance, raw=False, **kwargs):
    """Every save of a block stores sanitised text: the admin's, a service's, and the
    raw saves of `loaddata`, which skip Model.save() but not this signal (a restored
    backup ends as safe as the admin leaves a post). Bulk writes send no signal: the
    imports build their text with liveblog.markup themselves."""
    instance.text = block_markup(instance.kind, instance.text)
    if instance.image and not instance.image._committed and not raw:
        # A new upload: keep the picture Pillow writes, not the file as it came.
        instance.image = uploads.reencoded(instance.image.file)
