"""Every change to the published scoreboard, in the admin or by an import, is kept in
the results app's own record with its figures and lines before and after."""

from dataclasses import replace

import pytest

from liveblog.parsers import parse_live_page
from results.imports import published_scoreboard_import
from results.models import PublishedScoreboard
from tests.pages import text_of
from tests.seeds import seed_path, seed_text

pytestmark = pytest.mark.django_db


def scoreboard_form(scoreboard, **changes):
    """The scoreboard's change form as the admin shows it, with `changes` made."""
    tallies = list(scoreboard.tallies.all())
    data = {
        "election": scoreboard.election_id,
        "seats_for_majority": scoreboard.seats_for_majority,
        "seats_to_go": scoreboard.seats_to_go,
        "source_document": scoreboard.source_document,
        "tallies-TOTAL_FORMS": len(tallies),
        "tallies-INITIAL_FORMS": len(tallies),
        "tallies-MIN_NUM_FORMS": 0,
        "tallies-MAX_NUM_FORMS": 1000,
    }
    for number, tally in enumerate(tallies):
        for name in ("id", "position", "label", "party", "seats", "change"):
            value = getattr(tally, f"{name}_id" if name == "party" else name)
            data[f"tallies-{number}-{name}"] = "" if value is None else value
        data[f"tallies-{number}-scoreboard"] = scoreboard.pk
    data.update(changes)
    return data


def test_the_published_scoreboard_edited_in_the_admin_keeps_a_revision(seeded, desk_client):
    scoreboard = PublishedScoreboard.objects.latest()
    first = scoreboard.tallies.first()
    assert (first.label, first.seats) == ("Labour", 412)
    response = desk_client.post(
        f"/admin/results/publishedscoreboard/{scoreboard.pk}/change/",
        scoreboard_form(scoreboard, **{"tallies-0-seats": 411}),
    )
    assert response.status_code == 302, text_of(response)
    revision = scoreboard.revisions.first()
    assert revision.before["lines"][0] == ["Labour", 412, 211]
    assert revision.after["lines"][0] == ["Labour", 411, 211]
    assert revision.who == "dana"
    listing = text_of(desk_client.get("/admin/results/scoreboardrevision/"))
    assert "2024 UK general election dana lines" in listing


def test_the_published_scoreboard_changed_by_an_import_keeps_a_revision(seeded):
    path = seed_path("000")
    record = parse_live_page(seed_text("000"), source=path, year=2024)
    scoreboard = PublishedScoreboard.objects.latest()
    changed = replace(record.scoreboard, seats_to_go=3)
    published_scoreboard_import(election=scoreboard.election, scoreboard=changed, source=path)
    revision = scoreboard.revisions.first()
    assert (revision.before["seats_to_go"], revision.after["seats_to_go"]) == (0, 3)
    assert revision.who == f"an import of {path.name}"
    # The same figures again: nothing changed, nothing recorded.
    published_scoreboard_import(election=scoreboard.election, scoreboard=changed, source=path)
    assert scoreboard.revisions.count() == 2
