"""Every change readers could see is numbered once, in order (results.changes): results
declared, corrected and withdrawn, posts shown, edited and removed."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from liveblog.changes import due_posts_release
from liveblog.models import LivePage, Post, PostStatus
from liveblog.services import post_discard, post_publish, post_unpublish, posts_set
from results.changes import change_record
from results.models import ChangeCounter, ChangeRecord, Constituency, Result
from results.services import count_declare, results_clear
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
