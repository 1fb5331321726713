"""How strong a secret key is: what the settings refuse to start with when not debugging."""

import math
from collections import Counter

# `secrets.token_urlsafe(50)` (the README's key) measures about 320 bits, Django's own
# `get_random_secret_key()` and `secrets.token_hex(32)` about 220, and the keys the
# tests and benchmarks use about 180; a key of one repeated letter measures 0.
MIN_BITS = 160


def strength_bits(key):
    """The key's length times the Shannon entropy of its characters, in bits: what
    guessing it would cost were each character drawn as often as it appears. It
    under-counts a truly random key (a 64-character hex key has 256 bits and measures
    about 240) and cannot see a pattern (`abcdefghij` five times measures 166), but a
    short key, or one of few characters, measures low."""
    counts = Counter(key)
    return round(-sum(n * math.log2(n / len(key)) for n in counts.values()))
