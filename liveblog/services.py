"""Writes to live pages and posts. Each function runs inside the caller's transaction."""

import uuid
from collections import defaultdict

from django.db import transaction
from django.utils import timezone

from liveblog.markup import from_plain_text, to_plain_text
from liveblog.mentions import MentionFinder
from liveblog.models import (
    Block,
    BlockKind,
    LivePage,
    Post,
    PostConstituency,
    PostSource,
    block_markup,
)
from liveblog.parsers import parse_live_page
from results.documents import read_document
from results.imports import ImportSummary, upsert
from results.models import Constituency
from results.parsers import parse_results_page
from results.services import (
    county_constituencies_import,
    county_get_or_create,
    document_name,
    election_for_year,
    published_scoreboard_import,
    results_page_import,
)
from results.signals import announce

# Imported posts get a key derived from what identifies them in a document, so that
# re-importing the same document finds the same rows.
IMPORTED_POST_NAMESPACE = uuid.UUID("5f0c8e3a-7d51-4c38-9d0e-2b1f4a6c9e27")


def imported_post_key(*, county_slug, published_at, title):
    return uuid.uuid5(IMPORTED_POST_NAMESPACE, f"{county_slug}|{published_at.isoformat()}|{title}")


def live_page_import(*, record, county_name, source):
    """Apply a parsed live page (`liveblog.parsers.LivePageRecord`) to a county's page.

    Posts written or edited in the newsroom are never touched; imported posts that are
    no longer in the document are removed.
    """
    summary = ImportSummary()
    county = county_get_or_create(name=county_name, summary=summary)
    live_page = LivePage.objects.filter(county=county).first()
    if live_page is not None and live_page.edited_in_newsroom:
        summary.left_alone.append(f"{county.name}: the page's title and summary were edited")
        summary.unchanged["live page"] += 1
    else:
        live_page = upsert(
            LivePage,
            {"county": county},
            {
                "title": f"{county.name}: General election {record.year} live",
                "summary": list(record.summary),
                "source_document": document_name(source),
            },
            summary,
            "live page",
        )
    if record.scoreboard is not None:
        election = election_for_year(year=record.year, source=source)
        summary.merge(
            published_scoreboard_import(
                election=election, scoreboard=record.scoreboard, source=source
            )
        )

    existing = {post.key: post for post in live_page.posts.prefetch_related("blocks")}
    keys = set()
    # Oldest first, so that ids rise with recency and posts published in the same minute
    # keep the document's order (newest first) when sorted by time, then id.
    for post_record in reversed(record.posts):
        key = imported_post_key(
            county_slug=county.slug, published_at=post_record.published_at, title=post_record.title
        )
        keys.add(key)
        post = existing.get(key)
        if post is not None and post.source == PostSource.NEWSROOM:
            summary.left_alone.append(f"post {post.title!r}: edited in the newsroom")
            continue
        imported_post_apply(
            post=post, key=key, live_page=live_page, record=post_record, summary=summary
        )

    stale = [
        post.pk
        for post in existing.values()
        if post.key not in keys and post.source == PostSource.IMPORTED
    ]
    if stale:
        Post.objects.filter(pk__in=stale).delete()
        summary.removed["post"] += len(stale)
    post_mentions_refresh(
        posts=live_page.posts.filter(source=PostSource.IMPORTED).prefetch_related("blocks")
    )
    return summary


def imported_post_apply(*, post, key, live_page, record, summary):
    values = {
        "title": record.title,
        "published_at": record.published_at,
        "breaking": record.breaking,
        "byline_name": record.byline_name,
        "byline_role": record.byline_role,
    }
    blocks = [block_values(position, block) for position, block in enumerate(record.blocks)]
    if post is None:
        post = Post.objects.create(
            key=key, live_page=live_page, source=PostSource.IMPORTED, **values
        )
        Block.objects.bulk_create(Block(post=post, **block) for block in blocks)
        summary.created["post"] += 1
        return

    current_blocks = [
        {name: getattr(block, name) for name in BLOCK_FIELDS} for block in post.blocks.all()
    ]
    current = {name: getattr(post, name) for name in values}
    if current == values and current_blocks == blocks:
        summary.unchanged["post"] += 1
        return
    for name, value in values.items():
        setattr(post, name, value)
    post.save()
    post.blocks.all().delete()
    Block.objects.bulk_create(Block(post=post, **block) for block in blocks)
    summary.updated["post"] += 1


BLOCK_FIELDS = ("position", "kind", "text", "alt", "caption", "credit")


def block_values(position, block):
    """A parsed body block as Block fields; text as the markup the Block would save."""
    text = "\n".join(block.items) if block.kind == BlockKind.LIST else block.text
    return {
        "position": position,
        "kind": block.kind,
        # Written in bulk, which skips the sanitising signal: the same markup, made here.
        "text": block_markup(block.kind, from_plain_text(text))
        if block.kind != BlockKind.IMAGE
        else "",
        "alt": block.alt,
        "caption": block.caption,
        "credit": block.credit,
    }


def seeds_import(*, manifest, folder, source):
    """Import every county and seed document a manifest lists, in its order."""
    summary = ImportSummary()
    for county in manifest.counties:
        summary.merge(
            county_constituencies_import(
                county_name=county.name, constituencies=county.constituencies, source=source
            )
        )
    for seed in manifest.seeds:
        path = folder / seed.file
        text = read_document(path)
        if seed.format == "liveblog":
            record = parse_live_page(text, source=path, year=manifest.year)
            summary.merge(live_page_import(record=record, county_name=seed.county, source=path))
        else:
            page = parse_results_page(text, source=path)
            summary.merge(results_page_import(page=page, source=path, county_name=seed.county))
    return summary


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
    it; reading and writing are a fixed number of queries for any number of posts.
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


def post_constituencies_choose(*, post, constituencies):
    """Set the seats an editor says a post is about, keeping those found by name."""
    chosen = {constituency.pk for constituency in constituencies}
    current = {link.constituency_id: link for link in post.constituency_links.all()}
    for constituency_id, link in current.items():
        if constituency_id not in chosen and link.chosen:
            if link.found_by_name:
                link.chosen = False
                link.save(update_fields=["chosen"])
            else:
                link.delete()
        elif constituency_id in chosen and not link.chosen:
            link.chosen = True
            link.save(update_fields=["chosen"])
    PostConstituency.objects.bulk_create(
        PostConstituency(post=post, constituency_id=pk, chosen=True)
        for pk in chosen - current.keys()
    )


def post_save_by(*, post, user):
    """Save a post written or edited in the newsroom: from now on imports leave it alone."""
    post.source = PostSource.NEWSROOM
    if post.pk is None:
        post.created_by = user
    post.save()


def post_edited_mark(*, post, was_visible, edited):
    """Tell readers a post they could already see was changed (`Updated 03:12 BST`): the
    rule of the change form and of the list actions alike."""
    if was_visible and edited:
        post.edited_at = timezone.now()
        post.save(update_fields=["edited_at"])


@transaction.atomic
def posts_set(*, posts, user, **values):
    """Set fields on many posts (the admin's list actions), each saved as the newsroom's
    own, so that imports leave it alone and readers' pages hear of it, and marked as
    updated if readers could see it, as the change form does; returns the count."""
    count = 0
    for post in posts:
        was_visible = post.is_visible
        edited = any(getattr(post, name) != value for name, value in values.items())
        for name, value in values.items():
            setattr(post, name, value)
        post_save_by(post=post, user=user)
        post_edited_mark(post=post, was_visible=was_visible, edited=edited)
        count += 1
    return count
