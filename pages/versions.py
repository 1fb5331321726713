"""Versions of what pages show: one short token per tag, shared through the cache, and
mirrored in each process so that checking a page costs no round trip.

A tag names something a page shows (see pages.invalidation): `nation`, `seat:kettering`,
`live:derbyshire`. A change gives each tag it touches a new random token; a kept page
records the tokens it was rendered at and is current while they are. Tokens, not
counters: setting one is a single write, and two writers can never agree on one by
accident. A tag never written reads as None, like one the cache has lost; either way a
page rendered at another value is out of date.

The mirror: each process keeps the tokens it has read. Every write is also an entry in a
log kept in the cache, numbered by a shared counter (GENERATION_KEY). At most every
PAGE_CACHE_SYNC_SECONDS a process reads the counter (one small round trip) and, if it
moved, the entries since its last look, and applies them; that is the bound for a change
made by another process to reach this one. A process's own writes reach its mirror at
once. A writer sets the tags' own keys before it takes a number and logs the entry after,
so a process that finds an entry missing (not yet written, or lost) can start its mirror
afresh from the keys, which are already current.

Without a shared cache (`make run`: no REDIS_URL, a local memory cache in each
process), the versions, the log and the mirror are each process's own, and another
process's changes (a second `manage.py`, `rehearse_night`) are never heard of: not by
the pages kept, nor by what is worked out once per version (PerVersion, the seats'
readings in pages.seats), which an expiry of pages alone would render again from the
same stale readings. So there, `site` (everything) is given a new version every
PAGE_CACHE_SECONDS (`Mirror.renew`): nothing is then served that was read more than
that long ago, whoever made the change.

Every function here treats an unreachable cache as "no versions": pages are then
rendered without the cache, and a failed write is logged, not raised into the write.
"""

import logging
import secrets
import threading
import time

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

log = logging.getLogger(__name__)

VERSION_KEY = "v:{tag}"
GENERATION_KEY = "v:generation"
LOG_KEY = "v:log:{number}"
LOG_SECONDS = 600  # far longer than any process goes between looks
CATCH_UP_LIMIT = 500  # further behind than this, a process starts its mirror afresh
# Tags a mirror holds at most: one per page and seat, a few thousand on the night; asked
# for pages that do not exist, it starts afresh rather than grow without end.
MIRROR_LIMIT = 50_000


# The tag of everything a page shows (pages.invalidation.SITE is this one).
EVERYTHING = "site"


