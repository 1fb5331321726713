"""Addresses from names: an apostrophe joins, and the old address redirects."""

import pytest

from results.naming import constituency_slug, normalise_name
from tests.pages import text_of

pytestmark = pytest.mark.django_db


def test_an_apostrophe_joins():
    assert constituency_slug("Queen's Park and Maida Vale") == "queens-park-and-maida-vale"
    assert constituency_slug("Queen\u2019s Park and Maida Vale") == "queens-park-and-maida-vale"
    assert normalise_name("O'Brien") == "obrien"


def test_the_former_address_redirects(client, every_seat):
    assert client.get("/constituencies/queens-park-and-maida-vale/").status_code == 200
    response = client.get("/constituencies/queen-s-park-and-maida-vale/")
    assert response.status_code == 301
    assert response["Location"] == "/constituencies/queens-park-and-maida-vale/"
    assert client.get("/constituencies/queen-s-parkland/").status_code == 404


def test_search_forgives_the_apostrophe(client, every_seat):
    for query in ["queens park", "Queen's Park", "queen’s park and maida vale"]:
        response = client.get("/search/", {"q": query})
        assert response.status_code in (200, 302), query
        if response.status_code == 302:
            assert response["Location"] == "/constituencies/queens-park-and-maida-vale/"


def test_alliance_is_all_as_readers_know_it(client, every_seat):
    # The Library's abbreviation, APNI, is still read from its files.
    text = text_of(client.get("/constituencies/lagan-valley/"))
    assert "ALL GAIN FROM DUP" in text and "APNI" not in text
