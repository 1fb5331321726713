from django.contrib.sitemaps import views as sitemaps
from django.urls import path

from pages import feeds, views
from pages import invalidation as tags
from pages.http_cache import reader_page
from pages.sitemaps import SITEMAPS

app_name = "pages"

county_feed = reader_page(feeds.LivePageFeed(), shows=lambda slug: [tags.live(slug)])
declarations_feed = reader_page(feeds.DeclarationsFeed(), shows=lambda: [tags.NATION])
# The sitemap is an index of one sitemap per kind of page, so that a new post re-renders
# the short list of posts, not the 650 constituencies.
sitemap_index = reader_page(sitemaps.index, shows=lambda **kwargs: [tags.SITEMAP])
sitemap_section = reader_page(
    sitemaps.sitemap, shows=lambda section, **kwargs: [tags.SITEMAP] if section == "posts" else []
)

urlpatterns = [
    path("", views.home, name="home"),
    path("regions/", views.region_list, name="region-list"),
    path("regions/<slug:slug>/", views.region_detail, name="region-detail"),
    path("counties/<slug:slug>/", views.county_detail, name="county-detail"),
    path("counties/<slug:slug>/feed/", county_feed, name="county-feed"),
    path("counties/<slug:slug>/updates/", views.county_updates, name="county-updates"),
    path("counties/<slug:slug>/posts/<int:pk>/", views.post_detail, name="post-detail"),
    path("constituencies/", views.constituency_list, name="constituency-list"),
    path("lists/<slug:slug>/", views.night_list, name="night-list"),
    path("constituencies/<slug:slug>/", views.constituency_detail, name="constituency-detail"),
    path("parties/", views.party_list, name="party-list"),
    path("parties/<slug:slug>/", views.party_detail, name="party-detail"),
    path("search/", views.search, name="search"),
    path("declarations/feed/", declarations_feed, name="declarations-feed"),
    path(
        "sitemap.xml",
        sitemap_index,
        {"sitemaps": SITEMAPS, "sitemap_url_name": "pages:sitemap-section"},
        name="sitemap",
    ),
    path(
        "sitemap-<slug:section>.xml",
        sitemap_section,
        {"sitemaps": SITEMAPS},
        name="sitemap-section",
    ),
    path("data/", views.data, name="data"),
    path("data/constituencies.csv", views.constituencies_csv, name="constituencies-csv"),
    path("data/results.csv", views.results_csv, name="results-csv"),
    path("data/notionals.csv", views.notionals_csv, name="notionals-csv"),
    path("data/uk-general-election-2024.zip", views.data_package, name="data-package"),
    path("data/constituencies/<slug:slug>.csv", views.constituency_csv, name="constituency-csv"),
    path("data/regions/<slug:slug>.csv", views.region_csv, name="region-csv"),
    path("data/parties/<slug:slug>.csv", views.party_csv, name="party-csv"),
    path("data/counties/<slug:slug>.csv", views.county_csv, name="county-csv"),
    path("robots.txt", views.robots_txt, name="robots-txt"),
    path("healthz", views.healthz, name="healthz"),
    path("fragments/<slug:kind>/", views.fragment, name="fragment"),
    path("fragments/<slug:kind>/<slug:argument>/", views.fragment, name="fragment-of"),
]
