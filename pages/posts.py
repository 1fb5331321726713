"""A post as pages show it, kept once per change of the post (see pages.cache.kept_parts).

The county page, its live updates and the post's own page all show the same article;
each is rendered once per version of the post, and a post's body is read only when one
of its parts is not kept.
"""

import json

from django.template.loader import render_to_string

from liveblog.models import load_bodies
from pages import invalidation as tags
from pages.cache import kept_parts
from pages.templatetags.liveblog_tags import blog_posting


def with_parts(posts, *forms):
    """The posts, each with `parts`: {form: text}. A form is "h1" or "h4", the post's
    article under that heading, or "ld", its schema.org BlogPosting as JSON. The posts
    need their live page and county loaded; their bodies are read here if needed."""
    posts = list(posts)
    by_name = {f"post:{post.pk}:{form}": (post, form) for post in posts for form in forms}
    names = [(name, (tags.SITE, tags.post(post.pk))) for name, (post, _) in by_name.items()]

    def render_missing(missing):
        load_bodies({by_name[name][0] for name in missing})
        return {name: render_part(*by_name[name]) for name in missing}

    found = iter(kept_parts(names, render_missing))
    for post in posts:
        post.parts = {form: next(found) for form in forms}
    return posts


def render_part(post, form):
    if form == "ld":
        return json.dumps(blog_posting(post), ensure_ascii=False)
    return render_to_string("includes/_post.html", {"post": post, "heading": form})
