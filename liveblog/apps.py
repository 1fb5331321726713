from django.apps import AppConfig
from django.db.models.signals import post_migrate


def create_roles(sender, **kwargs):
    from liveblog.roles import roles_setup

    roles_setup()


class LiveblogConfig(AppConfig):
    name = "liveblog"
    verbose_name = "Live blog"

    def ready(self):
        from liveblog import models
        from results.signals import watch

        # After every migrate (and every test database flush) the roles are in place.
        post_migrate.connect(create_roles, sender=self)
        watch(models.LivePage, models.Post, models.Block, models.PostConstituency)
