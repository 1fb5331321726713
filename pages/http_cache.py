"""What a reader's page tells the HTTP caches in front of the site (Varnish, a CDN): how
long it may be kept, and the surrogate keys of what it shows, by which a change purges
it (pages.purge).

- `Cache-Control`: a browser keeps a page BROWSER_CACHE_SECONDS, a shared cache
  HTTP_CACHE_SECONDS (bounded: a purge missed is caught by it), and may serve it stale
  while it fetches the new one, or while the site is down. A page that shows posts is
  kept no later than the next post published for later comes due, so nothing is shown
  after its time from a page kept before it.
- `Surrogate-Key`: the tags (pages.invalidation) of what the page shows, with those of
  the fragments rendered into it (pages.fragments).
- `Surrogate-Control`, when the page leaves its strip to Varnish's ESI.

A page's absolute URLs (canonical links, feeds, sitemaps) name SITE_URL, whichever of
ALLOWED_HOSTS a reader asked by (Django has refused any other with a 400 by then).
"""

import functools
import re
from urllib.parse import urlsplit

from django.conf import settings
from django.core.handlers.exception import response_for_exception
from django.http import Http404
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from liveblog.models import Post
from pages import fragments, invalidation, params
from pages.replay_links import keep_the_moment

STALE_WHILE_REVALIDATE_SECONDS = 30
STALE_IF_ERROR_SECONDS = 86400
# Answers that are the same for every reader who asks: pages, redirects, not found.
KEPT_STATUSES = frozenset({200, 301, 302, 404, 410})
# A key is a tag (pages.invalidation); one made of whatever an API URL held (a name with
# a line break, which names nothing) is no key.
KEY = re.compile(r"[-\w:]+", re.ASCII)


def reader_page(view=None, *, reads=(), shows=None, validates=False):
    """A reader's page, with what it tells the HTTP caches.

    `reads`: the query parameters it reads (pages.params), passed to the view as keyword
    arguments, a value that does not parse as its default; `shows(**kwargs)`: the tags of
    what it shows, from its URL's and those arguments. With `validates`, the view reads
    and checks its query itself (the JSON API, which answers a bad value with an error),
    and `shows` is given its URL's arguments only.
    """
    if view is None:
        return functools.partial(reader_page, reads=reads, shows=shows, validates=validates)

    @functools.wraps(view)
    @require_safe
    def wrapper(request, **kwargs):
        values = {} if validates else params.parsed(request.GET, reads)
        arguments = {**kwargs, **values}
        request.surrogate_keys = {invalidation.SITE, *(shows(**arguments) if shows else ())}
        site = urlsplit(settings.SITE_URL)
        request.get_host, request._get_scheme = lambda: site.netloc, lambda: site.scheme
        if validates and request.method == "HEAD":
            request.method = "GET"  # the API's routes answer GET alone; HEAD is GET's head
        try:
            response = view(request, **arguments)
        except Http404 as error:  # kept too, purged with the keys of what it would show
            keys, request.surrogate_keys = request.surrogate_keys, None  # an error page
            response = response_for_exception(request, error)  # shows no fragments
            request.surrogate_keys = keys
        if hasattr(response, "render") and not response.is_rendered:
            response.render()  # a TemplateResponse (the sitemap's): its fragments' keys too
        return cacheable(request, keep_the_moment(response, values.get("at")))

    wrapper.reads = tuple(reads)  # what Varnish leaves of a query (pages.vcl)
    return wrapper


def cacheable(request, response):
    if response.status_code not in KEPT_STATUSES or response.has_header("Cache-Control"):
        return response
    keys = request.surrogate_keys
    shared = settings.HTTP_CACHE_SECONDS
    if invalidation.shows_posts(keys):
        shared = min(shared, seconds_to_next_post())
    patch_cache_control(
        response,
        public=True,
        max_age=min(settings.BROWSER_CACHE_SECONDS, shared),
        s_maxage=shared,
        stale_while_revalidate=STALE_WHILE_REVALIDATE_SECONDS,
        stale_if_error=STALE_IF_ERROR_SECONDS,
    )
    response["Surrogate-Key"] = " ".join(sorted(key for key in keys if KEY.fullmatch(key)))
    if getattr(request, "includes_esi", False):
        response["Surrogate-Control"] = fragments.ESI_CONTROL
    return response


def seconds_to_next_post():
    """Whole seconds until the next post published for later comes due (a large number
    if none is)."""
    due = Post.objects.next_scheduled_at()
    if due is None:
        return settings.HTTP_CACHE_SECONDS
    return max(0, int((due - timezone.now()).total_seconds()))