class Mirror:
    """This process's copy of the versions it has read, kept up to date from the log."""

    def __init__(self):
        self.tokens = {}
        self.generation = None  # the last entry applied
        self.synced_at = float("-inf")
        self.renewed_at = float("-inf")
        self.lock = threading.Lock()

    def reset(self):
        with self.lock:
            self.tokens = {}
            self.generation = None
            self.synced_at = float("-inf")
            self.renewed_at = float("-inf")

    def renew(self):
        """Without a shared cache, a new version of everything every PAGE_CACHE_SECONDS:
        the bound for a change made by another process, which this one cannot hear."""
        if settings.PAGE_CACHE_SHARED:
            return
        now = time.monotonic()
        if now - self.renewed_at < settings.PAGE_CACHE_SECONDS:
            return
        with self.lock:
            if now - self.renewed_at < settings.PAGE_CACHE_SECONDS:
                return  # another thread renewed it meanwhile
            # The first look of a process (or since clear_local): nothing kept rests on
            # a version yet. Not the mirror's tokens: a sync may have just emptied them.
            first = self.renewed_at == float("-inf")
            self.renewed_at = now
        if not first:
            write([EVERYTHING])

    def sync(self):
        """Apply the log's new entries, if it is time to look; False if the cache is away."""
        now = time.monotonic()
        if now - self.synced_at < settings.PAGE_CACHE_SYNC_SECONDS:
            return True
        with self.lock:
            try:
                generation = cache.get(GENERATION_KEY)
                entries = self.entries_since(generation)
            except Exception:
                log.warning("cache unreachable: serving pages uncached", exc_info=True)
                return False
            if entries is None:  # too far behind, or an entry is missing: start afresh
                self.tokens = {}
            else:
                for entry in entries:
                    self.tokens.update(entry)
            self.generation = generation
            self.synced_at = now
            return True

    def entries_since(self, generation):
        """The log entries after the last one applied, in order; None if they cannot all
        be read (the counter went back, a gap too long, an entry not there)."""
        if generation == self.generation:
            return []
        if self.generation is None:
            return None if self.tokens else []
        if generation is None or generation < self.generation:
            return None
        if generation - self.generation > CATCH_UP_LIMIT:
            return None
        keys = [LOG_KEY.format(number=n) for n in range(self.generation + 1, generation + 1)]
        found = cache.get_many(keys)
        if len(found) < len(keys):
            return None
        return [found[key] for key in keys]

    def read(self, tags):
        """{tag: token or None}, from the mirror and, for tags it lacks, the cache."""
        if not self.sync():
            return None
        self.renew()
        missing = [tag for tag in tags if tag not in self.tokens]
        if missing and len(self.tokens) + len(missing) > MIRROR_LIMIT:
            with self.lock:
                self.tokens = {}
            missing = list(tags)
        if missing:
            keys = {VERSION_KEY.format(tag=tag): tag for tag in missing}
            try:
                found = cache.get_many(keys)
            except Exception:
                log.warning("cache unreachable: serving pages uncached", exc_info=True)
                return None
            with self.lock:
                for key, tag in keys.items():
                    self.tokens.setdefault(tag, found.get(key))
        tokens = self.tokens
        return {tag: tokens.get(tag) for tag in tags}


mirror = Mirror()


def read(tags):
    """{tag: token or None} for each tag; None if the cache is away."""
    return mirror.read(tags)


def write_values(values):
    """Set tags to values ({tag: token}) now: in this process's mirror at once, in the
    cache's keys, then as an entry in the log for the other processes."""
    if not values:
        return
    mirror.tokens.update(values)
    try:
        cache.set_many({VERSION_KEY.format(tag=tag): value for tag, value in values.items()}, None)
        cache.add(GENERATION_KEY, 0, timeout=None)
        number = cache.incr(GENERATION_KEY)
        cache.set(LOG_KEY.format(number=number), values, LOG_SECONDS)
    except Exception:
        log.warning("cache unreachable: could not mark %s as changed", set(values), exc_info=True)


def write(tags):
    """Give each tag a new token now."""
    write_values({tag: secrets.token_hex(6) for tag in tags})


class PerVersion:
    """A value worked out once per version of `tags` in this process (what every page
    that shows them reads alike); worked out again on every call while a version is
    unknown (never written, or lost), which says nothing of what changed."""

    def __init__(self, tags, compute):
        self.tags, self.compute = tuple(tags), compute
        self.kept = (None, None)  # (the versions, the value): one value, for threads

    def __call__(self):
        current = read(self.tags)
        key = tuple(current.values()) if current and None not in current.values() else None
        kept_key, value = self.kept
        if key is None or key != kept_key:
            value = self.compute()
            self.kept = (key, value)
        return value


class CommitBump:
    """The tags touched in one transaction, bumped once more when it commits."""

    def __init__(self):
        self.tags = set()

    def __call__(self):
        write(self.tags)


def bump(tags):
    """Mark tags as changed now and again when the transaction commits.

    Now, so that a render on this connection (which sees the uncommitted rows) is not
    kept as current; at commit, so that a render elsewhere from the old rows, begun in
    between, is out of date as soon as the new rows are visible. At commit, each tag a
    transaction touched is written once, however often it was touched.
    """
    tags = set(tags)
    write(tags)
    connection = transaction.get_connection()
    if connection.in_atomic_block:
        pending = next(
            (func for _, func, _ in connection.run_on_commit if isinstance(func, CommitBump)),
            None,
        )
        if pending is None:
            pending = CommitBump()
            transaction.on_commit(pending, robust=True)
        pending.tags |= tags
