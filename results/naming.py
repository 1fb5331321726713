"""How names of places are compared and turned into addresses."""

import re
import unicodedata

from django.utils.text import slugify

_AMPERSAND = re.compile(r"\s*&\s*")
_APOSTROPHES = re.compile(r"['\u2019]")
_NOT_WORD = re.compile(r"[^a-z0-9]+")


def normalise_name(name):
    """A form of a name that forgives case, accents, punctuation and `&` for `and`.

    `Wellingborough & Rushden`, `WELLINGBOROUGH AND RUSHDEN` and
    `Wellingborough and Rushden` all give `wellingborough and rushden`; an apostrophe
    joins, as it does in speech: `Queen's Park` is `queens park`.
    """
    text = unicodedata.normalize("NFKD", name)
    text = "".join(char for char in text if not unicodedata.combining(char))
    text = _AMPERSAND.sub(" and ", text.lower())
    return _NOT_WORD.sub(" ", _APOSTROPHES.sub("", text)).strip()


def constituency_slug(name):
    """The address of a place: `Wellingborough & Rushden` → `wellingborough-and-rushden`."""
    return slugify(normalise_name(name))


def party_slug(name):
    """The address of a party, from its full name as a place's is:
    `Green Party` → `green-party`, `Sinn Féin` → `sinn-fein`. One style for every party,
    which a reader can guess from the name and no abbreviation can make ambiguous."""
    return constituency_slug(name)[:50]


def former_slug(name):
    """The address a name had before apostrophes joined (`queen-s-park-and-maida-vale`),
    which links elsewhere may still use."""
    return slugify(_NOT_WORD.sub(" ", normalise_name(_APOSTROPHES.sub(" ", name))).strip())
