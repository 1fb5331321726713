"""Live pages (one per county) and their posts."""

import uuid

from django.db import models
from django.db.models import Q
from django.urls import reverse

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


class PostQuerySet(models.QuerySet):
    def get_by_natural_key(self, key):
        return self.get(key=key)

    def for_live_page(self):
        """Posts newest first with their blocks and the seats they name (three queries)."""
        return self.prefetch_related("blocks", "mentions").order_by("-published_at", "-id")

    def mentioning(self, constituency):
        """Posts that name a constituency, newest first, with their county (one query)."""
        return (
            self.filter(mentions=constituency)
            .select_related("live_page__county")
            .order_by("-published_at", "-id")
        )


class Post(models.Model):
    """A post on a live page."""

    key = models.UUIDField(
        unique=True,
        default=uuid.uuid4,
        editable=False,
        help_text="Stable identity; for imported posts derived from county, time and title.",
    )
    live_page = models.ForeignKey(LivePage, on_delete=models.CASCADE, related_name="posts")
    title = models.CharField(max_length=300)
    published_at = models.DateTimeField(db_index=True)
    breaking = models.BooleanField(default=False)
    byline_name = models.CharField(max_length=100, blank=True)
    byline_role = models.CharField(max_length=150, blank=True)
    source = models.CharField(max_length=10, choices=PostSource, default=PostSource.NEWSROOM)
    mentions = models.ManyToManyField(
        Constituency,
        blank=True,
        related_name="mentioning_posts",
        help_text="Constituencies the post names, found by name.",
    )

    objects = PostQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse(
            "liveblog:post-detail", kwargs={"slug": self.live_page.county.slug, "pk": self.pk}
        )

    def natural_key(self):
        return (self.key,)


class BlockKind(models.TextChoices):
    PARAGRAPH = "paragraph", "Paragraph"
    LIST = "list", "Bulleted list"
    IMAGE = "image", "Image"


class BlockQuerySet(models.QuerySet):
    def get_by_natural_key(self, post_key, position):
        return self.get(post__key=post_key, position=position)


class Block(models.Model):
    """One block of a post's body, in order: a paragraph, a list or an image.

    An image may have no file: the seed documents keep only its alt text, caption and
    credit, so it is shown as a captioned figure.
    """

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="blocks")
    position = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=10, choices=BlockKind)
    text = models.TextField(blank=True, help_text="A paragraph's text.")
    items = models.JSONField(default=list, blank=True, help_text="A list's items.")
    image = models.ImageField(upload_to="posts/%Y/%m/", blank=True)
    alt = models.CharField(max_length=300, blank=True)
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

    def natural_key(self):
        return (*self.post.natural_key(), self.position)

    natural_key.dependencies = ["liveblog.post"]
