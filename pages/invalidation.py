"""What each page shows, as tags, and which tags a change touches.

A tag is at once a surrogate key of the pages that show it (pages.http_cache, purged by
pages.purge) and a version of the figures kept for renders (pages.data_cache):
    site              everything: names, geography, parties, imports
    nation            the national figures: scoreboard, seats to go, latest declarations
    strip             the national strip, included in every page (pages.fragments)
    seat:<slug>       a constituency's result and candidates
    about:<slug>      the posts about a constituency
    county:<slug>     the results of a county's seats
    live:<slug>       a county's live page: its title, key points and posts
    region:<slug>     the results of a region's seats
    party:<slug>      the seats a party won, gained or lost
    post:<pk>         one post
    sitemap           the list of published posts

A declaration touches its seat, county, region, the parties involved, the nation and the
strip; the exit poll the nation and the strip (the home page and the strip show it); a
post its live page, its permalink, the lists of posts about the seats it names, and the
sitemap. Pages say which tags they show in pages.urls and pages.views;
fragments in pages.fragments.
"""

from liveblog.models import LivePage, Post, PostConstituency
from results.models import Constituency, Party

SITE = "site"
NATION = "nation"
STRIP = "strip"
# What every figure of the whole country rests on: names and geography, and the results.
NATIONAL = (SITE, NATION)
SITEMAP = "sitemap"
# The tags of posts: a page that shows one is kept no later than the next post is due.
POST_TAG_PREFIXES = ("about:", "live:", "post:")


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
    """The tags a Change touches (a few small queries, on the writer's side). The kinds
    of a Change are results' (results.signals.Change) and liveblog's (liveblog.receivers)."""
    if change.everything:
        return {SITE}
    constituencies, post_links = change["constituencies"], change["post_links"]
    live_pages, posts = change["live_pages"], change["posts"]
    national = change["national"] or change["exit_poll"] or constituencies
    tags = {NATION, STRIP} if national else set()
    for pk, slug, county_slug, region_slug in Constituency.objects.filter(
        pk__in=constituencies | post_links
    ).values_list("pk", "slug", "county__slug", "region__slug"):
        if pk in constituencies:
            tags.add(seat(slug))
            tags |= {county(county_slug), region(region_slug)} - {county(None), region(None)}
        if pk in post_links:
            tags.add(posts_about(slug))
    if change["parties"]:
        slugs = Party.objects.filter(pk__in=change["parties"]).values_list("slug", flat=True)
        tags |= {party(slug) for slug in slugs}
    if live_pages:
        slugs = LivePage.objects.filter(pk__in=live_pages).values_list("county__slug", flat=True)
        tags |= {live(slug) for slug in slugs}
    if posts:
        tags |= {post(pk) for pk in posts} | {SITEMAP}
        tags |= {
            live(slug)
            for slug in Post.objects.filter(pk__in=posts).values_list(
                "live_page__county__slug", flat=True
            )
        }
        tags |= {
            posts_about(slug)
            for slug in PostConstituency.objects.filter(post__in=posts).values_list(
                "constituency__slug", flat=True
            )
        }
    return tags


def shows_posts(tags):
    """Whether a page of these tags shows posts."""
    return SITEMAP in tags or any(tag.startswith(POST_TAG_PREFIXES) for tag in tags)
