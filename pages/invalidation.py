"""Which kept pages a change makes stale: the page cache's side of `content_changed`."""

from pages.cache import content_changed as mark_all_changed
from results.signals import content_changed


def page_cache_listener(sender, change, **kwargs):
    mark_all_changed()


def listen():
    content_changed.connect(page_cache_listener, dispatch_uid="page-cache")
