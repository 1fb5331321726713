"""Figures many renders read alike, worked out once per change of what they rest on and
kept in each process: every seat's figures and tallies, the party standings, the
scoreboard. Pages are kept by the HTTP cache in front (pages.http_cache); this keeps
what a render reads, so that the renders a purge brings back to the origin are cheap.

Each tag (pages.invalidation) has a version: a random token in Django's cache, shared by
every process through Redis (REDIS_URL). A change gives the tags it touches new tokens
(`bump`); a value is worked out again when a token it rests on has moved. Without a
shared cache (`make run`) a process cannot hear of another's changes, so there the
site's version also moves every DATA_CACHE_SECONDS. If the cache cannot be reached,
nothing is kept: every value is worked out on each call.
"""

import logging
import secrets
import time
from dataclasses import dataclass
from functools import cached_property

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from pages import invalidation

log = logging.getLogger(__name__)

VERSION_KEY = "version:{tag}"


def read(tags):
    """{tag: token} for each tag (a tag with none is given one; None if it was lost at
    once, which keeps nothing at it); None if the cache is away."""
    keys = {VERSION_KEY.format(tag=tag): tag for tag in tags}
    try:
        found = cache.get_many(keys)
        missing = [key for key in keys if key not in found]
        for key in missing:  # add, not set: a change's token written meanwhile stands
            cache.add(key, secrets.token_hex(6), timeout=None)
        if missing:
            found |= cache.get_many(missing)
    except Exception:
        log.warning("cache unreachable: figures worked out on every render", exc_info=True)
        return None
    tokens = {tag: found.get(key) for key, tag in keys.items()}
    if tokens.get(invalidation.SITE) and not settings.DATA_CACHE_SHARED:
        tokens[invalidation.SITE] += f":{int(time.time() // settings.DATA_CACHE_SECONDS)}"
    return tokens


def write(tags):
    """Give each tag a new token now; a failed write is logged, never raised into a write."""
    try:
        cache.set_many({VERSION_KEY.format(tag=tag): secrets.token_hex(6) for tag in tags}, None)
    except Exception:
        log.warning("cache unreachable: could not mark %s as changed", set(tags), exc_info=True)


def bump(tags):
    """Mark tags as changed now and again when the transaction commits.

    Now, so that a value worked out on this connection (which sees the uncommitted rows)
    is not kept; at commit, so that one worked out elsewhere from the old rows in
    between is out of date as soon as the new rows are visible.
    """
    write(tags)
    transaction.on_commit(lambda: write(tags), robust=True)


class PerVersion:
    """A value worked out once per version of `tags` in this process."""

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


class PerVersionOf:
    """A value for each of many names (a fragment, a post's article), each worked out once
    per version of its own tags, `tags_of(name)`: a declaration renders its region of the
    map again, not the other eleven. `compute(names)` (or the one `get_many` is given)
    gives {name: value} for those not kept, all at once. At most LIMIT names are kept;
    past that, they start afresh."""

    LIMIT = 20_000

    def __init__(self, tags_of, compute):
        self.tags_of, self.compute = tags_of, compute
        self.kept = {}  # name: (the versions of its tags, its value)

    def get_many(self, names, compute=None):
        current = read({tag for name in names for tag in self.tags_of(name)}) or {}
        keys = {name: tuple(current.get(tag) for tag in self.tags_of(name)) for name in names}
        found = {}
        for name in names:
            kept = self.kept.get(name)
            if kept is not None and kept[0] == keys[name] and None not in keys[name]:
                found[name] = kept[1]
        missing = [name for name in names if name not in found]
        if missing:
            fresh = (compute or self.compute)(missing)
            if len(self.kept) + len(fresh) > self.LIMIT:
                self.kept = {}
            for name, value in fresh.items():
                if None not in keys[name]:
                    self.kept[name] = (keys[name], value)
            found |= fresh
        return found


