from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from liveblog.sitemaps import PostSitemap
from results.sitemaps import ConstituencySitemap, CountySitemap, HomeSitemap, PartySitemap
from results.views import robots_txt

sitemaps = {
    "home": HomeSitemap,
    "counties": CountySitemap,
    "constituencies": ConstituencySitemap,
    "parties": PartySitemap,
    "posts": PostSitemap,
}

urlpatterns = [
    path("admin/", admin.site.urls),
    path("sitemap.xml", sitemap, {"sitemaps": sitemaps}, name="sitemap"),
    path("robots.txt", robots_txt, name="robots-txt"),
    path("", include("liveblog.urls")),
    path("", include("results.urls")),
]
