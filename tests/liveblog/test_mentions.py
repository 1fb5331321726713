"""The seats a post names, as the mention finder links them, measured against the seats
each post on the seed pages really names, labelled by hand (fixtures/seeds/mentions.toml).

On the seed pages, the finder before issue 14 found 102 of the 106 seat mentions and 3
that were no seat (precision 0.971, recall 0.962); it must now make no wrong link
(precision 1.0) and miss none of what it found then.
"""

import tomllib

import pytest
from django.contrib.admin.models import LogEntry

from liveblog.manifest import parse_manifest
from liveblog.markup import from_plain_text, list_items, to_plain_text
from liveblog.mentions import MentionFinder
from liveblog.models import Post
from liveblog.parsers import parse_live_page
from results.documents import read_document
from results.models import Constituency
from results.national import parse_constituencies_csv
from tests.national_data import DATA, FILES
from tests.newsroom.forms import existing_blocks, post_form
from tests.seeds import SEEDS

LABELS = SEEDS / "mentions.toml"
# What the finder of before found on the seeds, against the labels: it must not lose it.
RECALL_BEFORE = 102 / 106


def manifest():
    return parse_manifest((SEEDS / "manifest.toml").read_text())


def seat_names():
    """Every seat's name: the seeds' counties, and the whole country where the House of
    Commons Library file is here (more names, more chances to be wrong)."""
    names = {e["name"] for county in manifest().counties for e in county.constituencies}
    library = DATA / FILES["constituencies"]
    if library.is_file():
        names |= {seat.name for seat in parse_constituencies_csv(read_document(library))}
    return names


def texts(post):
    """What a reader reads in a parsed post, as liveblog.services.post_texts gives it."""
    yield post.title
    for block in post.blocks:
        if block.kind == "image":
            yield block.caption
        elif block.kind == "list":
            yield from (
                to_plain_text(item) for item in list_items(from_plain_text("\n".join(block.items)))
            )
        else:
            yield from to_plain_text(from_plain_text(block.text)).splitlines()


def seed_posts():
    """(document, number, title, county, texts) for every post of every seed live page."""
    seeds = manifest()
    for seed in seeds.seeds:
        if seed.format != "liveblog":
            continue
        page = parse_live_page(read_document(SEEDS / seed.file), source=seed.file, year=seeds.year)
        for post in page.posts:
            yield seed.file, post.number, post.title, seed.county, list(texts(post))


def labels():
    posts = tomllib.loads(LABELS.read_text())["posts"]
    return {(post["file"], post["number"]): (post["title"], set(post["seats"])) for post in posts}


def scores(found, expected):
    right = sum(len(found[key] & expected[key]) for key in expected)
    wrong = sum(len(found[key] - expected[key]) for key in expected)
    missed = sum(len(expected[key] - found[key]) for key in expected)
    return right, wrong, missed


def test_every_seed_post_is_labelled():
    labelled = labels()
    posts = list(seed_posts())
    assert len(posts) == len(labelled) == 73
    for document, number, title, _, _ in posts:
        assert labelled[(document, number)][0] == title
    names = seat_names()
    assert all(seats <= names for _, seats in labelled.values())


def test_precision_and_recall_on_the_seed_pages(record_property, capsys):
    names = seat_names()
    finder = MentionFinder({name: name for name in names})
    expected = {key: seats for key, (_, seats) in labels().items()}
    found = {
        (document, number): finder.find(post_texts)
        for document, number, _, _, post_texts in seed_posts()
    }
    right, wrong, missed = scores(found, expected)
    precision = right / (right + wrong)
    recall = right / (right + missed)
    record_property("mention_precision", precision)
    record_property("mention_recall", recall)
    with capsys.disabled():
        print(
            f"\nMention finder on the {len(expected)} seed posts, {len(names)} seat names: "
            f"precision {precision:.3f}, recall {recall:.3f} ({right} of {right + missed} "
            f"seat mentions found, {wrong} wrong)"
        )
    assert [key for key in expected if found[key] - expected[key]] == []
    assert precision == 1.0
    assert recall >= RECALL_BEFORE
    assert recall == 1.0  # as measured when the labels were made


