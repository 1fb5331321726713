"""Hostile markup typed into any field an editor can fill is inert wherever it is shown."""

from html.parser import HTMLParser

import pytest

from liveblog.markup import sanitise
from liveblog.models import LivePage, Post
from tests.newsroom.forms import post_form

pytestmark = pytest.mark.django_db

ATTACKS = [
    "<script>alert('x')</script>",
    '<img src=x onerror="alert(1)">',
    '<a href="javascript:alert(1)">click</a>',
    '<b onmouseover="alert(1)">hover',
    '"><script>alert(2)</script><p x="',
    "<strong>unclosed <em>broken</strong",
    '<svg onload="alert(3)"></svg><iframe src="https://evil.example"></iframe>',
    "<style>body{display:none}</style>",
]


class DangerFinder(HTMLParser):
    """Collects what could run or load: scripts, handlers, javascript: URLs, frames."""

    def __init__(self):
        super().__init__()
        self.found = []
        self.in_data_script = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script":
            if attributes.get("type") == "application/ld+json":
                self.in_data_script = True
            elif attributes.get("src") != "/static/js/live.js":  # the site's own
                self.found.append(f"<script {attrs}>")
        if tag in {"iframe", "object", "embed", "style", "svg", "img"} and not (
            tag in {"svg", "img"} and self.is_ours(tag, attributes)
        ):
            self.found.append(f"<{tag} {attrs}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"{tag} {name}={value}")
            if (
                name in {"href", "src"}
                and value
                and value.strip().lower().startswith(("javascript:", "data:"))
            ):
                self.found.append(f"{tag} {name}={value}")

    def handle_endtag(self, tag):
        if tag == "script":
            self.in_data_script = False

    @staticmethod
    def is_ours(tag, attributes):
        # The site's own swatches and charts, and images with our media addresses.
        if tag == "svg":
            return "onload" not in attributes
        return attributes.get("src", "").startswith("/media/")


def dangers(html):
    finder = DangerFinder()
    finder.feed(html)
    return finder.found


@pytest.fixture
def hostile_post(seeded, editor_client):
    attack = " ".join(ATTACKS)
    live_page = LivePage.objects.get(county__slug="derbyshire")
    data = post_form(
        live_page=live_page,
        title=f"Title {attack}"[:300],
        byline_name=f"Name {attack}"[:100],
        byline_role=f"Role {attack}"[:150],
        blocks=[
            {"text": f"Paragraph {attack}"},
            {
                "text": '<strong>Bold</strong> and <a href="https://example.com" onclick="x()">a '
                "link</a> and <em>unclosed"
            },
            {"kind": "list", "text": "\n".join(ATTACKS)},
            {
                "kind": "image",
                "alt": f"Alt {attack}"[:300],
                "caption": f"Caption {attack}"[:300],
                "credit": f"Credit {attack}"[:150],
            },
        ],
    )
    response = editor_client.post("/admin/liveblog/post/add/", data)
    assert response.status_code == 302
    summary = {"title": f"Live {attack}"[:200], "summary_lines": "\n".join(ATTACKS)}
    response = editor_client.post(f"/admin/liveblog/livepage/{live_page.pk}/change/", summary)
    assert response.status_code == 302
    return Post.objects.get(title__startswith="Title")


def test_the_page_before_the_attack_is_clean(client, seeded):
    assert dangers(client.get("/counties/derbyshire/").content.decode()) == []


def test_the_checker_finds_each_attack():
    # Shown raw, every attack would be caught: the checker can fail.
    for attack in ATTACKS[:4] + ATTACKS[6:]:
        assert dangers(attack), attack


@pytest.mark.parametrize(
    "address",
    [
        "/counties/derbyshire/",
        "/counties/derbyshire/feed/",
        "/",
        "/sitemap.xml",
    ],
)
def test_reader_pages_are_inert(client, hostile_post, address):
    html = client.get(address).content.decode()
    assert dangers(html) == []
    assert "<script>alert" not in html


def test_post_page_and_preview_are_inert(client, editor_client, hostile_post):
    for response in [
        client.get(hostile_post.get_absolute_url()),
        editor_client.get(f"/admin/liveblog/post/{hostile_post.pk}/preview/"),
    ]:
        assert response.status_code == 200
        assert dangers(response.content.decode()) == []


def test_plain_fields_show_the_text_typed(client, hostile_post):
    html = client.get(hostile_post.get_absolute_url()).content.decode()
    assert "Title &lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html
    assert "Name &lt;script&gt;" in html


def test_allowed_markup_survives_sanitised(hostile_post):
    attacked = hostile_post.blocks.get(position=0).text
    assert "<script" not in attacked and "onerror" not in attacked
    assert '<a rel="noopener noreferrer nofollow">click</a>' in attacked
    assert hostile_post.blocks.get(position=1).text == (
        '<strong>Bold</strong> and <a href="https://example.com" rel="noopener noreferrer '
        'nofollow">a link</a> and <em>unclosed</em>'
    )


def test_broken_markup_is_closed():
    assert sanitise("<strong>unclosed <em>broken</strong") == (
        "<strong>unclosed <em>broken</em></strong>"
    )
