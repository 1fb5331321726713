"""Filters for showing posts."""

import json

from django import template
from django.utils.safestring import mark_safe
from django.utils.text import Truncator

from liveblog.markup import safe_link, to_plain_text
from liveblog.mentions import MentionFinder, link_mentions
from liveblog.models import BlockKind
from pages.seats import kept_parties
from pages.templatetags.results_tags import swatch
from results import colours
from results.times import to_the_second

register = template.Library()
register.filter("safe_link", safe_link)


@register.filter
def with_links(markup, constituencies):
    """Body markup, sanitised again, with the first mention of each constituency in text
    outside a link made a link to its page. The markup is parsed, never matched with a
    regex (liveblog.mentions.link_mentions)."""
    constituencies = list(constituencies)
    finder = MentionFinder({constituency.pk: constituency.name for constituency in constituencies})
    urls = {constituency.pk: constituency.get_absolute_url() for constituency in constituencies}
    return mark_safe(link_mentions(markup, finder, urls))


@register.simple_tag
def card_swatch(card):
    """The swatch of a result card's winning party, in the party's colour now: a card
    keeps the figures as drafted, but a party recoloured since shows in its new colour,
    as it does everywhere else. The party is the card's `party_slug`; a card drafted
    before cards named it is matched by the party's name, else keeps its own colour."""
    parties = kept_parties().values()  # kept per change of the site, as the strip reads them
    party = next((p for p in parties if p.slug == card.get("party_slug")), None) or next(
        (p for p in parties if p.name == card.get("party")), None
    )
    return swatch(party.colour if party else card.get("colour", colours.GREY), 12)


@register.filter
def post_summary(post):
    """The first paragraph, shortened: a post's description for sharing and search."""
    text = next(
        (to_plain_text(b.text) for b in post.blocks.all() if b.kind == BlockKind.PARAGRAPH),
        post.title,
    )
    return Truncator(text).chars(200)


def blog_posting(post):
    """A post as a schema.org BlogPosting, one update of a LiveBlogPosting."""
    return {
        "@type": "BlogPosting",
        "headline": post.title,
        "datePublished": to_the_second(post.published_at).isoformat(),
        "url": post.get_absolute_url(),
        "articleBody": post_text(post),
        **({"author": {"@type": "Person", "name": post.byline_name}} if post.byline_name else {}),
    }


@register.filter
def live_blog_json_ld(live_page, posts):
    """schema.org LiveBlogPosting for a county page and the posts on it (pages.posts:
    each with its BlogPosting kept as `parts["ld"]`)."""
    posts = list(posts)
    data = {
        "@context": "https://schema.org",
        "@type": "LiveBlogPosting",
        "headline": live_page.title,
        "about": {"@type": "Event", "name": "UK general election 2024", "startDate": "2024-07-04"},
        "coverageStartTime": "2024-07-04T22:00:00+01:00",
        "liveBlogUpdate": [json.loads(post.parts["ld"]) for post in posts],
    }
    if posts:
        data["dateModified"] = to_the_second(max(post.published_at for post in posts)).isoformat()
    return data


def post_text(post):
    """A post's paragraphs as plain text, for feeds and structured data."""
    return " ".join(
        to_plain_text(block.text)
        for block in post.blocks.all()
        if block.kind == BlockKind.PARAGRAPH
    )
