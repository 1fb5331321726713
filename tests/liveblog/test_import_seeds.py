"""`import_seeds` and `import_liveblog`: every seed document into the database."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from liveblog.models import LivePage, Post, PostSource
from results.models import Constituency, County, PublishedScoreboard
from tests.newsroom.forms import existing_blocks, post_form
from tests.seeds import SEEDS, seed_path, seed_text
from tests.snapshots import database_rows

pytestmark = pytest.mark.django_db


def run(command, *args):
    out = StringIO()
    call_command(command, *[str(arg) for arg in args], stdout=out)
    return out.getvalue()


def test_import_seeds_reports_what_it_created():
    assert run("import_seeds") == (
        "created 4 counties, 55 constituencies, 4 live pages, 1 scoreboard, 6 scoreboard lines, "
        "73 posts, 47 candidacies, 7 results; updated 7 constituencies; removed nothing; "
        "unchanged 3 scoreboards, 18 scoreboard lines; left alone nothing\n"
    )


def test_counties_and_their_seats_from_the_manifest(seeded):
    counts = {
        county.name: county.constituencies.count() for county in County.objects.order_by("name")
    }
    assert counts == {
        "Bedfordshire, Hertfordshire and Buckinghamshire": 26,
        "Derbyshire": 11,
        "Leicestershire and Rutland": 11,
        "Northamptonshire": 7,
    }
    dales = Constituency.objects.get(slug="derbyshire-dales")
    assert (dales.ons_code, dales.notional_winner.short_name) == ("E14001195", "CON")
    assert Constituency.objects.get(slug="harborough-oadby-and-wigston").name == (
        "Harborough, Oadby and Wigston"
    )


def test_post_counts_per_county(seeded):
    counts = {page.county.name: page.posts.count() for page in LivePage.objects.all()}
    assert counts == {
        "Bedfordshire, Hertfordshire and Buckinghamshire": 20,
        "Derbyshire": 13,
        "Leicestershire and Rutland": 20,
        "Northamptonshire": 20,
    }


def test_posts_keep_breaking_byline_and_blocks(seeded):
    leicestershire = LivePage.objects.get(county__slug="leicestershire-and-rutland")
    breaking = leicestershire.posts.filter(breaking=True).order_by("-published_at")
    assert [post.title for post in breaking] == [
        "Conservatives win Mid Leicestershire",
        "Conservatives win Rutland and Stamford",
        "Labour gain Loughborough",
    ]
    honour = Post.objects.get(title="'It's an honour'")
    assert (honour.byline_name, honour.byline_role) == ("", "")
    first = Post.objects.get(title="Labour candidate says health is big issue for voters")
    assert [block.kind for block in first.blocks.all()] == ["paragraph"] * 4 + ["image"]


def test_published_scoreboard(seeded):
    scoreboard = PublishedScoreboard.objects.latest()
    assert (scoreboard.seats_for_majority, scoreboard.seats_to_go) == (326, 0)
    assert [
        (t.label, t.party and t.party.slug, t.seats, t.change) for t in scoreboard.tallies.all()
    ] == [
        ("Labour", "labour", 412, 211),
        ("Conservative", "conservative", 121, -251),
        ("Liberal Democrat", "liberal-democrat", 72, 64),
        ("Scottish National Party", "scottish-national-party", 9, -39),
        ("Sinn Fein", "sinn-fein", 7, 0),
        ("Others", None, 29, 15),
    ]


def test_importing_twice_leaves_every_row_and_value_unchanged(seeded):
    before = database_rows()
    output = run("import_seeds")
    assert database_rows() == before
    assert output.startswith("created nothing; updated nothing; removed nothing; unchanged ")


def test_import_liveblog_needs_the_year_when_the_document_lacks_it(db):
    path = seed_path("003")
    with pytest.raises(CommandError) as raised:
        run("import_liveblog", path, "--county", "Leicestershire and Rutland")
    assert str(raised.value) == (
        f"{path}, line 1: the document does not say the year (no 'Election YYYY' line): give one"
    )
    output = run(
        "import_liveblog", path, "--county", "Leicestershire and Rutland", "--year", "2024"
    )
    assert output.startswith("created 1 county, 1 live page, 1 scoreboard, 6 scoreboard lines,")
    assert LivePage.objects.get().posts.count() == 20


def test_a_post_added_in_the_admin_survives_import_seeds(seeded, admin_client):
    live_page = LivePage.objects.get(county__slug="derbyshire")
    data = post_form(
        live_page=live_page,
        title="Erewash declares",
        byline_name="Kate Linderholm",
        byline_role="BBC Derby",
        blocks=[{"text": "Labour takes Erewash from the Conservatives."}],
    )
    response = admin_client.post("/admin/liveblog/post/add/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    run("import_seeds")
    added = Post.objects.get(title="Erewash declares")
    assert added.source == PostSource.NEWSROOM
    assert added.blocks.get().text == "Labour takes Erewash from the Conservatives."
    assert live_page.posts.count() == 14


def test_an_imported_post_edited_in_the_admin_is_left_alone(seeded, admin_client):
    post = Post.objects.get(title="Queues to get in")
    data = post_form(
        live_page=post.live_page,
        title="Queues to get in at Bolsover",
        when=post.published_at,
        **existing_blocks(post),
    )
    response = admin_client.post(f"/admin/liveblog/post/{post.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    output = run("import_seeds")
    post.refresh_from_db()
    assert (post.title, post.source) == ("Queues to get in at Bolsover", PostSource.NEWSROOM)
    assert "  left alone: post 'Queues to get in at Bolsover': edited in the newsroom" in output


def test_dry_run_changes_nothing(db):
    before = database_rows()
    output = run("import_seeds", "--dry-run")
    assert output.startswith("Dry run, nothing saved: created 4 counties, 55 constituencies")
    assert database_rows() == before


def write_manifest(folder, **replacements):
    """A copy of the seeds and manifest in `folder`, with some documents replaced."""
    for path in SEEDS.iterdir():
        (folder / path.name).write_bytes(path.read_bytes())
    for prefix, content in replacements.items():
        target = seed_path(prefix.removeprefix("seed_")).name
        data = content if isinstance(content, bytes) else content.encode("utf-8")
        (folder / target).write_bytes(data)
    return folder / "manifest.toml"


def edited(prefix, old, new):
    text = seed_text(prefix)
    assert old in text
    return text.replace(old, new, 1)


MALFORMED = [
    pytest.param("seed_000", b"", "000_bf136325e1d78bab.txt, line 1: is empty", id="empty"),
    pytest.param(
        "seed_002",
        "Election 2024\n  1. Caf\u00e9".encode() + b"\xe9 late\n",
        "002_000c22322a716f6d.txt, line 2: is not UTF-8 (byte 0xe9 at offset 24)",
        id="not-utf-8",
    ),
    pytest.param(
        "seed_003",
        edited("003", "Our live coverage has endedpublished at 07:30 5 July", "Our live cov"),
        "003_c133ffa8187d3da8.txt, line 14: post heading '1. Our live cov' lacks 'published at "
        "HH:MM D Month'",
        id="truncated-post-heading",
    ),
    pytest.param(
        "seed_001",
        edited(
            "001",
            "Stuart Andrew - Conservatives - 17,872",
            "Stuart Andrew - Conservatives - seventeen",
        ),
        "001_b1854586a9c0b26e.txt, line 27: votes 'seventeen' is not a whole number",
        id="votes-not-a-number",
    ),
    pytest.param(
        "seed_001",
        edited("001", "majority 9,014", "majority 9,140"),
        "001_b1854586a9c0b26e.txt, line 48: majority 9,140 disagrees with the votes: Lucy Rigby "
        "18,209 - Dan Bennett 9,195 = 9,014",
        id="majority-disagrees",
    ),
    pytest.param(
        "seed_001",
        edited("001", "Clare Slater - Greens", "Stuart Andrew - Conservatives"),
        "001_b1854586a9c0b26e.txt, line 31: candidate 'Stuart Andrew' (Conservatives) appears "
        "twice in Daventry (first on line 27)",
        id="duplicate-candidate",
    ),
    pytest.param(
        "seed_001",
        edited("001", "Gen Kitchen - Labour - 17,734", "Gen Kitchen - 17,734"),
        "001_b1854586a9c0b26e.txt, line 88: candidate line has no party: 'Gen Kitchen - 17,734 "
        "(40.32%)' (expected NAME - PARTY - VOTES (SHARE%))",
        id="candidate-without-party",
    ),
    pytest.param(
        "seed_001",
        edited("001", "(35.85%)", "(35.95%)"),
        "001_b1854586a9c0b26e.txt, line 44: share 35.95% for Rosie Wrighting disagrees with the "
        "votes: 18,009 of 50,231 is 35.85%",
        id="share-beyond-tolerance",
    ),
    pytest.param(
        "seed_001",
        "\n".join(seed_text("001").splitlines()[:13]) + "\n",
        "001_b1854586a9c0b26e.txt, line 13: no seats found: no seat heading followed by a "
        "'Result:' line",
        id="results-page-without-seats",
    ),
    pytest.param(
        "seed_004",
        "\n".join(seed_text("004").splitlines()[:26]) + "\n",
        "004_72cd74aacbf10448.txt, line 26: no posts found (expected a heading '1. "
        "TITLEpublished at HH:MM D Month')",
        id="live-page-without-posts",
    ),
]


@pytest.mark.parametrize(("seed", "content", "message"), MALFORMED)
def test_malformed_document_names_file_and_line_and_changes_nothing(
    seeded, tmp_path, seed, content, message
):
    manifest = write_manifest(tmp_path, **{seed: content})
    before = database_rows()
    with pytest.raises(CommandError) as raised:
        run("import_seeds", "--manifest", manifest)
    assert str(raised.value) == f"{tmp_path}/{message}"
    assert database_rows() == before


def test_malformed_document_on_an_empty_database_leaves_it_empty(db, tmp_path):
    manifest = write_manifest(tmp_path, seed_004=b"")
    before = database_rows()
    with pytest.raises(CommandError):
        run("import_seeds", "--manifest", manifest)
    assert database_rows() == before
    assert not County.objects.exists()


def test_a_live_page_summary_edited_in_the_admin_survives_import_seeds(seeded, admin_client):
    live_page = LivePage.objects.get(county__slug="derbyshire")
    response = admin_client.post(
        f"/admin/liveblog/livepage/{live_page.pk}/change/",
        {"title": "Derbyshire decides", "summary_lines": "Labour sweeps the county\nAll 11 seats"},
    )
    assert response.status_code == 302
    output = run("import_seeds")
    live_page.refresh_from_db()
    assert (live_page.title, live_page.summary) == (
        "Derbyshire decides",
        ["Labour sweeps the county", "All 11 seats"],
    )
    assert "  left alone: Derbyshire: the page's title and summary were edited" in output


@pytest.mark.parametrize(
    "action, values",
    [
        ("mark_breaking", {"breaking": True}),
        ("unpublish", {"status": "draft"}),
        ("publish", {"status": "published"}),
    ],
)
def test_a_post_changed_by_an_admin_list_action_survives_import_seeds(
    seeded, editor_client, action, values
):
    """Issue 11: list actions wrote with queryset.update(), so the post stayed IMPORTED
    and the next import reverted it. They save through liveblog.services.posts_set."""
    posts = list(Post.objects.filter(live_page__county__slug="derbyshire", breaking=False)[:2])
    if action == "publish":
        Post.objects.filter(pk__in=[p.pk for p in posts]).update(status="draft")
    response = editor_client.post(
        "/admin/liveblog/post/",
        {"action": action, "_selected_action": [post.pk for post in posts]},
    )
    assert response.status_code == 302
    output = run("import_seeds")
    for post in posts:
        post.refresh_from_db()
        assert post.source == PostSource.NEWSROOM
        assert {name: getattr(post, name) for name in values} == values
        assert f"  left alone: post {post.title!r}: edited in the newsroom" in output
