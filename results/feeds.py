"""Atom feed of declarations, newest first."""

from django.contrib.humanize.templatetags.humanize import intcomma
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from results.models import Result
from results.times import to_the_second

FEED_LENGTH = 50


class DeclarationsFeed(Feed):
    feed_type = Atom1Feed
    title = "Declarations: UK general election 2024"
    subtitle = "Each constituency result as it is declared."

    def link(self):
        return reverse("results:home")

    def items(self):
        return Result.objects.latest_first()[:FEED_LENGTH]

    def item_title(self, result):
        return f"{result.constituency.name}: {result.verdict}"

    def item_description(self, result):
        winner = result.winner
        return (
            f"{winner.name} ({winner.party.name}) wins {result.constituency.name} with a "
            f"majority of {intcomma(result.majority)}."
        )

    def item_link(self, result):
        return result.constituency.get_absolute_url()

    def item_pubdate(self, result):
        return to_the_second(result.declared_at or result.recorded_at)

    def item_updateddate(self, result):
        return to_the_second(result.updated_at)
