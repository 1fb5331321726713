"""Finding constituencies named in a post's text, and linking them. Pure: no database here."""

import re

from liveblog.markup import escape_attribute, escape_text, rewrite_text
from results.naming import normalise_name

# A one-word name straight after a capitalised word is part of a person's name
# ("Peter Bedford"), unless that word is one that starts a phrase ("In Bedford").
PHRASE_WORDS = frozenset(
    """a about across after against along also and around as at back before behind between
    beyond both but by during for from in inside into just like near neither nor of off
    on or outside over past since than the through to tonight today towards under unlike
    until up via when where whereas while with within without""".split()
)
CAPITALISED_WORD_BEFORE = re.compile(r"([A-Z][\w'’-]*) +$")


def name_pattern(name):
    """A regex for a name, forgiving case, commas and `&` for `and`."""
    words = normalise_name(name).split()
    parts = [r"(?:and|&)" if word == "and" else re.escape(word) for word in words]
    return r"[\s,]+".join(parts)


class MentionFinder:
    """Finds which of some named things a text names: `{key: name}` in, keys out.

    Longer names win over shorter ones they contain, and a match must stand as whole
    words: "Northampton North" is found in "Northampton North's count", "Derby" alone
    names no seat. A one-word name after a capitalised word that does not start a phrase
    is taken for a surname and skipped: "Peter Bedford" names no seat, "in Bedford" does.
    """

    def __init__(self, names):
        self.keys = {normalise_name(name): key for key, name in names.items()}
        alternatives = sorted(names.values(), key=len, reverse=True)
        self.pattern = (
            re.compile(
                r"(?<!\w)(?:" + "|".join(name_pattern(name) for name in alternatives) + r")(?!\w)",
                re.IGNORECASE,
            )
            if alternatives
            else None
        )

    def matches(self, text):
        """(key, match) for every name found in `text`, in order."""
        if self.pattern is None:
            return
        for match in self.pattern.finditer(text):
            if " " not in match.group(0) and self.follows_a_forename(text, match.start()):
                continue
            yield self.keys[normalise_name(match.group(0))], match

    @staticmethod
    def follows_a_forename(text, start):
        before = CAPITALISED_WORD_BEFORE.search(text[max(0, start - 40) : start])
        return bool(before) and before.group(1).lower() not in PHRASE_WORDS

    def find(self, texts):
        return {key for text in texts for key, _ in self.matches(text)}


def link_mentions(markup, finder, urls):
    """Body markup, sanitised again, with the first mention of each of `finder`'s names
    in text outside a link made a link to `urls[key]`.

    The markup is parsed (liveblog.markup.rewrite_text): names are found in its text
    only, never in a tag or an attribute, and the links are written as elements.
    """
    linked = set()

    def link(text):
        parts = []
        position = 0
        for key, match in finder.matches(text):
            if key in linked or key not in urls:
                continue
            linked.add(key)
            parts.append(escape_text(text[position : match.start()]))
            parts.append(
                f'<a href="{escape_attribute(urls[key])}">{escape_text(match.group(0))}</a>'
            )
            position = match.end()
        parts.append(escape_text(text[position:]))
        return "".join(parts)

    return rewrite_text(markup, link)
