"""Filters for showing posts."""

import html
import json
import re

from django import template
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.text import Truncator

from liveblog.markup import to_plain_text
from liveblog.mentions import MentionFinder
from liveblog.models import BlockKind
from results.times import to_the_second

register = template.Library()


TAG = re.compile(r"(<[^>]+>)")


@register.filter
def with_links(markup, constituencies):
    """Sanitised body markup with the first mention of each constituency linked to its page.

    Only text outside existing links is searched; the markup itself is trusted because
    every Block save sanitises it (see liveblog.markup).
    """
    constituencies = {constituency.pk: constituency for constituency in constituencies}
    if not constituencies:
        return mark_safe(markup)
    finder = MentionFinder({pk: c.name for pk, c in constituencies.items()})
    linked = set()
    inside_link = False
    parts = []
    for part in TAG.split(markup):
        if TAG.fullmatch(part):
            inside_link = part.startswith("<a") or (inside_link and part != "</a>")
            parts.append(part)
        elif inside_link or not part:
            parts.append(part)
        else:
            parts.append(link_text(html.unescape(part), finder, constituencies, linked))
    return mark_safe("".join(parts))


def link_text(text, finder, constituencies, linked):
    parts = []
    position = 0
    for pk, match in finder.matches(text):
        if pk in linked:
            continue
        linked.add(pk)
        parts.append(escape(text[position : match.start()]))
        parts.append(
            format_html(
                '<a href="{}">{}</a>', constituencies[pk].get_absolute_url(), match.group(0)
            )
        )
        position = match.end()
    parts.append(escape(text[position:]))
    return "".join(str(part) for part in parts)


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
