"""Rendered pages for readers, kept in the cache and dropped when what they show changes.

- Every change readers could see (a post published, edited or unpublished; a result
  declared or corrected; an import) bumps one content version, before and again after
  the transaction commits, so that no page rendered from the old data outlives it.
- A page is kept with the version it was rendered at, for at most PAGE_CACHE_SECONDS.
  While one request re-renders a page whose version is out of date, the others are
  served the previous rendering rather than waiting: on a hot page only one reader
  ever waits for a full render.
- A render that is lost (its process killed, the cache write failed) holds the others
  up for at most RENDER_SECONDS before one of them renders instead; a render overtaken
  by a newer change is not kept, so it cannot replace the newer page.
- Staleness bound: with Redis (shared by every app server) a change is on every page as
  soon as the page is next asked for; with the local-memory cache (one per process, the
  default) other processes see it within PAGE_CACHE_SECONDS. Scheduled posts appear
  within PAGE_CACHE_SECONDS of their time.
- If the cache is unreachable, pages are rendered without it.
"""

import functools
import hashlib
import logging
import re
import time

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import quote_etag
from django.utils.text import compress_string

log = logging.getLogger(__name__)

VERSION_KEY = "content:version"
PAGE_KEY = "page:{path}"
RENDERING_KEY = "rendering:{path}:{version}"
ACCEPTS_GZIP = re.compile(r"\bgzip\b")
# How long others are served the previous rendering while one request renders the page:
# short, so that a render that fails or is lost holds no one up for long.
RENDER_SECONDS = 2


def content_version():
    """The current content version, or None if the cache cannot be reached."""
    try:
        version = cache.get(VERSION_KEY)
        if version is None:
            cache.add(VERSION_KEY, 1, timeout=None)
            version = cache.get(VERSION_KEY, 1)
        return version
    except Exception:  # any cache failure: serve without the cache
        log.warning("cache unreachable: serving pages uncached", exc_info=True)
        return None


def bump():
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, 1, timeout=None)
    except Exception:
        log.warning("cache unreachable: could not mark content as changed", exc_info=True)


def content_changed():
    """Mark everything readers see as changed, now and when the transaction commits."""
    bump()
    transaction.on_commit(bump, robust=True)


def cached_page(view=None, *, seconds=None):
    """Serve a reader's page from the cache, with an ETag; see the module docstring."""
    if view is None:
        return functools.partial(cached_page, seconds=seconds)

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        version = content_version()
        if version is None:
            return view(request, *args, **kwargs)
        path = hashlib.sha1(request.get_full_path().encode()).hexdigest()
        key = PAGE_KEY.format(path=path)
        kept = cache_get(key)
        lifetime = seconds or settings.PAGE_CACHE_SECONDS
        fresh = kept and kept["version"] == version
        rendering = RENDERING_KEY.format(path=path, version=version)
        someone_rendering = not fresh and kept and not cache_add(rendering, RENDER_SECONDS)
        if fresh or (someone_rendering and time.time() - kept["at"] < lifetime):
            return response_from(kept, request, lifetime)

        response = view(request, *args, **kwargs)
        if hasattr(response, "render") and not response.is_rendered:
            response.render()  # a TemplateResponse (the sitemap's), to keep its content
        if response.status_code in (200, 404) and not response.streaming:
            kept = {
                "version": version,
                "at": time.time(),
                "status": response.status_code,
                "content": response.content,
                # Compressed once here, not for every reader: most of them accept gzip.
                "gzipped": compress_string(response.content),
                "content_type": response["Content-Type"],
                "etag": quote_etag(hashlib.sha1(response.content).hexdigest()),
            }
            # A render that began before a newer change must not replace the newer page.
            if content_version() != version:
                return response_from(kept, request, lifetime)
            if not cache_set(key, kept, lifetime):
                cache_delete(rendering)  # let the next reader try
            return response_from(kept, request, lifetime)
        return response

    return wrapper


def response_from(kept, request, lifetime):
    if request.headers.get("If-None-Match") == kept["etag"]:
        response = HttpResponseNotModified()
    elif ACCEPTS_GZIP.search(request.headers.get("Accept-Encoding", "")):
        response = HttpResponse(
            kept["gzipped"], status=kept["status"], content_type=kept["content_type"]
        )
        response["Content-Encoding"] = "gzip"
    else:
        response = HttpResponse(
            kept["content"], status=kept["status"], content_type=kept["content_type"]
        )
    response["ETag"] = kept["etag"]
    patch_vary_headers(response, ["Accept-Encoding"])
    patch_cache_control(response, public=True, max_age=0, s_maxage=lifetime)
    return response


def cache_get(key):
    try:
        return cache.get(key)
    except Exception:
        log.warning("cache unreachable", exc_info=True)
        return None


def cache_set(key, value, seconds):
    """Keep a value; False if the cache could not."""
    try:
        cache.set(key, value, seconds)
    except Exception:
        log.warning("cache unreachable", exc_info=True)
        return False
    return True


def cache_delete(key):
    try:
        cache.delete(key)
    except Exception:
        log.warning("cache unreachable", exc_info=True)


def cache_add(key, seconds):
    try:
        return cache.add(key, 1, seconds)
    except Exception:
        return True
