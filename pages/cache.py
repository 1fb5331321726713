"""Readers' pages, each rendered once per change of what it shows.

- A page says what it shows as tags (pages.invalidation); each tag has a version in the
  shared cache (pages.versions), and a change writes new versions for the tags it
  touches only. A kept page records the versions it was rendered at and is served while
  they are current: a post in Northamptonshire leaves a Derbyshire page as it is.
- With Redis (REDIS_URL), versions are shared by every process, so pages have no expiry
  by the clock: a page lives until something it shows changes (SAFETY_SECONDS only keeps
  the store tidy). Each process keeps recent pages in its own memory too (an LRU of
  PAGE_CACHE_LOCAL_MB) in front of Redis, and a mirror of the versions (pages.versions)
  that it brings up to date at most every PAGE_CACHE_SYNC_SECONDS, so a hit costs no
  round trip at all: neither the page nor its versions cross the network.
- Without Redis (`make run`, one process), the cache is local to each process, as are the
  versions; `site` is then given a new version every PAGE_CACHE_SECONDS (pages.versions),
  so that pages, fragments and what is worked out once per version are all read again:
  the bound for any other process to see a change. A page also expires after as long.
- A page kept and current, with its fragments, is answered by KeptPageMiddleware before
  the URL is resolved and before the middleware that cannot change it (`serve_kept`);
  anything else (out of date, a redirect, a scheduled post come due) goes on to the view.
- Parts many pages share (the national strip) are fragments (pages.fragments), rendered
  once per change and spliced into each page as it is served. Each piece is gzipped once
  on its own, so a page is spliced and gzipped without compressing anything again.
- The key is the path and the canonical values of the parameters the page reads
  (pages.params); the page is rendered for a request that carries only those, at the
  host and scheme of SITE_URL, so nothing a reader sends ends up in what others get.
- While one request renders a page that is out of date, others get the previous
  rendering; a render lost for RENDER_SECONDS lets another request try.
- If the cache is unreachable, pages are rendered without it.
"""

import copy
import functools
import hashlib
import logging
import re
import struct
import threading
import time
import zlib
from collections import OrderedDict
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import cache
from django.dispatch import Signal
from django.http import HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import parse_etags
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_safe

from pages import fragments, invalidation, params, versions

log = logging.getLogger(__name__)

PAGE_KEY = "page:{digest}"
RENDERING_KEY = "rendering:{digest}"
RENDER_SECONDS = 2
# A page, or a redirect (a search naming one seat goes to its page): kept alike.
KEPT_STATUSES = {200, 301, 302}
SAFETY_SECONDS = 3600
# A gzip member with no name and no time, then pieces of raw deflate each ended with a
# full flush (byte-aligned, no shared history), then an empty final block.
GZIP_HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"
DEFLATE_END = b"\x03\x00"
# Sent with `name` (a page's path and canonical query, or a fragment's name) after each
# render: what the tests and the night benchmark count.
rendered = Signal()
GZIP_CODING = re.compile(r"^\s*(gzip|\*)\s*(?:;\s*q\s*=\s*([0-9.]+))?\s*$", re.I)


def deflate(piece):
    """A piece as raw deflate blocks, to be joined with others into one gzip stream. Its
    window no larger than the piece needs (zlib keeps 262 bytes of it for looking ahead):
    the same bytes out, from a compressor set up in about half the time; a page has a
    piece on each side of every fragment in it (the home page, 16)."""
    window = max(9, min(zlib.MAX_WBITS, (len(piece) + 261).bit_length()))
    compressor = zlib.compressobj(6, zlib.DEFLATED, -window)
    return compressor.compress(piece) + compressor.flush(zlib.Z_FULL_FLUSH)