@pytest.mark.django_db
def test_the_imported_seed_posts_link_what_the_labels_say(seeded):
    """The same, as import_seeds leaves the database: the seeds' own seats."""
    known = set(Constituency.objects.values_list("name", flat=True))
    for (document, _), (title, seats) in labels().items():
        post = Post.objects.get(title=title, live_page__source_document=document)
        assert {seat.name for seat in post.linked_constituencies} == seats & known, title


@pytest.mark.parametrize(
    ("text", "seats"),
    [
        ("Peter Bedford, the new MP, thanked voters.", set()),
        ("Mr Bedford won the seat.", set()),
        ("The count in Bedford is under way.", {"Bedford"}),
        ("Amber Valley Borough Council has counted its ballots.", set()),
        ("Erewash council staff worked through the night.", set()),
        ("It spans two boroughs, Amber Valley and Erewash, and part of Derby.", set()),
        ("Amber Valley and Erewash declared at 03:00.", {"Amber Valley", "Erewash"}),
        ("Votes at Kettering Leisure Village are being counted.", set()),
        ("The Kettering MP arrived at 01:00.", {"Kettering"}),
        ("Labour gain Corby & East Northants.", {"Corby and East Northamptonshire"}),
        ("Mid-Derbyshire was the latest to declare.", {"Mid Derbyshire"}),
        ("Labour wins MK Central.", {"Milton Keynes Central"}),
        ("West Northants council leader", set()),
    ],
)
def test_names_that_are_not_seats(text, seats):
    names = [
        "Bedford",
        "Amber Valley",
        "Erewash",
        "Kettering",
        "Corby and East Northamptonshire",
        "Mid Derbyshire",
        "Milton Keynes Central",
    ]
    assert MentionFinder({name: name for name in names}).find([text]) == seats


@pytest.mark.django_db
def test_an_editors_chosen_seats_always_win(client, seeded, editor_client):
    """A seat added by an editor is linked though the text does not name it; one the
    finder found that the editor takes off stays off, whatever the text says."""
    kettering = Constituency.objects.get(slug="kettering")
    daventry = Constituency.objects.get(slug="daventry")
    data = post_form(
        title="Counting in Kettering",
        live_page=kettering.county.live_page,
        about=[daventry],
        blocks=[{"text": "Votes for Kettering are counted beside those for Corby."}],
    )
    assert editor_client.post("/admin/liveblog/post/add/", data).status_code == 302
    post = Post.objects.get(title="Counting in Kettering")
    assert {c.slug for c in post.linked_constituencies} == {"kettering", "daventry"}

    # The editor takes Kettering off; the text still names it.
    data = post_form(
        title="Counting in Kettering",
        live_page=kettering.county.live_page,
        about=[daventry],
        **existing_blocks(post, about=False),
    )
    response = editor_client.post(f"/admin/liveblog/post/{post.pk}/change/", data)
    assert response.status_code == 302
    post = Post.objects.get(pk=post.pk)
    assert [c.slug for c in post.linked_constituencies] == ["daventry"]
    html = client.get(post.get_absolute_url()).content.decode()
    assert f'href="{kettering.get_absolute_url()}"' not in html
    assert f'href="{daventry.get_absolute_url()}"' in html
    # Saved again with more text naming Kettering, it stays off.
    data = post_form(
        title="Counting in Kettering",
        live_page=kettering.county.live_page,
        about=[daventry],
        **existing_blocks(post, about=False),
    )
    data["blocks-0-text"] = "Kettering declares at 03:00."
    assert editor_client.post(f"/admin/liveblog/post/{post.pk}/change/", data).status_code == 302
    post = Post.objects.get(pk=post.pk)
    assert [c.slug for c in post.linked_constituencies] == ["daventry"]
    assert LogEntry.objects.filter(object_id=str(post.pk)).count() == 3
