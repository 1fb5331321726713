"""Hostile markup typed into any field an editor can fill is inert wherever it is shown."""

import json
import re
from html.parser import HTMLParser

import pytest
from django.core.management import call_command

from liveblog import markup
from liveblog.markup import sanitise
from liveblog.mentions import MentionFinder, link_mentions
from liveblog.models import Block, LivePage, Post, block_markup
from results.models import Constituency
from tests.newsroom.forms import post_form
from tests.pages import text_of

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
            elif not (attributes.get("src") or "").startswith("/static/js/"):  # the site's own
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
    # Markup posts cannot show is named to the editor, and the form comes back with the
    # text as readers would get it (issue 14); saved again, that is what is kept.
    response = editor_client.post("/admin/liveblog/post/add/", data)
    assert response.status_code == 200
    page = text_of(response)
    assert "Posts cannot show a script" in page
    assert "the onmouseover attribute on <b>" in page and "a javascript: link" in page
    assert not Post.objects.filter(title__startswith="Title").exists()
    for index in range(3):
        name = f"blocks-{index}-text"
        data[name] = response.context["inline_admin_formsets"][0].formset.forms[index].data[name]
        assert data[name] == block_markup(data[f"blocks-{index}-kind"], data[name])
    response = editor_client.post("/admin/liveblog/post/add/", data)
    assert response.status_code == 302, text_of(response)[:2000]
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


# The list item from issue 11: a line break inside an attribute, then markup.
ISSUE_ITEM = '<a title="\n<img src=x onerror=alert(9)>">t</a>'


def as_nh3_0_3_0(clean):
    """nh3.clean as nh3 0.3.0 wrote its output: `<` and `>` left raw in attribute values."""

    def cleaned(markup, **options):
        return re.sub(
            r'="([^"]*)"',
            lambda value: '="' + value[1].replace("&lt;", "<").replace("&gt;", ">") + '"',
            clean(markup, **options),
        )

    return cleaned


class Elements(HTMLParser):
    """The list items of a page, each as (tags, text), and whether every tag closed."""

    def __init__(self):
        super().__init__()
        self.items, self.stack, self.unbalanced = [], [], False

    def handle_starttag(self, tag, attrs):
        if tag == "li":
            self.items.append(([], []))
        elif "li" in self.stack:
            self.items[-1][0].append((tag, dict(attrs)))
        if tag not in {"br", "img", "meta", "link", "input"}:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.unbalanced = True
            if tag in self.stack:
                while self.stack.pop() != tag:
                    pass
        else:
            self.stack.pop()

    def handle_data(self, data):
        if self.items and "li" in self.stack:
            self.items[-1][1].append(data)


def post_items(html):
    """The items of the first post's lists: [(tags, text)]."""
    article = html[html.index("<article") : html.index("</article>") + len("</article>")]
    parser = Elements()
    parser.feed(article)
    parser.close()
    assert not parser.unbalanced, article
    return [(tags, "".join(text).strip()) for tags, text in parser.items]


@pytest.fixture(params=["nh3 as installed", "nh3 0.3.0's output"])
def nh3_version(request, monkeypatch):
    if request.param != "nh3 as installed":
        monkeypatch.setattr(markup.nh3, "clean", as_nh3_0_3_0(markup.nh3.clean))


def test_a_list_item_with_markup_in_an_attribute_is_one_whole_inert_item(
    client, seeded, editor_client, nh3_version
):
    response = editor_client.post(
        "/admin/liveblog/post/add/",
        post_form(
            title="A list",
            blocks=[{"kind": "list", "text": f"first\n{ISSUE_ITEM}\n<strong>last\none</strong>"}],
        ),
    )
    assert response.status_code == 302
    post = Post.objects.get(title="A list")
    html = client.get(post.get_absolute_url()).content.decode()
    assert dangers(html) == []
    assert "<img" not in html.split("<article", 1)[1]
    [first, issue, last, one] = post_items(html)
    assert first == ([], "first")
    tags, text = issue
    assert text == "t"
    assert [(tag, attrs["title"]) for tag, attrs in tags] == [
        ("a", " <img src=x onerror=alert(9)>")
    ]
    assert last == ([("strong", {})], "last")
    assert one == ([("strong", {})], "one")


