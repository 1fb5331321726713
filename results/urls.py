from django.urls import path

from results import feeds, views
from results.cache import cached_page

app_name = "results"

urlpatterns = [
    path("", views.home, name="home"),
    path("parties/<slug:slug>/", views.party_detail, name="party-detail"),
    path("regions/<slug:slug>/", views.region_detail, name="region-detail"),
    path("search/", views.search, name="search"),
    path("declarations/feed/", cached_page(feeds.DeclarationsFeed()), name="declarations-feed"),
]
