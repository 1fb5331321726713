"""A post as pages show it: the county page, its live updates and the post's own page all
show the same article."""

import json

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from liveblog.models import load_bodies
from pages.templatetags.liveblog_tags import blog_posting


def with_parts(posts, *forms):
    """The posts, each with `parts`: {form: text}. A form is "h1" or "h4", the post's
    article under that heading, or "ld", its schema.org BlogPosting as JSON. The posts
    need their live page and county loaded; their bodies are read here."""
    posts = list(posts)
    load_bodies(posts)
    for post in posts:
        post.parts = {form: mark_safe(render_part(post, form)) for form in forms}
    return posts


def render_part(post, form):
    if form == "ld":
        return json.dumps(blog_posting(post), ensure_ascii=False)
    return render_to_string("includes/_post.html", {"post": post, "heading": form})
