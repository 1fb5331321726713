from django.urls import path

from results import feeds, views

app_name = "results"

urlpatterns = [
    path("", views.home, name="home"),
    path("parties/<slug:slug>/", views.party_detail, name="party-detail"),
    path("regions/<slug:slug>/", views.region_detail, name="region-detail"),
    path("search/", views.search, name="search"),
    path("declarations/feed/", feeds.DeclarationsFeed(), name="declarations-feed"),
]
