from django.apps import AppConfig
from django.conf import settings

RENDERS_KEY = "stats:renders"


def count_render(sender, name, **kwargs):
    """Count renders in the shared cache, for the night benchmark (scripts/bench_night.py)."""
    from django.core.cache import cache

    try:
        cache.incr(RENDERS_KEY)
    except ValueError:
        cache.add(RENDERS_KEY, 1, timeout=None)
    except Exception:  # noqa: S110 - a statistic is not worth failing a page for
        pass


class PagesConfig(AppConfig):
    name = "pages"
    verbose_name = "Reader's pages"

    def ready(self):
        from pages.cache import rendered
        from pages.invalidation import listen

        listen()
        if settings.PAGE_CACHE_COUNT_RENDERS:
            rendered.connect(count_render, dispatch_uid="count-renders")
