"""The newsroom's own record of every change outlives what it is about and who made it:
a post keeps its author's name after their account goes; every change to a live page's
title and summary is kept with its content before and after, whether made in the admin
or by an import (the published scoreboard's: tests/newsroom/test_scoreboard_audit.py)."""

from dataclasses import replace

import pytest
from django.contrib.auth.models import User

from liveblog.imports import live_page_import
from liveblog.models import LivePage, Post
from liveblog.parsers import parse_live_page
from liveblog.services import post_save_by
from tests.conftest import staff_member
from tests.pages import text_of
from tests.seeds import seed_path, seed_text

pytestmark = pytest.mark.django_db


def derbyshire():
    return LivePage.objects.get(county__slug="derbyshire")


def test_a_post_keeps_its_authors_name_after_their_account_is_deleted(seeded, admin_client):
    anna = staff_member("anna", "Editors", first_name="Anna", last_name="Black")
    post = Post(live_page=derbyshire(), title="Erewash counts")
    post_save_by(post=post, user=anna)
    anna.delete()
    post.refresh_from_db()
    assert (post.created_by, post.created_by_name) == (None, "Anna Black")
    record = text_of(admin_client.get(f"/admin/liveblog/post/{post.pk}/change/"))
    assert "Created by: Anna Black" in record


def test_a_live_page_edited_in_the_admin_keeps_a_revision(seeded, editor_client):
    live_page = derbyshire()
    response = editor_client.post(
        f"/admin/liveblog/livepage/{live_page.pk}/change/",
        {"title": "Derbyshire decides", "summary_lines": "Labour sweeps the county\nAll 11 seats"},
    )
    assert response.status_code == 302
    # The first, when the seeds were imported; then the editor's.
    assert [revision.who for revision in live_page.revisions.all()] == [
        "eddie",
        f"an import of {live_page.source_document}",
    ]
    revision = live_page.revisions.first()
    assert revision.before == {
        "title": "Derbyshire: General election 2024 live",
        "summary": live_page.summary,
    }
    assert revision.after == {
        "title": "Derbyshire decides",
        "summary": ["Labour sweeps the county", "All 11 seats"],
    }
    assert (revision.who, revision.county_name) == ("eddie", "Derbyshire")
    # Saved again unchanged: nothing to record.
    editor_client.post(
        f"/admin/liveblog/livepage/{live_page.pk}/change/",
        {"title": "Derbyshire decides", "summary_lines": "Labour sweeps the county\nAll 11 seats"},
    )
    assert live_page.revisions.count() == 2
    # The history survives the page and the editor.
    User.objects.filter(username="eddie").delete()
    live_page.delete()
    revision.refresh_from_db()
    assert (revision.live_page, revision.who, revision.county_name) == (
        None,
        "eddie",
        "Derbyshire",
    )
    # Another editor finds it in the admin.
    editor_client.force_login(staff_member("carol", "Editors"))
    listing = text_of(editor_client.get("/admin/liveblog/livepagerevision/"))
    assert "Derbyshire (deleted) eddie title, summary" in listing
    shown = text_of(editor_client.get(f"/admin/liveblog/livepagerevision/{revision.pk}/change/"))
    assert (
        "the title was “Derbyshire: General election 2024 live”, is now “Derbyshire decides”"
        in shown
    )


def test_a_live_page_changed_by_an_import_keeps_a_revision(seeded):
    path = seed_path("000")
    record = parse_live_page(seed_text("000"), source=path, year=2024)
    live_page = LivePage.objects.get(source_document=path.name)
    changed = replace(record, summary=("A new first line", *record.summary[1:]))
    live_page_import(record=changed, county_name=live_page.county.name, source=path)
    revision = live_page.revisions.first()
    assert revision.before["summary"][0] == record.summary[0]
    assert revision.after["summary"] == ["A new first line", *record.summary[1:]]
    assert revision.who == f"an import of {path.name}"
