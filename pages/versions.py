"""Versions of what pages show, kept in the shared cache: one short token per tag.

A tag names something a page shows (see pages.invalidation): `nation`, `seat:kettering`,
`live:derbyshire`. A change gives each tag it touches a new random token; a kept page
records the tokens it was rendered at and is current while they are. Tokens, not
counters: setting one is a single write, and two writers can never agree on one by
accident. A tag never written reads as None, like one the cache has lost; either way a
page rendered at another value is out of date.

Every function here treats an unreachable cache as "no versions": pages are then
rendered without the cache, and a failed bump is logged, not raised into the write.
"""

import logging
import secrets
import time

from django.core.cache import cache
from django.db import transaction

log = logging.getLogger(__name__)

VERSION_KEY = "v:{tag}"
# When this process last wrote a version (time.monotonic()): what it checked before then
# it must check again (pages.cache.Kept.is_trusted).
last_write = float("-inf")


def read(tags):
    """{tag: token or None} for each tag, in one round trip; None if the cache is away."""
    keys = {VERSION_KEY.format(tag=tag): tag for tag in tags}
    try:
        found = cache.get_many(keys)
    except Exception:
        log.warning("cache unreachable: serving pages uncached", exc_info=True)
        return None
    return {tag: found.get(key) for key, tag in keys.items()}


def write(tags):
    """Give each tag a new token now, in one round trip."""
    global last_write
    if not tags:
        return
    last_write = time.monotonic()
    try:
        cache.set_many(
            {VERSION_KEY.format(tag=tag): secrets.token_hex(6) for tag in tags}, timeout=None
        )
    except Exception:
        log.warning("cache unreachable: could not mark %s as changed", tags, exc_info=True)


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
