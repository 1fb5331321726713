"""The sitemap: every page a search engine should know."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from liveblog.models import Post
from results.models import Constituency, County, Party


class HomeSitemap(Sitemap):
    changefreq = "always"
    priority = 1.0

    def items(self):
        return ["pages:home"]

    def location(self, name):
        return reverse(name)


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
    "counties": CountySitemap,
    "constituencies": ConstituencySitemap,
    "parties": PartySitemap,
    "posts": PostSitemap,
}
