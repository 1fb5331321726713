"""Links only to http(s) addresses or the site's own, whatever wrote them: a result
card restored from a fixture, a body written past the forms, a form."""

import html
import json
import re

import pytest
from django.core import serializers
from django.core.exceptions import ValidationError

from liveblog.markup import safe_link
from liveblog.models import Block, BlockKind, Post
from tests.newsroom.forms import post_form
from tests.pages import text_of

pytestmark = pytest.mark.django_db

HOSTILE = [
    "javascript:alert(9)",
    "JAVASCRIPT:alert(9)",
    " javascript:alert(9)",
    "java\tscript:alert(9)",
    "\x01javascript:alert(9)",
    "data:text/html,<script>alert(9)</script>",
    "vbscript:msgbox(9)",
    "mailto:desk@example.com",
    "//evil.example/kettering/",
    "/\\evil.example/kettering/",
]
SAFE = [
    "/constituencies/kettering/",
    "#post-1",
    "https://www.bbc.co.uk/news",
    "http://example.com/x",
]
HREF = re.compile(r'href="([^"]*)"')


def hrefs(client, address):
    response = client.get(address)
    assert response.status_code == 200
    return [html.unescape(link) for link in HREF.findall(response.content.decode())]


def unsafe_links(client, address):
    return [link for link in hrefs(client, address) if not safe_link(link)]


def card(url):
    return {
        "seat": "Kettering",
        "url": url,
        "verdict": "Lab gain from Con",
        "party": "Labour",
        "party_slug": "labour",
        "majority": 3900,
        "turnout": "61.2",
        "candidates": [
            {"name": "Rosie Wrighting", "party": "Labour", "votes": 18009, "share": "38.8"}
        ],
    }


@pytest.fixture
def post(seeded):
    return Post.objects.published().filter(live_page__county__slug="northamptonshire").first()


def test_the_site_links_to_no_address_but_http_and_its_own():
    assert [safe_link(url) for url in HOSTILE] == [""] * len(HOSTILE)
    assert [safe_link(url) for url in SAFE] == SAFE


@pytest.mark.parametrize("url", HOSTILE)
def test_a_result_card_restored_with_a_hostile_link_shows_its_seat_as_text(client, post, url):
    block = Block.objects.create(post=post, position=90, kind=BlockKind.RESULT, card=card("/"))
    Block.objects.filter(pk=block.pk).update(card=card(url))  # as a fixture or SQL would
    for address in ("/counties/northamptonshire/", post.get_absolute_url()):
        assert unsafe_links(client, address) == []
        page = client.get(address).content.decode()
        assert re.search(r"<figcaption [^>]*>Kettering <span", page), address


@pytest.mark.parametrize("url", HOSTILE)
def test_a_body_written_past_the_forms_links_nowhere_hostile(client, post, url):
    block = Block.objects.create(post=post, position=91, kind=BlockKind.PARAGRAPH, text="x")
    markup = f'Read <a href="{url}">the count</a>.'
    Block.objects.filter(pk=block.pk).update(text=markup)
    for address in ("/counties/northamptonshire/", post.get_absolute_url()):
        assert unsafe_links(client, address) == []


def test_a_result_card_with_a_hostile_link_is_refused_or_dropped_at_input(post):
    block = Block(post=post, position=92, kind=BlockKind.RESULT, card=card("javascript:alert(9)"))
    with pytest.raises(ValidationError) as refused:
        block.full_clean()
    assert refused.value.messages == [
        "A result card links only to the site's own pages or http(s) addresses."
    ]
    restored = json.loads(serializers.serialize("json", [block]))
    for obj in serializers.deserialize("json", json.dumps(restored)):
        obj.save()  # as loaddata does: a raw save
    assert Block.objects.get(post=post, position=92).card["url"] == ""


@pytest.mark.parametrize(
    "url, words",
    [
        ("mailto:desk@example.com", "a mailto: link"),
        ("JAVASCRIPT:alert(9)", "a javascript: link"),
        ("//evil.example/", "the link to //evil.example/"),
    ],
)
def test_an_editors_hostile_link_is_refused_then_dropped(seeded, editor_client, url, words):
    text = f'Read <a href="{url}">the desk</a> and <a href="https://x.example/">this</a>.'
    response = editor_client.post(
        "/admin/liveblog/post/add/", post_form(title="Links", blocks=[{"text": text}])
    )
    assert response.status_code == 200
    assert f"Posts cannot show {words}: saving would drop it." in text_of(response)
    assert not Post.objects.filter(title="Links").exists()
