from django.urls import path

from liveblog import feeds, views
from results.cache import cached_page

app_name = "liveblog"

urlpatterns = [
    path("counties/<slug:slug>/", views.county_detail, name="county-detail"),
    path("counties/<slug:slug>/feed/", cached_page(feeds.LivePageFeed()), name="county-feed"),
    path("counties/<slug:slug>/updates/", views.county_updates, name="county-updates"),
    path("counties/<slug:slug>/posts/<int:pk>/", views.post_detail, name="post-detail"),
    path("constituencies/<slug:slug>/", views.constituency_detail, name="constituency-detail"),
]
