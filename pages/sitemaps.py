"""The sitemap: every page a search engine should know, one sitemap per kind of page."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from liveblog.models import Post
from pages.lists import DEFEATED_MPS, NIGHT_LISTS, STILL_TO_DECLARE
from results.models import Constituency, County, Party, Region


class HomeSitemap(Sitemap):
    changefreq = "always"
    priority = 1.0

    def items(self):
        lists = [*NIGHT_LISTS, DEFEATED_MPS, STILL_TO_DECLARE]
        return [
            *map(reverse, ["pages:home", "pages:constituency-list"]),
            *map(reverse, ["pages:party-list", "pages:region-list"]),
            *(reverse("pages:night-list", kwargs={"slug": slug}) for slug in lists),
        ]

    def location(self, address):
        return address


class RegionSitemap(Sitemap):
    changefreq = "always"
    priority = 0.7

    def items(self):
        return Region.objects.order_by("slug")


class CountySitemap(Sitemap):
    changefreq = "always"
    priority = 0.8

    def items(self):
        return County.objects.order_by("slug")


class ConstituencySitemap(Sitemap):
    changefreq = "hourly"
    priority = 0.8

    def items(self):
        return Constituency.objects.order_by("slug")


class PartySitemap(Sitemap):
    changefreq = "hourly"
    priority = 0.5

    def items(self):
        return Party.objects.order_by("slug")


class PostSitemap(Sitemap):
    changefreq = "daily"
    priority = 0.4

    def items(self):
        return Post.objects.published().select_related("live_page__county").order_by("pk")

    def lastmod(self, post):
        return post.edited_at or post.published_at


SITEMAPS = {
    "home": HomeSitemap,
    "regions": RegionSitemap,
    "counties": CountySitemap,
    "constituencies": ConstituencySitemap,
    "parties": PartySitemap,
    "posts": PostSitemap,
}
