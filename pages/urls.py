from django.contrib.sitemaps.views import sitemap
from django.urls import path

from pages import feeds, views
from pages.cache import cached_page
from pages.sitemaps import SITEMAPS

app_name = "pages"

urlpatterns = [
    path("", views.home, name="home"),
    path("regions/<slug:slug>/", views.region_detail, name="region-detail"),
    path("counties/<slug:slug>/", views.county_detail, name="county-detail"),
    path("counties/<slug:slug>/feed/", cached_page(feeds.LivePageFeed()), name="county-feed"),
    path("counties/<slug:slug>/updates/", views.county_updates, name="county-updates"),
    path("counties/<slug:slug>/posts/<int:pk>/", views.post_detail, name="post-detail"),
    path("constituencies/<slug:slug>/", views.constituency_detail, name="constituency-detail"),
    path("parties/<slug:slug>/", views.party_detail, name="party-detail"),
    path("search/", views.search, name="search"),
    path("declarations/feed/", cached_page(feeds.DeclarationsFeed()), name="declarations-feed"),
    path("sitemap.xml", cached_page(sitemap), {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", views.robots_txt, name="robots-txt"),
    path("healthz", views.healthz, name="healthz"),
]