def test_a_seat_named_inside_an_attribute_is_not_linked(client, seeded, editor_client, nh3_version):
    kettering = Constituency.objects.get(slug="kettering")
    response = editor_client.post(
        "/admin/liveblog/post/add/",
        post_form(
            title="Counting",
            live_page=LivePage.objects.get(county__slug="northamptonshire"),
            blocks=[
                {"text": '<a href="https://example.com" title="a > Kettering">the count</a>'},
                {"kind": "list", "text": '<em title="b > Kettering">x</em> in Kettering'},
            ],
        ),
    )
    assert response.status_code == 302
    post = Post.objects.get(title="Counting")
    html = client.get(post.get_absolute_url()).content.decode()
    article = html[html.index("<article") : html.index("</article>")]
    assert dangers(article) == []
    assert 'title="a &gt; Kettering"' in article
    assert 'title="b &gt; Kettering"' in article
    assert article.count(f'href="{kettering.get_absolute_url()}"') == 1
    assert f'in <a href="{kettering.get_absolute_url()}">Kettering</a></li>' in article


def test_seats_are_linked_in_the_text_of_parsed_markup():
    finder = MentionFinder({1: "Kettering", 2: "Corby"})
    linked = link_mentions(
        '<a href="https://example.com" title="Kettering">Corby</a> and Corby; '
        "<strong>Kettering</strong> &amp; Kettering <img src=x onerror=alert(1)>",
        finder,
        {1: "/constituencies/kettering/", 2: "/constituencies/corby/"},
    )
    assert linked == (
        '<a href="https://example.com" title="Kettering" rel="noopener noreferrer nofollow">'
        'Corby</a> and <a href="/constituencies/corby/">Corby</a>; <strong>'
        '<a href="/constituencies/kettering/">Kettering</a></strong> &amp; Kettering '
    )


def test_a_restored_backup_is_sanitised_like_the_admin(client, seeded, tmp_path):
    """The README's restore path, `loaddata backup.json`, saves raw: it still ends safe."""
    post = Post.objects.filter(live_page__county__slug="derbyshire").first()
    fixture = tmp_path / "backup.json"
    fixture.write_text(
        json.dumps(
            [
                {
                    "model": "liveblog.block",
                    "fields": {
                        "post": [str(post.key)],
                        "position": 90,
                        "kind": "paragraph",
                        "text": '<img src=x onerror=alert(1)> <script>alert(2)</script>"Restored"',
                    },
                },
                {
                    "model": "liveblog.block",
                    "fields": {
                        "post": [str(post.key)],
                        "position": 91,
                        "kind": "list",
                        "text": f"<svg onload=alert(3)>one</svg>\n{ISSUE_ITEM}",
                    },
                },
            ]
        )
    )
    call_command("loaddata", str(fixture), verbosity=0)
    restored = Block.objects.get(post=post, position=90)
    assert restored.text == ' "Restored"'
    assert Block.objects.get(post=post, position=91).text == (
        'one\n<a title=" &lt;img src=x onerror=alert(9)&gt;" rel="noopener noreferrer '
        'nofollow">t</a>'
    )
    response = client.get(post.get_absolute_url())
    assert '"Restored"' in text_of(response)
    assert dangers(response.content.decode()) == []


def test_errors_name_only_the_block_at_fault(seeded, editor_client, media):
    data = post_form(
        title="Quoted",
        blocks=[
            {"text": "He said: <blockquote>We won, and we won well.</blockquote>"},
            {"kind": "image", "alt": "", "caption": "At the count", "credit": "BBC"},
        ],
    )
    response = editor_client.post("/admin/liveblog/post/add/", data)
    assert response.status_code == 200
    quote, image = response.context["inline_admin_formsets"][0].formset.forms
    assert dict(quote.errors) == {
        "text": [
            "Posts cannot show <blockquote>: saving would drop it. The text is now what "
            "readers would see: check it and save again."
        ]
    }
    assert dict(image.errors) == {"alt": ["An image needs alt text: say what it shows."]}
    assert "Write the paragraph or the list, or remove it." not in text_of(response)
