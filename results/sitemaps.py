from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from results.models import Constituency, County, Party


class HomeSitemap(Sitemap):
    changefreq = "always"
    priority = 1.0

    def items(self):
        return ["results:home"]

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
