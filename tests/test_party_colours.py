"""Party colours: a party's own is kept with the party, and every place a reader sees it
follows when it changes; the colours no party owns (Others, awaiting) have one home,
which the stylesheet agrees with."""

import json
import re
from pathlib import Path

import pytest
from django.conf import settings

from liveblog.models import BlockKind, PostStatus
from liveblog.services import posts_set, result_post_draft
from results import colours
from results.models import Party, Result

pytestmark = pytest.mark.django_db

LABOUR_RED = "#E4003B"
RECOLOURED = "#A1B2C3"


@pytest.fixture
def kettering_post(seeded):
    """Kettering's declaration drafted as a post with its result card, and published."""
    post = result_post_draft(result=Result.objects.get(constituency__slug="kettering"))
    posts_set(posts=[post], user=None, status=PostStatus.PUBLISHED)
    return post


def recolour(client, party, colour):
    """As a superuser does: the party's change form in the admin, saved."""
    response = client.post(
        f"/admin/results/party/{party.pk}/change/",
        {
            "slug": party.slug,
            "name": party.name,
            "short_name": party.short_name,
            "colour": colour,
            "aliases": json.dumps(party.aliases),
            "is_independent": "on" if party.is_independent else "",
            "counted_with": party.counted_with_id or "",
        },
    )
    assert response.status_code == 302, response.content.decode()
    party.refresh_from_db()
    assert party.colour == colour


def swatch(colour):
    return (
        '<svg class="swatch" width="12" height="12" viewBox="0 0 12 12" aria-hidden="true"'
        ' focusable="false"><rect x=".5" y=".5" width="11" height="11" fill="'
        f'{colour}" stroke="#505050"/></svg>'
    )


def colours_shown(client):
    """Labour's colour wherever a reader sees it: its swatch in the scoreboard table and
    in the national strip, its part of the seat bar, its hexagons on the map of every
    seat, and the swatch of Kettering's result card in the live coverage."""
    home = client.get("/").content.decode()
    county = client.get("/counties/northamptonshire/").content.decode()

    def found(pattern, html):
        match = re.search(pattern, html)
        return match and match.group(1)

    return {
        "scoreboard table": found(
            r'<th scope="row">(<svg[^>]*><rect[^>]*></svg>) <a href="/parties/labour/">', home
        ),
        "strip": found(
            r'<li>(<svg[^>]*><rect[^>]*></svg>) <abbr title="Labour">LAB</abbr>', county
        ),
        "seat bar": found(r'<rect x="0" y="8" width="5" height="28" fill="([^"]+)"/>', home),
        "map": found(map_group("corby-and-east-northamptonshire", r'fill="([^"]+)"[^>]*'), home),
        "result card": found(
            r'<a href="/constituencies/kettering/">Kettering</a> <span class="verdict">'
            r"(<svg[^>]*><rect[^>]*></svg>) LAB GAIN FROM CON",
            county,
        ),
    }


def test_a_recoloured_party_shows_its_new_colour_everywhere(client, admin_client, kettering_post):
    before = colours_shown(client)
    assert before == {
        "scoreboard table": swatch(LABOUR_RED),
        "strip": swatch(LABOUR_RED),
        "seat bar": LABOUR_RED,
        "map": LABOUR_RED,
        "result card": swatch(LABOUR_RED),
    }

    recolour(admin_client, Party.objects.get(slug="labour"), RECOLOURED)

    assert colours_shown(client) == {
        "scoreboard table": swatch(RECOLOURED),
        "strip": swatch(RECOLOURED),
        "seat bar": RECOLOURED,
        "map": RECOLOURED,
        "result card": swatch(RECOLOURED),
    }


def map_group(slug, attributes):
    """A pattern for the group (`<g attributes>`) that holds the seat's hexagon on the map."""
    return rf'<g {attributes}>(?:(?!</g>).)*?<a href="/constituencies/{slug}/"><title>'


def test_seats_awaiting_their_declaration_are_white_with_a_dotted_outline(client, seeded):
    """No party's colour: the class draws them (static/css/site.css)."""
    home = client.get("/").content.decode()
    assert re.search(map_group("amber-valley", 'class="awaiting"'), home)


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


def test_a_party_given_the_wash_of_seats_awaiting_still_shows_its_seats_declared(
    client, admin_client, seeded
):
    """The map tells a seat awaiting its declaration by its result, not by its colour."""
    recolour(admin_client, Party.objects.get(slug="labour"), colours.WASH)
    home = client.get("/").content.decode()
    assert re.search(map_group("corby-and-east-northamptonshire", 'fill="#f4f5f7"'), home)
    assert re.search(map_group("amber-valley", 'class="awaiting"'), home)


def test_a_card_finds_its_party_by_slug_when_the_party_is_renamed_and_recoloured(
    client, admin_client, kettering_post
):
    """A card names its party by slug (liveblog.drafts), keeping no colour of its own."""
    card = kettering_post.blocks.get(kind=BlockKind.RESULT)
    card.card = {**card.card, "party_slug": "labour"}
    card.card.pop("colour", None)
    card.save()
    labour = Party.objects.get(slug="labour")
    labour.name = "Labour Party"
    recolour(admin_client, labour, RECOLOURED)
    assert colours_shown(client)["result card"] == swatch(RECOLOURED)
