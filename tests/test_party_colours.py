"""Party colours: a party's own is kept with the party, and every place a reader sees it
follows when it changes; the colours no party owns (Others, awaiting) have one home,
which the stylesheet agrees with."""

import re
from pathlib import Path

import pytest
from django.conf import settings

from results import colours

pytestmark = pytest.mark.django_db


def test_seats_awaiting_their_declaration_are_washed_on_the_map(client, seeded):
    home = client.get("/").content.decode()
    assert '<g fill="#f4f5f7" class="awaiting"><a href="/constituencies/amber-valley/">' in home


STYLESHEET = Path(settings.BASE_DIR) / "static" / "css" / "site.css"


def test_the_stylesheet_takes_the_colours_no_party_owns_from_their_home():
    """site.css cannot be given them by a page (the content security policy lets in no
    style but the stylesheet's), so it names them once, in `:root`, as results/colours.py
    has them, and every rule uses the names."""
    css = STYLESHEET.read_text()
    root = re.search(r":root \{(.*?)\n\}", css, re.S).group(1)
    declared = dict(re.findall(r"^\s*(--[\w-]+):\s*([^;]+);", root, re.M))
    assert {name: declared.get(name) for name in colours.STYLESHEET_PROPERTIES} == (
        colours.STYLESHEET_PROPERTIES
    )
    for colour in colours.STYLESHEET_PROPERTIES.values():
        assert css.lower().count(colour.lower()) == 1, f"{colour} outside :root in site.css"
