"""A post as pages show it: the county page, its live updates and the post's own page all
show the same article, rendered once per change of the post (pages.data_cache), its
body read only for the posts not kept."""

import json

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from liveblog.models import load_bodies
from pages import invalidation as tags
from pages.data_cache import PerVersionOf
from pages.templatetags.liveblog_tags import blog_posting


def with_parts(posts, *forms):
    """The posts, each with `parts`: {form: text}. A form is "h1" or "h4", the post's
    article under that heading, or "ld", its schema.org BlogPosting as JSON. The posts
    need their live page and county loaded; their bodies are read here if needed."""
    posts = list(posts)
    by_name = {f"post:{post.pk}:{form}": (post, form) for post in posts for form in forms}

    def render_missing(names):
        load_bodies({by_name[name][0] for name in names})
        return {name: render_part(*by_name[name]) for name in names}

    found = parts_now.get_many(list(by_name), render_missing)
    for post in posts:
        post.parts = {form: mark_safe(found[f"post:{post.pk}:{form}"]) for form in forms}
    return posts


def part_tags(name):
    return (tags.SITE, tags.post(name.split(":")[1]))


def render_part(post, form):
    if form == "ld":
        return json.dumps(blog_posting(post), ensure_ascii=False)
    return render_to_string("includes/_post.html", {"post": post, "heading": form})


# Each post's parts, rendered once per change of the post.
parts_now = PerVersionOf(part_tags, None)
