from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from liveblog.sitemaps import PostSitemap
from results.cache import cached_page
from results.sitemaps import ConstituencySitemap, CountySitemap, HomeSitemap, PartySitemap
from results.views import healthz, robots_txt

sitemaps = {
    "home": HomeSitemap,
    "counties": CountySitemap,
    "constituencies": ConstituencySitemap,
    "parties": PartySitemap,
    "posts": PostSitemap,
}

urlpatterns = [
    path("admin/", admin.site.urls),
    path("sitemap.xml", cached_page(sitemap), {"sitemaps": sitemaps}, name="sitemap"),
    path("robots.txt", robots_txt, name="robots-txt"),
    path("healthz", healthz, name="healthz"),
    path("", include("liveblog.urls")),
    path("", include("results.urls")),
]

# Uploaded images: served by Django only when debugging; in production by the web
# server or object storage in front of the site (see README).
urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
