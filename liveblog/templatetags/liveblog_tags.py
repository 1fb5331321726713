"""Filters for showing posts."""

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.timezone import localtime

from liveblog.mentions import MentionFinder
from liveblog.models import BlockKind

register = template.Library()


@register.filter(needs_autoescape=True)
def with_links(text, constituencies, autoescape=True):
    """Escape `text`, linking the first mention of each of `constituencies` to its page."""
    escape = conditional_escape if autoescape else str
    constituencies = {constituency.pk: constituency for constituency in constituencies}
    if not constituencies:
        return escape(text)
    finder = MentionFinder({pk: c.name for pk, c in constituencies.items()})
    parts = []
    position = 0
    linked = set()
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
    return mark_safe("".join(str(part) for part in parts))


@register.filter
def post_summary(post):
    """The first paragraph, shortened: a post's description for sharing and search."""
    text = next(
        (block.text for block in post.blocks.all() if block.kind == BlockKind.PARAGRAPH),
        post.title,
    )
    return Truncator(text).chars(200)


@register.filter
def live_blog_json_ld(live_page, page):
    """schema.org LiveBlogPosting for a county page and the posts on it."""
    posts = list(page)
    data = {
        "@context": "https://schema.org",
        "@type": "LiveBlogPosting",
        "headline": live_page.title,
        "about": {"@type": "Event", "name": "UK general election 2024", "startDate": "2024-07-04"},
        "coverageStartTime": "2024-07-04T22:00:00+01:00",
        "liveBlogUpdate": [
            {
                "@type": "BlogPosting",
                "headline": post.title,
                "datePublished": localtime(post.published_at).isoformat(),
                "url": post.get_absolute_url(),
                "articleBody": " ".join(
                    block.text for block in post.blocks.all() if block.kind == BlockKind.PARAGRAPH
                ),
                **(
                    {"author": {"@type": "Person", "name": post.byline_name}}
                    if post.byline_name
                    else {}
                ),
            }
            for post in posts
        ],
    }
    if posts:
        data["dateModified"] = localtime(max(post.published_at for post in posts)).isoformat()
    return data
