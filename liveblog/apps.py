from django.apps import AppConfig


class LiveblogConfig(AppConfig):
    name = "liveblog"
    verbose_name = "Live blog"

    def ready(self):
        from liveblog import receivers

        receivers.connect_all(self)
