from django.apps import AppConfig


class PagesConfig(AppConfig):
    name = "pages"
    verbose_name = "Reader's pages"

    def ready(self):
        from pages.invalidation import listen

        listen()
