from django.apps import AppConfig
from django.db.models.signals import post_migrate


def create_roles(sender, **kwargs):
    from liveblog.roles import roles_setup

    roles_setup()


class LiveblogConfig(AppConfig):
    name = "liveblog"
    verbose_name = "Live blog"

    def ready(self):
        from liveblog import changes, drafts, models
        from results.signals import connect

        # After every migrate (and every test database flush) the roles are in place.
        post_migrate.connect(create_roles, sender=self)
        connect(models.LivePage, lambda page: {"live_pages": [page.pk]})
        # A post saved as a proxy (ResultPost) is announced as one saved as a Post.
        for model in changes.post_models():
            connect(model, lambda post: {"posts": [post.pk], "live_pages": [post.live_page_id]})
        connect(models.Block, lambda block: {"posts": [block.post_id]})
        connect(
            models.PostConstituency,
            lambda link: {"posts": [link.post_id], "post_links": [link.constituency_id]},
        )
        # What readers' open pages must apply, numbered in order (liveblog.changes).
        changes.connect()
        # A declaration drafts a post for its county's live page (liveblog.drafts).
        drafts.connect()
