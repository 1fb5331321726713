from django.contrib.sitemaps import Sitemap

from liveblog.models import Post


class PostSitemap(Sitemap):
    changefreq = "daily"
    priority = 0.4

    def items(self):
        return Post.objects.published().select_related("live_page__county").order_by("pk")

    def lastmod(self, post):
        return post.edited_at or post.published_at
