"""Friendly 404 and 500 pages in the site's design."""

import pytest
from django.test import RequestFactory
from django.views.defaults import server_error

from tests.pages import text_of

pytestmark = pytest.mark.django_db


def test_404_page_offers_search_and_the_scoreboard(client):
    response = client.get("/constituencies/atlantis/")
    assert response.status_code == 404
    text = text_of(response)
    assert "Page not found" in text
    assert "the constituency may have a new name since the 2024 boundary changes" in text
    assert "Go to the national scoreboard" in text
    assert 'class="skip-link"' in response.content.decode()


def test_500_page_apologises_in_the_site_design():
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    text = text_of(response)
    assert "Sorry, something went wrong" in text
    assert "Election 2024 results" in text
