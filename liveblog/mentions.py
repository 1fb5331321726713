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
# A seat's name followed by one of these names something else that shares it: a council
# ("Erewash Borough Council", "Erewash council"), a building ("Kettering Leisure
# Village"), a club or a paper. Matched as the next word, in any case.
NOT_THE_SEAT_AFTER = frozenset(
    """council councils borough district leisure conference centre center arena hall
    hospital village college school academy university station road street park stadium
    cathedral football fc united town rovers telegraph echo times mercury herald
    advertiser gazette chronicle evening airport prison library museum theatre racecourse
    infirmary chamber golf tennis""".split()
)
NEXT_WORD = re.compile(r"^\s+([A-Za-z]+)")
# ... and a name in a list that follows these is a borough or district, not the seat:
# "it comprises part of two boroughs, Amber Valley and Erewash".
AREA_LIST_BEFORE = re.compile(
    r"\b(?:boroughs?|districts?|council areas?|local authorit(?:y|ies))(?:\s+of)?[\s,:]+"
    r"(?:[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)*(?:\s*,\s*|\s+and\s+|\s*&\s*))*$"
)
# The short forms of counties and places that seats are named after, as reporters
# write them: "Corby & East Northants", "Mid Bucks", "MK Central".
SHORT_FORMS = {
    "northamptonshire": "northants",
    "hertfordshire": "herts",
    "buckinghamshire": "bucks",
    "bedfordshire": "beds",
    "leicestershire": "leics",
    "nottinghamshire": "notts",
    "lincolnshire": "lincs",
    "gloucestershire": "glos",
    "hampshire": "hants",
    "wiltshire": "wilts",
    "oxfordshire": "oxon",
    "cambridgeshire": "cambs",
    "staffordshire": "staffs",
    "worcestershire": "worcs",
    "warwickshire": "warks",
    "derbyshire": "derbys",
    "lancashire": "lancs",
    "yorkshire": "yorks",
}
SHORT_PLACES = {"milton keynes": "mk"}
LONG_FORMS = {short: long for long, short in {**SHORT_FORMS, **SHORT_PLACES}.items()}


def canonical(text):
    """A name as the finder compares it: normalised, short forms written out."""
    words = normalise_name(text).split()
    return " ".join(LONG_FORMS.get(word, word) for word in words)


def name_pattern(name):
    """A regex for a name, forgiving case, commas, hyphens, `&` for `and`, and the short
    forms of counties ("Northants") and places ("MK")."""
    words = normalise_name(name).split()
    parts = []
    index = 0
    while index < len(words):
        pair = " ".join(words[index : index + 2])
        if pair in SHORT_PLACES:
            parts.append(
                rf"(?:{re.escape(words[index])}[\s-]+{re.escape(words[index + 1])}|"
                rf"{SHORT_PLACES[pair]})"
            )
            index += 2
            continue
        word = words[index]
        if word == "and":
            parts.append(r"(?:and|&)")
        elif word in SHORT_FORMS:
            parts.append(rf"(?:{re.escape(word)}|{SHORT_FORMS[word]})")
        else:
            parts.append(re.escape(word))
        index += 1
    return r"[\s,-]+".join(parts)


class MentionFinder:
    """Finds which of some named things a text names: `{key: name}` in, keys out.

    Longer names win over shorter ones they contain, and a match must stand as whole
    words: "Northampton North" is found in "Northampton North's count", "Derby" alone
    names no seat; short forms count ("Corby & East Northants"). A name is not the seat
    where it is part of another name (measured on the seed pages: tests/liveblog/
    test_mentions.py):
    - a person's: a one-word name after a capitalised word that does not start a phrase
      is taken for a surname ("Peter Bedford", "Mr Bedford"), "in Bedford" is the seat;
    - a council's, a building's, a club's: the name followed by "Council", "Borough",
      "Leisure Centre"... ("Erewash council", "Kettering Leisure Village");
    - a borough's or district's in a list of them ("two boroughs, Amber Valley and
      Erewash").
    """

    def __init__(self, names):
        self.keys = {canonical(name): key for key, name in names.items()}
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
            if self.is_another_name(text, match):
                continue
            key = self.keys.get(canonical(match.group(0)))
            if key is not None:
                yield key, match

    def is_another_name(self, text, match):
        one_word = " " not in match.group(0).strip()
        if one_word and self.follows_a_forename(text, match.start()):
            return True
        following = NEXT_WORD.match(text[match.end() : match.end() + 40])
        if following and following.group(1).lower() in NOT_THE_SEAT_AFTER:
            return True
        return bool(AREA_LIST_BEFORE.search(text[max(0, match.start() - 200) : match.start()]))

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
