"""The county page: its tally, seats, summary and live blog."""

import json
import re

import pytest

from liveblog.models import Post
from tests.pages import text_of

pytestmark = pytest.mark.django_db


def test_leicestershire_shows_its_20_posts_with_breaking_labels_and_bst(client, seeded):
    response = client.get("/counties/leicestershire-and-rutland/")
    html = response.content.decode()
    titles = re.findall(r'<h4 class="post__title" id="post-\d+-title"><a [^>]*>([^<]*)</a>', html)
    assert len(titles) == 20
    assert titles[0] == "Our live coverage has ended"
    assert titles[-1] == "What&#x27;s happened in Leicestershire and around the region?"
    breaking = [
        number
        for number, article in enumerate(html.split('<article class="post')[1:], start=1)
        if "Breaking</strong>" in article
    ]
    assert breaking == [9, 14, 17]
    text = text_of(response)
    assert "07:30 BST Our live coverage has ended Alex Smith BBC News Online" in text
    assert "06:08 BST Breaking Conservatives win Mid Leicestershire" in text


def test_date_headings_where_the_night_crosses_midnight(client, seeded):
    text = text_of(client.get("/counties/derbyshire/"))
    friday = text.index("Friday 5 July")
    thursday = text.index("Thursday 4 July")
    assert friday < text.index("01:03 BST 'We've both got losing in common'") < thursday
    assert thursday < text.index("20:00 BST Welcome to our election coverage")


def test_county_tally_and_seats(client, seeded):
    text = text_of(client.get("/counties/northamptonshire/"))
    assert "7 of 7 seats declared" in text
    assert "Labour 5 +5 Conservative 2 \u22125" in text
    assert "Kettering LAB GAIN FROM CON Rosie Wrighting, Labour, majority 3,820" in text
    assert "Daventry CON HOLD Stuart Andrew, Conservative, majority 3,012" in text


def test_undeclared_seats_await(client, seeded):
    text = text_of(client.get("/counties/derbyshire/"))
    assert "0 of 11 seats declared" in text
    assert "Derbyshire Dales Awaiting declaration" in text
    assert "No seats declared yet." in text


def test_summary_bullets(client, seeded):
    text = text_of(client.get("/counties/northamptonshire/"))
    assert "Key points Election coverage from across Northamptonshire" in text


def test_national_scoreboard_strip(client, seeded):
    # The seats the seeds declare, not the final result their pages printed (issue 27).
    text = text_of(client.get("/counties/derbyshire/"))
    assert "National result LAB 5 CON 2 643 seats to go" in text


def test_national_scoreboard_strip_with_every_seat(client, every_seat):
    text = text_of(client.get("/counties/derbyshire/"))
    assert (
        "National result LAB 412 CON 121 LD 72 SNP 9 SF 7 IND 6 DUP 5 REF 5 PC 4 GRN 4 SDLP 2 "
        "ALL 1 TUV 1 UUP 1 All 650 seats declared"
    ) in text


def test_byline_and_images_without_a_file(client, seeded):
    html = client.get("/counties/northamptonshire/").content.decode()
    assert "<img" not in html
    # A bare picture with no caption reads as its alt text; a credit for a picture not
    # shown would mislead.
    assert (
        '<figure class="figure figure--words"><figcaption>Scott Cameron</figcaption></figure>'
        in html
    )
    assert "Oliver Conopo" not in html
    assert (
        '<p class="byline">Laura Coffey<span class="byline__role">BBC political reporter, '
        "Northamptonshire</span></p>" in html
    )


def test_lists_render_as_lists(client, seeded):
    html = client.get("/counties/northamptonshire/").content.decode()
    assert '<li><a href="/constituencies/daventry/">Daventry</a></li>' in html


def test_posts_link_the_seats_they_name(client, seeded):
    html = client.get("/counties/northamptonshire/").content.decode()
    # The venue is not the seat (issue 14): the seat is linked where the text names it.
    assert "He is at the count at Kettering Leisure Village to support" in html
    assert (
        'the Green Party candidate for <a href="/constituencies/kettering/">Kettering</a>.' in html
    )
    assert '<a href="/constituencies/corby-and-east-northamptonshire/">Corby &amp; East' in html


def test_permalinks(client, seeded):
    post = Post.objects.get(title="Labour gain Loughborough")
    html = client.get("/counties/leicestershire-and-rutland/").content.decode()
    assert f'<a href="/counties/leicestershire-and-rutland/posts/{post.pk}/">' in html


def test_pagination_at_20_posts(client, seeded):
    live_page = Post.objects.filter(live_page__county__slug="derbyshire").first().live_page
    for minute in range(10):
        Post.objects.create(
            live_page=live_page, title=f"Extra {minute}", published_at=f"2024-07-05T02:{minute:02}Z"
        )
    first = text_of(client.get("/counties/derbyshire/"))
    assert "Page 1 of 2" in first and "Older posts" in first
    second = client.get("/counties/derbyshire/?page=2")
    assert "Page 2 of 2" in text_of(second)
    assert second.content.decode().count('<article class="post') == 3


def test_live_blog_posting_json_ld(client, seeded):
    html = client.get("/counties/leicestershire-and-rutland/").content.decode()
    (block,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    data = json.loads(block)
    assert data["@type"] == "LiveBlogPosting"
    assert data["headline"] == "Leicestershire and Rutland: General election 2024 live"
    assert len(data["liveBlogUpdate"]) == 20
    assert data["liveBlogUpdate"][0]["headline"] == "Our live coverage has ended"
    assert data["liveBlogUpdate"][0]["datePublished"] == "2024-07-05T07:30:00+01:00"
    assert data["liveBlogUpdate"][0]["author"] == {"@type": "Person", "name": "Alex Smith"}


def test_post_permalink_has_its_own_title_and_description(client, seeded):
    post = Post.objects.get(title="Labour gain Loughborough")
    response = client.get(post.get_absolute_url())
    html = response.content.decode()
    assert (
        "<title>Labour gain Loughborough: Leicestershire and Rutland election live</title>" in html
    )
    assert (
        '<meta name="description" content="Former Conservative MP Jane Hunt has lost her seat in '
        'Loughborough to Labour candidate Jeevun Sandher.">' in html
    )
    assert '<meta property="og:title" content="Labour gain Loughborough">' in html
    assert '<h1 class="post__title"' in html
    assert client.get(f"/counties/derbyshire/posts/{post.pk}/").status_code == 404


def test_unknown_county_is_404(client, seeded):
    response = client.get("/counties/atlantis/")
    assert response.status_code == 404
    assert "Page not found" in text_of(response)


def test_county_tally_and_seats_replayed(client, every_seat):
    # As it stood at 06:40: four of the seven had declared, each a gain from the
    # Conservatives, who are shown with what they lost at no seats won.
    text = text_of(client.get("/counties/northamptonshire/", {"at": "06:40"}))
    assert "4 of 7 seats declared" in text
    assert "Change since 2019 Labour 4 +4 Conservative 0 \u22124 Constituencies" in text
    assert (
        "Corby and East Northamptonshire LAB GAIN FROM CON Lee Barron, Labour, majority 6,331"
        " Daventry Awaiting declaration Kettering Awaiting declaration"
    ) in text
