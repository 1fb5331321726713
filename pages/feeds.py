"""Atom feeds: declarations, newest first, and each county's live blog.

An Atom summary is HTML (`type="html"`): feed readers show it as markup. Summaries are
plain text, escaped, so they show the text the site shows, and a name or a paragraph
that reads `<img onerror=...>` stays text. Titles are Atom text and need no escaping.
Every text is stripped of the characters XML cannot carry (results.text), however it
reached the database: a feed that cannot be written would fail on every poll.
"""

from django.contrib.humanize.templatetags.humanize import intcomma
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape

from liveblog.models import LivePage
from pages.templatetags.liveblog_tags import post_text
from results.models import Result
from results.text import xml_safe
from results.times import to_the_second

FEED_LENGTH = 50


def _safe(value):
    return xml_safe(value) if isinstance(value, str) else value


class SafeAtom1Feed(Atom1Feed):
    """Atom, every text it is given stripped of what XML cannot carry."""

    def __init__(self, *args, **kwargs):
        super().__init__(*map(_safe, args), **{k: _safe(v) for k, v in kwargs.items()})

    def add_item(self, *args, **kwargs):
        super().add_item(*map(_safe, args), **{k: _safe(v) for k, v in kwargs.items()})


class DeclarationsFeed(Feed):
    feed_type = SafeAtom1Feed
    title = "Declarations: UK general election 2024"
    subtitle = "Each constituency result as it is declared."

    def link(self):
        return reverse("pages:home")

    def items(self):
        return Result.objects.latest_first()[:FEED_LENGTH]

    def item_title(self, result):
        corrected = " (corrected)" if result.corrected_at else ""
        return f"{result.constituency.name}: {result.verdict}{corrected}"

    def item_description(self, result):
        winner = result.winner
        text = (
            f"{winner.name} ({winner.party.name}) wins {result.constituency.name} with a "
            f"majority of {intcomma(result.majority)}."
        )
        if result.corrected_at:
            when = timezone.localtime(result.corrected_at).strftime("%H:%M %Z")
            text += f" Corrected at {when}: these figures replace those first declared."
        return escape(text)

    def item_link(self, result):
        return result.constituency.get_absolute_url()

    def item_pubdate(self, result):
        return to_the_second(result.declared_at or result.recorded_at)

    def item_updateddate(self, result):
        # A correction moves it (results.services.result_declare), so feed readers see
        # the entry again.
        return to_the_second(result.updated_at)


class LivePageFeed(Feed):
    feed_type = SafeAtom1Feed

    def get_object(self, request, slug):
        return get_object_or_404(LivePage.objects.select_related("county"), county__slug=slug)

    def title(self, live_page):
        return live_page.title

    def link(self, live_page):
        return live_page.get_absolute_url()

    def subtitle(self, live_page):
        return f"Live coverage of the general election across {live_page.county.name}."

    def items(self, live_page):
        return live_page.posts.for_feed().select_related("live_page__county")[:FEED_LENGTH]

    def item_title(self, post):
        return post.title

    def item_description(self, post):
        text = post_text(post)
        if post.corrected_at:  # taken down, changed and shown again (Post.corrected_at)
            when = timezone.localtime(post.corrected_at).strftime("%H:%M %Z")
            text = f"Corrected at {when}. {text}"
        return escape(text)

    def item_link(self, post):
        return post.get_absolute_url()

    def item_pubdate(self, post):
        return to_the_second(post.published_at)

    def item_updateddate(self, post):
        # Atom requires every entry to say when it last changed.
        return to_the_second(post.edited_at or post.published_at)

    def item_author_name(self, post):
        return post.byline_name or None
