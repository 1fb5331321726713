"""The home page's own words: no template comment shows, and a replay is not indexed."""

import pytest

from tests.pages import text_of

pytestmark = pytest.mark.django_db


def test_no_template_comment_shows_on_the_home_page(client, seeded):
    text = text_of(client.get("/"))
    assert "{#" not in text and "#}" not in text
    assert "Each part that comes and goes" not in text


def test_a_replayed_home_page_is_kept_out_of_search_engines(client, seeded):
    assert '<meta name="robots" content="noindex, follow">' in client.get("/?at=03:00").text
    assert 'name="robots"' not in client.get("/").text
