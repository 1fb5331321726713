from django.contrib.sitemaps import Sitemap

from liveblog.models import Post


class PostSitemap(Sitemap):
    changefreq = "daily"
    priority = 0.4

    def items(self):
        return Post.objects.select_related("live_page__county").order_by("pk")

    def lastmod(self, post):
        return post.published_at