@dataclass
class Kept:
    """A rendered page or fragment: its pieces around the fragments it contains."""

    versions: dict
    status: int
    content_type: str
    pieces: tuple
    fragments: tuple
    rendered_at: float
    deflated: tuple = ()
    digest: str = ""
    # The page as last served, with the fragments it was served with (not stored in Redis).
    assembled: object = field(default=None, compare=False)
    location: str = ""  # where a kept redirect goes

    def __post_init__(self):
        self.deflated = self.deflated or tuple(deflate(piece) for piece in self.pieces)
        self.digest = self.digest or hashlib.sha1(b"".join(self.pieces)).hexdigest()[:20]

    def __getstate__(self):
        return {**self.__dict__, "assembled": None}

    @property
    def size(self):
        return 2 * sum(map(len, self.pieces)) + sum(map(len, self.deflated))

    def is_current(self, current):
        if any(current.get(tag) != version for tag, version in self.versions.items()):
            return False
        lifetime = None if settings.PAGE_CACHE_SHARED else settings.PAGE_CACHE_SECONDS
        return lifetime is None or time.time() - self.rendered_at < lifetime


@dataclass(frozen=True)
class Assembled:
    parts: tuple  # the digests it was assembled from
    plain: bytes
    gzipped: bytes
    etag: str


def kept_from(response, page_versions):
    content = response.content
    parts = fragments.MARKER_PATTERN.split(content)
    return Kept(
        versions=page_versions,
        status=response.status_code,
        content_type=response["Content-Type"],
        location=response.get("Location", ""),
        pieces=tuple(parts[0::2]),
        fragments=tuple(name.decode() for name in parts[1::2]),
        rendered_at=time.time(),
    )


def assemble(page, parts):
    """The page with its fragments in place, plain and gzipped (kept for the next reader)."""
    digests = (page.digest, *(part.digest for part in parts))
    if page.assembled is not None and page.assembled.parts == digests:
        return page.assembled
    plain, deflated = [page.pieces[0]], [page.deflated[0]]
    for part, piece, squeezed in zip(parts, page.pieces[1:], page.deflated[1:], strict=True):
        plain += [part.pieces[0], piece]
        deflated += [part.deflated[0], squeezed]
    plain = b"".join(plain)
    trailer = struct.pack("<II", zlib.crc32(plain), len(plain) & 0xFFFFFFFF)
    etag = hashlib.sha1("/".join(digests).encode()).hexdigest()[:24]
    page.assembled = Assembled(
        digests, plain, GZIP_HEADER + b"".join(deflated) + DEFLATE_END + trailer, etag
    )
    return page.assembled


class LocalPages:
    """This process's most recently used entries, up to a total size: pages and fragments
    by their size in bytes, or any other entries by `size_of`."""

    def __init__(self, max_size, size_of=lambda kept: kept.size):
        self.max_size = max_size
        self.size_of = size_of
        self.entries = OrderedDict()
        self.size = 0
        self.lock = threading.Lock()

    def get(self, key):
        with self.lock:
            kept = self.entries.get(key)
            if kept is not None:
                self.entries.move_to_end(key)
            return kept

    def put(self, key, kept):
        with self.lock:
            if (old := self.entries.pop(key, None)) is not None:
                self.size -= self.size_of(old)
            self.entries[key] = kept
            self.size += self.size_of(kept)
            while self.size > self.max_size and self.entries:
                _, dropped = self.entries.popitem(last=False)
                self.size -= self.size_of(dropped)

    def clear(self):
        with self.lock:
            self.entries.clear()
            self.size = 0


local_pages = LocalPages(settings.PAGE_CACHE_LOCAL_MB * 1024 * 1024)


def stored(key):
    """A page kept in the shared cache (Redis), or None."""
    if not settings.PAGE_CACHE_SHARED:
        return None
    try:
        return cache.get(key)
    except Exception:
        log.warning("cache unreachable", exc_info=True)
        return None


def keep(key, kept):
    local_pages.put(key, kept)
    if settings.PAGE_CACHE_SHARED:
        try:
            cache.set(key, kept, SAFETY_SECONDS)
        except Exception:
            log.warning("cache unreachable", exc_info=True)
            return False
    return True


