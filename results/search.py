"""Finding names from what a reader types: whole words, the start of words, and
misspellings (rapidfuzz), ranked best first. Pure functions over (id, name) pairs; the
reads are the models' `search` QuerySet methods.

A name matches when every word typed matches one of its words: the same word (100),
the start of it (80 to 100, more as more of the word is typed: `kett` is 89 for
`kettering`), or, for a word of FUZZY_LENGTH letters or more, a word spelt nearly alike
(rapidfuzz's `fuzz.ratio`, the share of letters the two have in common, at least
CUTOFF: `kettring` is 94 for `kettering`). Words are matched whole or from their start,
never from inside: `lab` is the start of `labour`, but not of `alaba` or `solabarrieta`.
"""

import re
import unicodedata
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from results.naming import normalise_name

# Below this a near spelling is more often another name than a misspelling: `kettring`
# is 94 for `kettering` and `starmar` 86 for `starmer`, but `northampton` is 82 for
# `southampton`, and `smith` 80 for `smyth`.
CUTOFF = 85
# A shorter word is matched whole or from its start only: one wrong letter in three
# makes another word (`lab`, `lib`).
FUZZY_LENGTH = 4
# The start of a word scores PREFIX_FLOOR, up to 100 as it nears the whole word.
PREFIX_FLOOR = 80
# No name has so many words; more typed cannot all match, so none is looked for.
MOST_WORDS = 12

_POSTCODE = re.compile(r"[a-z]{1,2}[0-9][a-z0-9]?(?: ?[0-9][a-z]{2})?")


@dataclass(frozen=True)
class Match:
    """One name found: its `score` (0 to 100, the mean over the words typed) and the
    share of its words that were matched (`coverage`), so that of two names matched
    equally well, the one nearer the words typed comes first (`labour` is Labour's
    whole name, and one word of five of the SDLP's)."""

    score: float
    coverage: float
    id: object


@dataclass(frozen=True)
class Found:
    """What a search shows: the `shown` best (the rows themselves), and how many
    matched in all (`total`)."""

    shown: list
    total: int

    @classmethod
    def of(cls, matches, rows, limit=None):
        """The rows of the best `limit` matches (all, if None), from {id: row}, each
        given its `search_score`."""
        shown = []
        for match in matches[:limit]:
            row = rows[match.id]
            row.search_score = match.score
            shown.append(row)
        return cls(shown, len(matches))

    @property
    def more(self):
        """Whether more matched than are shown."""
        return self.total > len(self.shown)


def _rank(match):
    return (-match.score, -match.coverage)


def readable(text):
    """What was typed, without control or formatting characters, to search for and to
    show back: a stray NUL or right-to-left mark is no part of a name."""
    return "".join(char for char in text if unicodedata.category(char)[0] != "C").strip()


def looks_like_postcode(text):
    """Whether `text` is a UK postcode (`NN16 8AB`, `nn168ab`) or its first half (`NN16`),
    spaces and case forgiven."""
    return bool(_POSTCODE.fullmatch(" ".join(text.lower().split())))


def word_scores(typed, vocabulary):
    """{word: score} for the words of `vocabulary` that the typed word matches."""
    scores = {}
    if len(typed) >= FUZZY_LENGTH:
        for word, score, _ in process.extract(
            typed, vocabulary, scorer=fuzz.ratio, score_cutoff=CUTOFF, limit=None
        ):
            scores[word] = score
    for word in vocabulary:
        if word.startswith(typed):
            prefix = PREFIX_FLOOR + (100 - PREFIX_FLOOR) * len(typed) / len(word)
            scores[word] = max(scores.get(word, 0), prefix)
    return scores


def ranked(query, names, whole=False):
    """Matches for the `names` that match `query`, best first; of two as good, the one
    named first. `names` are (id, name) pairs, each name as normalise_name gives it
    (the models' `search_name`).

    An id named more than once (a party's name and its abbreviation) is ranked by its
    best. With `whole`, each name and the query are compared as one word: an
    abbreviation is matched whole, not word by word."""
    typed = [normalise_name(query)] if whole else normalise_name(query).split()
    typed = list(dict.fromkeys(word for word in typed if word))
    if not typed or len(typed) > MOST_WORDS:
        return []
    split = [(id_, [name] if whole else name.split()) for id_, name in names]
    vocabulary = list({word for _, words in split for word in words})
    scores = [word_scores(word, vocabulary) for word in typed]
    if not all(scores):
        return []
    best = {}
    for id_, words in split:
        # Most names have no word a typed word matches: isdisjoint, in C, says so fastest.
        if any(found.keys().isdisjoint(words) for found in scores):
            continue
        matched = [max(found.get(word, 0) for word in words) for found in scores]
        covered = sum(1 for word in words if any(word in found for found in scores))
        match = Match(sum(matched) / len(matched), covered / len(words), id_)
        if id_ not in best or _rank(match) < _rank(best[id_]):
            best[id_] = match
    return sorted(best.values(), key=_rank)


def best_of(*rankings):
    """One ranking from several (a party's by name and by abbreviation): each id once,
    at its best; of two as good, the one ranked first."""
    best = {}
    for match in (match for ranking in rankings for match in ranking):
        if match.id not in best or _rank(match) < _rank(best[match.id]):
            best[match.id] = match
    return sorted(best.values(), key=_rank)
