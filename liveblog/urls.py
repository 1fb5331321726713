from django.urls import path

from liveblog import feeds, views

app_name = "liveblog"

urlpatterns = [
    path("counties/<slug:slug>/", views.county_detail, name="county-detail"),
    path("counties/<slug:slug>/feed/", feeds.LivePageFeed(), name="county-feed"),
    path("counties/<slug:slug>/posts/<int:pk>/", views.post_detail, name="post-detail"),
    path("constituencies/<slug:slug>/", views.constituency_detail, name="constituency-detail"),
]