def rendering_key(key, page_versions):
    """The claim on rendering one page at one set of versions."""
    versions_digest = hashlib.sha1(repr(sorted(page_versions.items())).encode()).hexdigest()
    return RENDERING_KEY.format(digest=f"{key}:{versions_digest[:16]}")


def cache_delete(key):
    try:
        cache.delete(key)
    except Exception:
        log.warning("cache unreachable", exc_info=True)


def claim_render(claim):
    """True if this request should render the page (no one else is, it seems)."""
    try:
        return cache.add(claim, 1, RENDER_SECONDS)
    except Exception:
        return True


# What nearly every page and fragment shows, given a version before anything is rendered
# at none: kept at "unknown", pages would all be out of date when the first change
# named them, and what is worked out once per version (the standings every party
# page's figures read, pages.fragments) would be worked out on every render instead.
STARTED_TAGS = invalidation.NATIONAL


def read_versions(tags, *, release=True):
    """Current versions of `tags`, releasing scheduled posts that have come due; None if
    the cache is unreachable, or if a post is due and `release` is false."""
    current = versions.read({*tags, *STARTED_TAGS, invalidation.NEXT_DUE})
    unknown = [tag for tag in STARTED_TAGS if current and current[tag] is None]
    if unknown:  # a new cache, or one that lost them
        versions.write(unknown)
        current = versions.read({*tags, *STARTED_TAGS, invalidation.NEXT_DUE})
    if current is not None and invalidation.is_due(current[invalidation.NEXT_DUE]):
        if not release:
            return None
        invalidation.release_due_posts(current[invalidation.NEXT_DUE])
        current = versions.read(tags)
    return current


def kept_current(key, current):
    """(the kept page if current, else None; the previous rendering, if any)."""
    kept = local_pages.get(key)
    if kept is not None and kept.is_current(current):
        return kept, kept
    shared = stored(key)
    if shared is not None and shared.is_current(current):
        local_pages.put(key, shared)
        return shared, shared
    return None, kept or shared


def current_or_render(key, name, tags, current, render, *, waits=True):
    """The kept page or fragment if it is current; else a new rendering, kept.

    `render()` returns a Kept, or a response not to keep (a redirect). With `waits`
    false, the previous rendering is served while another request renders.
    """
    page_versions = {tag: current.get(tag) for tag in tags}
    kept, previous = kept_current(key, current)
    if kept is not None:
        return kept
    claim = rendering_key(key, page_versions)
    if previous is not None and not waits and not claim_render(claim):
        return previous
    fresh = render(page_versions)
    rendered.send(sender=Kept, name=name)
    if isinstance(fresh, Kept) and not keep(key, fresh):
        cache_delete(claim)  # let the next reader try
    return fresh


def fragment(name, current):
    """A fragment, current, from this process, Redis or a new rendering."""
    tags = fragments.tags_of(name)
    if current is None or not set(tags) <= current.keys():
        current = versions.read(tags)
    if current is None:
        return rendered_fragment(name, {})
    return current_or_render(
        f"fragment:{name}",
        name,
        tags,
        current,
        lambda page_versions: rendered_fragment(name, page_versions),
    )


def rendered_fragment(name, page_versions):
    return Kept(
        versions=page_versions,
        status=200,
        content_type="text/html",
        pieces=(fragments.render(name).encode(),),
        fragments=(),
        rendered_at=time.time(),
    )