@dataclass(frozen=True)
class SeatReading:
    """What a PerSeat last read, one value, so that a thread never sees half of two."""

    national: dict | None  # the versions of invalidation.NATIONAL it was read at
    values: dict  # {slug: value}, in order
    seat_versions: dict | None  # {slug: the version of its tag its value was read at}

    @cached_property
    def shown(self):
        return tuple(self.values.values())


class PerSeat:
    """A value for each seat now, worked out once per change of the national figures,
    and then only for the seats whose own version moved: a declaration works out its
    seat's again, not all 650. Worked out whole when the site's version moved.

    `read(slugs)` gives (slug, value) for each of `slugs`, or for every seat if None, in
    the order they are shown. Called, the values, in that order."""

    def __init__(self, read):
        self.read = read
        self.kept = None  # a SeatReading

    def __call__(self):
        return self.reading().shown

    def by_slug(self):
        """{slug: value}, in order; a seat's value is the same object until it moves."""
        return self.reading().values

    def reading(self):
        national, kept = read(invalidation.NATIONAL), self.kept
        if national is None or None in national.values():
            return SeatReading(None, dict(self.read(None)), None)
        if kept is not None and national == kept.national:
            return kept
        site = invalidation.SITE
        if kept is None or national[site] != kept.national[site]:
            values = dict(self.read(None))
            seats = seat_versions(national, values)
            reading = SeatReading(national, values, seats)
            # Kept only if no change came while reading: a change bumps its seat's
            # version and the nation's together, so a seat newer than its rows shows.
            if seats and None not in seats.values() and read(invalidation.NATIONAL) == national:
                self.kept = reading
            return reading
        # The seats' versions before their rows: one changed in between is read again at
        # the next look, never kept at a version its rows are older than.
        seats = seat_versions(national, kept.values)
        if seats is None or None in seats.values():
            return SeatReading(None, dict(self.read(None)), None)
        moved = [slug for slug, version in seats.items() if version != kept.seat_versions[slug]]
        values = {**kept.values, **dict(self.read(moved))} if moved else kept.values
        self.kept = SeatReading(national, values, seats)
        return self.kept


class SeatVersions:
    """The versions of the seats, read once per version of the national figures for every
    PerSeat (a change bumps its seat's version with the nation's, so while the nation's
    stands, the seats' do): three PerSeats reading 650 versions each after every
    declaration took a third of the home page's render."""

    def __init__(self):
        self.kept = (None, {})  # (the national versions, {slug: version})

    def __call__(self, national, slugs):
        """{slug: version} for each of `slugs`; None if the cache is away."""
        kept_national, kept = self.kept
        if national == kept_national and all(map(kept.__contains__, slugs)):
            return {slug: kept[slug] for slug in slugs}
        found = read([invalidation.seat(slug) for slug in slugs])
        if found is None:
            return None
        versions = dict(zip(slugs, found.values(), strict=True))
        self.kept = (national, versions)
        return versions


seat_versions = SeatVersions()


class RunningSums:
    """Sums over every seat's value now (`per_seat`, a PerSeat), kept and brought up to
    date seat by seat: a seat's old value taken away and its new one added, rather than
    every seat's added up again. `sums_of(values)` gives an object with `add(value,
    sign=1)` and `copy()`."""

    def __init__(self, per_seat, sums_of):
        self.per_seat, self.sums_of = per_seat, sums_of
        self.kept = None  # ({slug: value}, sums): one value, for threads

    def __call__(self):
        values = self.per_seat.by_slug()
        kept = self.kept
        if kept is not None and kept[0] is values:
            return kept[1]
        if kept is None or kept[0].keys() != values.keys():
            sums = self.sums_of(values.values())
        else:
            before, sums = kept[0], kept[1].copy()
            for slug, value in values.items():
                if value is not before[slug]:  # the same object until its seat moves
                    sums.add(before[slug], -1)
                    sums.add(value)
        self.kept = (values, sums)
        return sums
