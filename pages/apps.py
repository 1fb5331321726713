from django.apps import AppConfig


class PagesConfig(AppConfig):
    name = "pages"
    verbose_name = "Reader's pages"

    def ready(self):
        from pages.purge import change_heard
        from results.signals import content_changed

        content_changed.connect(change_heard, dispatch_uid="pages-purge")
