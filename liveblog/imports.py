"""Imports of live pages: a county's live page from its document (`live_page_import`),
and the seeds as a whole, every county and document their manifest lists
(`seeds_import`), results' pages through results.imports. Posts written or edited in
the newsroom are never touched. Each function runs inside the caller's transaction.
"""

import uuid

from liveblog.changes import parts_rewritten
from liveblog.markup import from_plain_text
from liveblog.models import (
    Block,
    BlockKind,
    LivePage,
    Post,
    PostSource,
    block_markup,
    live_page_content,
)
from liveblog.parsers import parse_live_page
from liveblog.services import live_page_revision_record, post_mentions_refresh
from results.changes import counter_hold
from results.documents import read_document
from results.imports import (
    ImportSummary,
    county_constituencies_import,
    county_get_or_create,
    document_name,
    election_for_year,
    published_scoreboard_import,
    results_page_import,
    upsert,
)
from results.parsers import parse_results_page

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
    # Before the live page's row is written: the counter first, as every writer does.
    counter_hold()
    county = county_get_or_create(name=county_name, summary=summary)
    live_page = LivePage.objects.filter(county=county).first()
    if live_page is not None and live_page.edited_in_newsroom:
        summary.left_alone.append(f"{county.name}: the page's title and summary were edited")
        summary.unchanged["live page"] += 1
    else:
        before = live_page_content(live_page) if live_page is not None else None
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
        live_page_revision_record(
            live_page=live_page, before=before, document=document_name(source)
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
    # Its blocks first, numbering nothing: the save after them numbers the post's one
    # change, however many blocks it has.
    with parts_rewritten(post.pk):
        post.blocks.all().delete()
    Block.objects.bulk_create(Block(post=post, **block) for block in blocks)
    for name, value in values.items():
        setattr(post, name, value)
    post.save()
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