def kept_parts(parts, render_missing):
    """HTML that many renders share, each part rendered once per change of its tags.

    `parts` are (name, tags); `render_missing(names)` renders those not kept, all at
    once, as {name: HTML}: a post as pages show it, say, which the county page, its
    updates and the post's own page would otherwise each render again, with the post's
    body loaded only for the posts not kept. Returns the HTML in the order of `parts`.
    """
    current = versions.read({tag for _, part_tags in parts for tag in part_tags})
    found = {}
    if current is not None:
        for name, _ in parts:
            kept, _ = kept_current(f"part:{name}", current)
            if kept is not None:
                found[name] = kept.pieces[0].decode()
    missing = [name for name, _ in parts if name not in found]
    if missing:
        fresh = render_missing(missing)
        for name, part_tags in parts:
            if name in fresh and current is not None:
                keep(
                    f"part:{name}",
                    Kept(
                        versions={tag: current.get(tag) for tag in part_tags},
                        status=200,
                        content_type="text/html",
                        pieces=(fresh[name].encode(),),
                        fragments=(),
                        rendered_at=time.time(),
                    ),
                )
        found |= fresh
    return [mark_safe(found[name]) for name, _ in parts]


def accepts_gzip(request):
    """Whether Accept-Encoding admits gzip (a `q=0` refuses it)."""
    header = request.headers.get("Accept-Encoding", "")
    if ";" not in header:  # no q-values: the common case, read without a pattern
        codings = {coding.strip().lower() for coding in header.split(",")}
        return "gzip" in codings or "*" in codings
    accepted = False
    for coding in header.split(","):
        match = GZIP_CODING.match(coding)
        if match:
            quality = float(match[2]) if match[2] else 1.0
            if match[1].lower() == "gzip":
                return quality > 0
            accepted = quality > 0  # `*`, unless gzip is named
    return accepted


def respond(request, page, assembled, cdn_seconds):
    if page.location:
        response = HttpResponse(status=page.status)
        response["Location"] = page.location
        patch_cache_control(response, public=True, max_age=0, s_maxage=cdn_seconds)
        return response
    gzipped = accepts_gzip(request)
    # Each encoding is its own representation, with its own strong ETag.
    etag = f'"{assembled.etag}{"-gzip" if gzipped else ""}"'
    if etag in parse_etags(request.headers.get("If-None-Match", "")):
        response = HttpResponseNotModified()
    elif gzipped:
        response = HttpResponse(assembled.gzipped, status=page.status)
        response["Content-Encoding"] = "gzip"
    else:
        response = HttpResponse(assembled.plain, status=page.status)
    response["Content-Type"] = page.content_type
    response["Content-Length"] = str(len(response.content))
    response["ETag"] = etag
    patch_vary_headers(response, ["Accept-Encoding"])
    patch_cache_control(response, public=True, max_age=0, s_maxage=cdn_seconds)
    return response


def site_request(request, query):
    """The request as the page is rendered for: only the canonical parameters, at the
    host and scheme of SITE_URL (feeds, the sitemap and `og:url` are absolute)."""
    site = urlsplit(settings.SITE_URL)
    page_request = copy.copy(request)
    page_request.GET = query
    page_request.META = {
        **request.META,
        "QUERY_STRING": query.urlencode(),
        "HTTP_HOST": site.netloc,
    }
    if settings.SECURE_PROXY_SSL_HEADER:
        header, secure = settings.SECURE_PROXY_SSL_HEADER
        page_request.META[header] = secure if site.scheme == "https" else site.scheme
    page_request.get_host = lambda: site.netloc
    page_request._get_scheme = lambda: site.scheme
    page_request.fills_fragments = True
    return page_request


def cached_page(view=None, *, reads=(), shows=None, cdn_seconds=None, validates=False):
    """Serve a reader's page from the cache (see the module docstring).

    `reads`: the query parameters it reads, passed to the view as keyword arguments;
    `shows(**kwargs)`: the tags of what it shows, from its URL's and those arguments;
    `cdn_seconds`: how long a CDN may keep it (PAGE_CACHE_SECONDS unless given);
    `validates`: the view reads and checks the query itself (the JSON API, which answers
    a bad value with an error rather than reading it as the default): it is given the
    request's own query and no arguments for it, and an error is never kept. The key is
    the canonical values still, so a stray parameter neither renders nor keeps anything.
    """
    if view is None:
        return functools.partial(
            cached_page, reads=reads, shows=shows, cdn_seconds=cdn_seconds, validates=validates
        )
    page_view = PageView(view, tuple(reads), shows, cdn_seconds, validates)

    @functools.wraps(view)
    @require_safe
    def wrapper(request, **kwargs):
        return page_view.serve(request, kwargs)

    return wrapper


