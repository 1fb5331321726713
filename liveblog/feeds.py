"""Atom feed of a county's live blog."""

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.utils.feedgenerator import Atom1Feed

from liveblog.models import LivePage
from liveblog.templatetags.liveblog_tags import post_text
from results.times import to_the_second

FEED_LENGTH = 50


class LivePageFeed(Feed):
    feed_type = Atom1Feed

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
        return post_text(post)

    def item_link(self, post):
        return post.get_absolute_url()

    def item_pubdate(self, post):
        return to_the_second(post.published_at)

    def item_updateddate(self, post):
        # Atom requires every entry to say when it last changed.
        return to_the_second(post.edited_at or post.published_at)

    def item_author_name(self, post):
        return post.byline_name or None
