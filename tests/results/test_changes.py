"""Every change readers could see is numbered once, in order (results.changes): results
declared, corrected and withdrawn, posts shown, edited and removed."""

import re
import threading
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from liveblog.changes import due_posts_release
from liveblog.models import LivePage, Post, PostStatus
from liveblog.services import post_discard, post_publish, post_unpublish, posts_set
from results.changes import change_record
from results.models import ChangeCounter, ChangeRecord, Constituency, Result
from results.services import count_declare, results_clear
from tests.liveblog.test_import_seeds import edited, write_manifest
from tests.national_data import correct_by, import_national_arguments, national_data

pytestmark = pytest.mark.django_db


def recorded_after(number):
    """(kind, object_id, action) of each change after `number`, in order."""
    return list(
        ChangeRecord.objects.filter(number__gt=number).values_list("kind", "object_id", "action")
    )


def last_number():
    return ChangeRecord.objects.order_by("-number").values_list("number", flat=True).first() or 0


def test_numbers_follow_one_another_from_a_counter_made_when_missing(db):
    assert not ChangeCounter.objects.exists()
    first = change_record("result", 7, "declared")
    second = change_record("post", 9, "published")
    assert (first.number, second.number) == (1, 2)
    assert ChangeCounter.objects.get().value == 2


def test_the_imports_record_each_seat_declared_once(every_seat):
    # The seeds declared their seats first; the Library's files declared the rest and
    # corrected the seeds' where their figures differ.
    declared = ChangeRecord.objects.filter(kind="result", action="declared")
    assert declared.count() == 650
    assert declared.values("object_id").distinct().count() == 650
    numbers = list(ChangeRecord.objects.values_list("number", flat=True))
    assert numbers == list(range(1, len(numbers) + 1))


def test_a_reimport_that_changes_nothing_records_nothing(every_seat):
    before = last_number()
    call_command("import_national", *import_national_arguments(national_data()), stdout=StringIO())
    assert last_number() == before


def test_corrections_and_withdrawals_are_recorded_once_each(every_seat):
    kettering = Constituency.objects.get(slug="kettering")
    start = last_number()
    correct_by("kettering", 100)
    assert recorded_after(start) == [("result", kettering.pk, "corrected")]
    start = last_number()
    correct_by("kettering", 0)  # the same figures again: no change
    assert recorded_after(start) == []

    results_clear()
    withdrawn = recorded_after(start)
    assert len(withdrawn) == 650
    assert {action for _, _, action in withdrawn} == {"withdrawn"}
    assert ("result", kettering.pk, "withdrawn") in withdrawn

    start = last_number()
    candidacies = list(kettering.candidacies.order_by("name"))
    count_declare(
        constituency=kettering,
        votes={candidacy.pk: 1000 + index for index, candidacy in enumerate(candidacies)},
    )
    assert recorded_after(start) == [("result", kettering.pk, "declared")]
    assert Result.objects.get(constituency=kettering).majority == 1


@pytest.mark.parametrize(("start", "results"), [("seeded", 7), ("every_seat", 650)])
def test_clearing_the_results_reads_and_writes_as_much_for_7_as_for_650(
    request, django_assert_num_queries, start, results
):
    request.getfixturevalue(start)
    before = last_number()
    with django_assert_num_queries(10):
        assert results_clear() == results
    withdrawn = recorded_after(before)
    assert len(withdrawn) == results
    assert {action for _, _, action in withdrawn} == {"withdrawn"}
    assert not Result.objects.exists()


def test_a_result_deleted_by_itself_is_withdrawn(every_seat):
    kettering = Constituency.objects.get(slug="kettering")
    before = last_number()
    kettering.result.delete()
    assert recorded_after(before) == [("result", kettering.pk, "withdrawn")]


def test_posts_shown_edited_and_removed_are_recorded(seeded, editor):
    page = LivePage.objects.get(county__slug="derbyshire")
    start = last_number()
    draft = Post.objects.create(live_page=page, title="Draft", status=PostStatus.DRAFT)
    pk = draft.pk
    assert recorded_after(start) == []  # readers see no draft
    post_publish(post=draft, user=editor)
    draft.title = "Draft, now news"
    draft.save()
    posts_set(posts=[draft], user=editor, pinned=True)
    post_unpublish(post=draft, user=editor)
    post_publish(post=draft, user=editor)
    post_discard(post=draft, user=editor)
    assert recorded_after(start) == [
        ("post", pk, action)
        for action in ("published", "edited", "edited", "removed", "published", "removed")
    ]


