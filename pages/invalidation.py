"""What each page shows, as tags, and which tags a change touches.

Tags (their versions live in pages.versions):
    site              everything: names, geography, parties, imports
    nation            the national figures: scoreboard, seats to go, latest declarations
    seat:<slug>       a constituency's result and candidates
    about:<slug>      the posts about a constituency
    county:<slug>     the results of a county's seats
    live:<slug>       a county's live page: its title, key points and posts
    region:<slug>     the results of a region's seats
    party:<slug>      the seats a party won, gained or lost
    post:<pk>         one post
    sitemap           the list of published posts

A declaration touches its seat, county, region, the parties involved and the nation; a
post its live page, its permalink, the lists of posts about the seats it names, and the
sitemap. Pages say which
tags they show in pages.urls; fragments in pages.fragments.

Scheduled posts: a post published for later changes what readers see when its time
comes, with no write to announce it. The earliest such time is kept in the cache, read
with the versions on every request; the first request after it releases the posts that
are due (`release_due_posts`), as if they had just been published.
"""

from datetime import UTC, datetime

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from liveblog.models import LivePage, Post, PostConstituency
from pages import versions
from results.models import Constituency, Party
from results.signals import Change, content_changed

SITE = versions.EVERYTHING
NATION = "nation"
# What every figure of the whole country rests on: names and geography, and the results.
NATIONAL = (SITE, NATION)
SITEMAP = "sitemap"
# When the next scheduled post is due, as a POSIX timestamp (absent: none is); kept as a
# version is, so that it is read with the versions, in the same round trip.
NEXT_DUE = "posts:next-due"
RELEASING_KEY = "posts:releasing"
RELEASE_SECONDS = 5


def seat(slug):
    return f"seat:{slug}"


def posts_about(slug):
    return f"about:{slug}"


def county(slug):
    return f"county:{slug}"


def live(slug):
    return f"live:{slug}"


def region(slug):
    return f"region:{slug}"


def party(slug):
    return f"party:{slug}"


def post(pk):
    return f"post:{pk}"


def tags_touched(change):
    """The tags a Change touches (a few small queries, on the writer's side)."""
    if change.everything:
        return {SITE}
    tags = {NATION} if change.national or change.constituencies else set()
    seats = change.constituencies | change.post_links
    for pk, slug, county_slug, region_slug in Constituency.objects.filter(pk__in=seats).values_list(
        "pk", "slug", "county__slug", "region__slug"
    ):
        if pk in change.constituencies:
            tags.add(seat(slug))
            tags |= {county(county_slug), region(region_slug)} - {county(None), region(None)}
        if pk in change.post_links:
            tags.add(posts_about(slug))
    if change.parties:
        slugs = Party.objects.filter(pk__in=change.parties).values_list("slug", flat=True)
        tags |= {party(slug) for slug in slugs}
    if change.live_pages:
        slugs = LivePage.objects.filter(pk__in=change.live_pages).values_list(
            "county__slug", flat=True
        )
        tags |= {live(slug) for slug in slugs}
    if change.posts:
        tags |= {post(pk) for pk in change.posts} | {SITEMAP}
        tags |= {
            live(slug)
            for slug in Post.objects.filter(pk__in=change.posts).values_list(
                "live_page__county__slug", flat=True
            )
        }
        tags |= {
            posts_about(slug)
            for slug in PostConstituency.objects.filter(post__in=change.posts).values_list(
                "constituency__slug", flat=True
            )
        }
    return tags


def page_cache_listener(sender, change, **kwargs):
    versions.bump(tags_touched(change))
    if change.everything or change.posts:
        schedule_refresh()
    if change.everything:
        from pages.params import forget_the_election

        forget_the_election()


def listen():
    content_changed.connect(page_cache_listener, dispatch_uid="page-cache")


def schedule_refresh():
    """Note when the next scheduled post is due: now, and when the transaction commits."""
    note_next_due()
    transaction.on_commit(note_next_due, robust=True)


def note_next_due():
    due = Post.objects.next_scheduled_at()
    versions.write_values({NEXT_DUE: due.timestamp() if due is not None else None})


def is_due(next_due):
    return next_due is not None and next_due <= timezone.now().timestamp()


def release_due_posts(next_due):
    """Announce the scheduled posts whose time has come (one process does it)."""
    try:
        if not cache.add(RELEASING_KEY, 1, RELEASE_SECONDS):
            return
    except Exception:
        return
    since = datetime.fromtimestamp(next_due, tz=UTC)
    due = Post.objects.published().filter(published_at__gte=since)
    versions.bump(tags_touched(Change(posts=frozenset(due.values_list("pk", flat=True)))))
    note_next_due()
    cache.delete(RELEASING_KEY)
