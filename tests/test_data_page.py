"""The /data/ page: what a data user reads there, and that its example is true."""

import re

import pytest

from pages import downloads
from tests.pages import text_of

pytestmark = pytest.mark.django_db


def headings(html):
    """(level, text) of every heading, in the page's order."""
    return [
        (int(level), re.sub(r"<[^>]+>", "", text).strip())
        for level, text in re.findall(r"<h([1-6])\b[^>]*>(.*?)</h\1>", html, re.S)
    ]


def test_the_data_page_is_laid_out_under_headings_in_order(client, seeded):
    html = client.get("/data/").content.decode()
    main = html.split("<main", 1)[1].split("</main>", 1)[0]
    assert headings(main) == [
        (1, "Open data"),
        (2, "Everything in one file"),
        (2, "CSV files"),
        (3, "Columns of results.csv"),
        (3, "Columns of constituencies.csv"),
        (3, "Columns of notionals.csv"),
        (2, "The JSON API"),
        (3, "A worked example"),
        (3, "Following changes"),
        (2, "Identifiers"),
        (2, "Where each figure comes from"),
        (2, "Licence"),
        (2, "How often it changes"),
    ]


def test_the_data_page_shows_how_to_fetch_with_curl(client, seeded):
    html = client.get("/data/").content.decode()
    assert (
        '<pre class="data-example"><code>'
        "curl -OJ https://results.example/data/uk-general-election-2024.zip</code></pre>" in html
    )
    assert (
        '<pre class="data-example"><code>'
        "curl -s 'https://results.example/api/v1/constituencies?nation=wales'</code></pre>" in html
    )
    for link in [
        "/data/uk-general-election-2024.zip",
        "/data/notionals.csv",
        "/data/results.csv",
        "/api/v1/changes",
        "/api/v1/docs",
        "/api/v1/openapi.json",
        "https://datapackage.org/",
        "https://www.parliament.uk/site-information/copyright-parliament/open-parliament-licence/",
        "https://creativecommons.org/licenses/by/4.0/",
    ]:
        assert f'href="{link}"' in html, link
    text = text_of(client.get("/data/"))
    assert (
        "Each answer gives next , a number: the last change in it, or your cursor if there is "
        "none yet. Ask again with it as after ( /api/v1/changes?after=1042 ), every few "
        "seconds on the night" in text
    )
    assert "( E14001311 is Kettering)" in text
    assert "Parliamentary information licensed under the Open Parliament Licence v3.0" in text


def test_the_data_dictionary_is_a_table_per_file_from_the_columns(client, seeded):
    html = client.get("/data/").content.decode()
    captions = re.findall(r"<caption>(.*?)</caption>", html)
    assert captions == [
        "results.csv, and the files of one seat or one party",
        "constituencies.csv, and the files of one region or one county",
        "notionals.csv: the 2019 result of each seat, recast on the 2024 boundaries",
    ]
    tables = re.findall(r"<tbody>(.*?)</tbody>", html, re.S)
    for table, columns in zip(
        tables,
        [downloads.CANDIDACY_COLUMNS, downloads.CONSTITUENCY_COLUMNS, downloads.NOTIONAL_COLUMNS],
        strict=True,
    ):
        assert re.findall(r"<code>(\w+)</code>", table) == [column.name for column in columns]
    assert (
        '<tr><th scope="row"><code>share_change</code></th><td>number</td>'
        "<td>percentage points</td><td>Change in share since 2019 (notional), in points; empty "
        "where the party did not stand</td></tr>"
    ) in tables[0]


def test_the_worked_example_is_what_the_api_answers(client, every_seat):
    answer = client.get("/api/v1/constituencies", {"nation": "wales"}).json()
    first = answer["results"][0]
    html = client.get("/data/").content.decode()
    example = re.search(r'<pre class="data-example"><code>(\{.*?)</code></pre>', html, re.S)[1]
    assert f'"count": {answer["count"]},' in example
    for name in ("slug", "name", "ons_code", "winner", "outcome"):
        assert f'"{name}": "{first[name]}",' in example, name
    assert f'"majority": {first["majority"]},' in example
    assert f'"party": {{"slug": "{first["party"]["slug"]}", "name": "Labour", …}},' in example


def test_the_data_page_says_where_the_ons_code_is(client, every_seat):
    # Not in every answer: the declarations, a party's seats and a post's name seats by slug.
    text = text_of(client.get("/data/"))
    assert (
        "Seats: the ONS code of the constituency on the 2024 boundaries ( E14001311 is "
        "Kettering), the key that joins the files: in every file, and in every seat the API "
        "gives (a seat, the lists of seats, a region's); the API's other answers name a seat "
        "by its slug, whose /api/v1/constituencies/{slug} gives its ONS code."
    ) in text
    assert client.get("/api/v1/constituencies/kettering").json()["ons_code"] == "E14001311"