def test_a_reimported_post_is_one_change_however_many_blocks(seeded, tmp_path):
    """An imported post whose text changed in its document is edited once, though the
    import writes its three blocks again."""
    post = Post.objects.get(title="Our live coverage has ended")
    assert post.blocks.count() == 3
    manifest = write_manifest(
        tmp_path, seed_003=edited("003", "Quite the night indeed.", "Quite the night, indeed.")
    )
    start = last_number()
    call_command("import_seeds", "--manifest", manifest, stdout=StringIO())
    assert recorded_after(start) == [("post", post.pk, "edited")]
    assert post.blocks.first().text == "Quite the night, indeed."
    start = last_number()
    post.blocks.last().delete()  # a block taken off by itself is an edit
    assert recorded_after(start) == [("post", post.pk, "edited")]


def rows_locked(queries):
    """The change counter and live pages, in the order a transaction first updated each
    (an update holds the row until commit)."""
    updated = (re.match(r'UPDATE "(\w+)"', query["sql"]) for query in queries)
    tables = (table[1] for table in updated if table)
    return list(
        dict.fromkeys(t for t in tables if t in ("results_changecounter", "liveblog_livepage"))
    )


def seeds_imported(manifest=None):
    options = ["--manifest", manifest] if manifest else []
    call_command("import_seeds", *options, stdout=StringIO())


def seeds_reimported_with_a_new_summary(tmp_path):
    # The live page's summary is written before its post's change is numbered.
    text = edited(
        "004",
        "Conservatives completely wiped out by Labour in county",
        "Conservatives wiped out by Labour in the county",
    )
    text = text.replace("neck-and-neck with Labour in Derby South.", "neck-and-neck.", 1)
    seeds_imported(write_manifest(tmp_path, seed_004=text))


def post_published(editor):
    page = LivePage.objects.get(county__slug="derbyshire")
    post = Post.objects.create(live_page=page, title="Recount", status=PostStatus.DRAFT)
    post_publish(post=post, user=editor)


def post_deleted(editor):
    post_discard(post=Post.objects.filter(live_page__county__slug="derbyshire").first())


@pytest.mark.parametrize(
    ("start", "writer"),
    [
        ("db", lambda editor, tmp_path: seeds_imported()),
        ("seeded", lambda editor, tmp_path: seeds_reimported_with_a_new_summary(tmp_path)),
        ("seeded", lambda editor, tmp_path: post_published(editor)),
        ("seeded", lambda editor, tmp_path: post_deleted(editor)),
    ],
    ids=["seeds imported", "seeds imported again", "post published", "post deleted"],
)
def test_every_writer_takes_the_counter_before_a_live_page(
    request, editor, tmp_path, start, writer
):
    """The same order for every writer, so that none waits for a row another holds
    while that one waits for its own: on PostgreSQL, a deadlock."""
    request.getfixturevalue(start)
    with CaptureQueriesContext(connection) as queries, transaction.atomic():
        writer(editor, tmp_path)
    assert rows_locked(queries) == ["results_changecounter", "liveblog_livepage"]


def test_a_scheduled_post_is_recorded_when_its_time_comes(seeded):
    page = LivePage.objects.get(county__slug="derbyshire")
    start = last_number()
    later = Post.objects.create(
        live_page=page, title="Embargoed", published_at=timezone.now() + timedelta(hours=1)
    )
    assert recorded_after(start) == []
    Post.objects.filter(pk=later.pk).update(published_at=timezone.now() - timedelta(seconds=1))
    assert due_posts_release(page) == 1
    assert recorded_after(start) == [("post", later.pk, "published")]


# Skipped before its database is set up: flushing it after would fail in a worker whose
# thread a browser test has left an event loop in.
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite lets one writer in at a time: the database orders them itself",
)
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("counter", ["made by the first writer", "there already"])
def test_a_second_writer_waits_for_the_first_to_commit(counter):
    """Two writers at once: the second cannot take a number, nor commit, until the first
    has committed, so no poller reads number 2 while number 1 may still come."""
    if counter == "there already":
        ChangeCounter.objects.create(pk=1, value=0)
    numbered, commit, second_done = threading.Event(), threading.Event(), threading.Event()
    numbers = {}

    def writer(name, object_id, first):
        try:
            if not first:
                numbered.wait(10)
            with transaction.atomic():
                numbers[name] = change_record("result", object_id, "declared").number
                if first:
                    numbered.set()
                    commit.wait(10)
            if not first:
                second_done.set()
        finally:
            connection.close()

    threads = [
        threading.Thread(target=writer, args=("first", 11, True)),
        threading.Thread(target=writer, args=("second", 22, False)),
    ]
    for thread in threads:
        thread.start()
    try:
        assert numbered.wait(10)
        # The second waits on the counter's row, which the first holds until it commits.
        assert not second_done.wait(1)
        assert "second" not in numbers
        assert not ChangeRecord.objects.exists()  # nothing committed yet
    finally:
        commit.set()
        for thread in threads:
            thread.join(10)
    assert numbers == {"first": 1, "second": 2}
    assert list(ChangeRecord.objects.values_list("number", "object_id")) == [(1, 11), (2, 22)]