@dataclass(frozen=True)
class PageView:
    """A reader's page as cached_page serves it."""

    view: object
    reads: tuple
    shows: object
    cdn_seconds: int | None
    validates: bool

    def serve(self, request, kwargs, *, kept_only=False):
        """The page, kept or rendered now; with `kept_only`, None unless it is kept and
        current, with its fragments (KeptPageMiddleware)."""
        try:
            if self.validates and not all(map(params.is_slug, kwargs.values())):
                raise ValueError("not a slug")
            values, query = params.canonical(
                params.query_of(request, self.reads), self.reads, strict=self.validates
            )
        except ValueError:
            if kept_only:
                return None
            return self.view(request, **kwargs)  # its own error, never kept, no tag made of it
        arguments = {**kwargs, **values}
        tags = (invalidation.SITE, *(self.shows(**arguments) if self.shows else ()))
        name = f"{request.path}?{query.urlencode()}"
        key = PAGE_KEY.format(digest=hashlib.sha1(name.encode()).hexdigest())

        def render(page_versions):
            if self.validates:
                response = self.view(site_request(request, request.GET), **kwargs)
            else:
                response = self.view(site_request(request, query), **arguments)
            if hasattr(response, "render") and not response.is_rendered:
                response.render()  # a TemplateResponse (the sitemap's)
            if response.status_code not in KEPT_STATUSES or response.streaming:
                return response
            return kept_from(response, page_versions)

        known = local_pages.get(key)
        if kept_only and known is None:
            return None
        wanted = set(tags)
        if known is not None:
            wanted |= {tag for name in known.fragments for tag in fragments.tags_of(name)}
        # Early, nothing is rendered and no post released: a post come due, a page or
        # fragment out of date, a redirect, are left to the whole chain and the view.
        current = read_versions(wanted, release=not kept_only)
        if kept_only:
            page = None if current is None else kept_current(key, current)[0]
            if page is None or page.location:
                return None
            parts = [kept_current(f"fragment:{name}", current)[0] for name in page.fragments]
            if None in parts:  # a tag not read counts as out of date (Kept.is_current)
                return None
        else:
            if current is None:
                page = render({})
                rendered.send(sender=Kept, name=name)
            else:
                page = current_or_render(key, name, tags, current, render, waits=False)
            if not isinstance(page, Kept):
                return page
            # Known from now on to the middleware, which serves it while it is current.
            known_pages.put(request.path, (self, kwargs))
            parts = [fragment(name, current) for name in page.fragments]
        return respond(
            request, page, assemble(page, parts), self.cdn_seconds or settings.PAGE_CACHE_SECONDS
        )


# The paths of pages kept in this process, each with the view that serves it and its
# URL's arguments, as resolved when it was first kept: KeptPageMiddleware serves a kept
# page from these without resolving its URL or running the rest of the middleware. Only
# kept pages are remembered (not every address asked for), and at most 20,000.
known_pages = LocalPages(20_000, size_of=lambda known: 1)


def serve_kept(request):
    """The response to a reader's request for a page kept and current, or None."""
    if request.method not in ("GET", "HEAD"):
        return None
    known = known_pages.get(request.path)
    if known is None:
        return None
    page_view, kwargs = known
    return page_view.serve(request, kwargs, kept_only=True)


def clear_local():
    """Forget the pages and versions kept in this process (tests start from nothing)."""
    local_pages.clear()
    known_pages.clear()
    versions.mirror.reset()
