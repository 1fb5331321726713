"""The results desk mended after review (issue 27): entries go with the results they
published, turnouts compare as numbers, and the migrations keep their own rules."""

import importlib
import inspect

import pytest

from liveblog.roles import RESULTS_DESK
from results.models import DeclarationEntry, Result, ballot_name
from results.services import (
    entries_agree,
    entry_figures,
    results_clear,
)
from tests.newsroom.conftest import signed_in
from tests.newsroom.forms import declaration_address, declaration_post
from tests.newsroom.test_double_entry import entry
from tests.pages import text_of

pytestmark = pytest.mark.django_db


def test_after_a_clear_the_seat_starts_over(double_entry, dales, dana, dan):
    declaration_post(dana, dales, entry(dales))
    declaration_post(dan, dales, entry(dales))
    assert Result.objects.get(constituency=dales).majority == 350
    assert results_clear() >= 1
    assert not DeclarationEntry.objects.exists()
    # A third member's entry is the first of the seat again: kept, not published.
    dee = signed_in("dee", RESULTS_DESK)
    response = declaration_post(dee, dales, entry(dales), follow=True)
    assert "is kept, not published" in text_of(response)
    assert not Result.objects.filter(constituency=dales).exists()
    assert [e.entered_by_name for e in DeclarationEntry.objects.pending()] == ["dee"]


def figures(dales, **typed):
    candidates = [(c, c.name, c.party, 100 + i) for i, c in enumerate(dales.candidacies.all())]
    return entry_figures(candidates=candidates, **typed)


def test_a_turnout_is_compared_as_a_number(dales):
    assert entries_agree(figures(dales, turnout="59.0"), figures(dales, turnout="59.00"))
    assert not entries_agree(figures(dales, turnout="59.0"), figures(dales, turnout="59.01"))
    # With an electorate the turnout is worked out, and what was typed is not kept.
    assert entries_agree(
        figures(dales, electorate=74123, turnout="59.0"), figures(dales, electorate=74123)
    )
    assert figures(dales, electorate=74123, turnout="59")["turnout"] is None
    assert figures(dales, turnout="59")["turnout"] == "59.00"


def test_the_migration_keeps_its_own_ballot_paper_rule():
    migration = importlib.import_module("results.migrations.0006_desk_double_entry")
    source = inspect.getsource(migration)
    assert "from results" not in source and "import results" not in source
    for name in ("Rosie Wrighting", "Rachel Elnaugh-Love", "Zoë O'Neill", "Cher", ""):
        assert migration.ballot_name(name) == ballot_name(name)


def test_the_page_the_confirmation_and_the_result_give_one_count(dales, dana):
    """Winner, majority, shares and verdict come from count_compute everywhere."""
    checked = dana.post(declaration_address(dales), {**entry(dales), "_save": "Check"})
    assert "John Whitby Labour 17,759 34.64% Sarah Dines Conservative 17,409 33.95%" in (
        text_of(checked)
    )
    declaration_post(dana, dales, entry(dales))
    shares = dict(dales.candidacies.values_list("name", "share"))
    assert (str(shares["John Whitby"]), str(shares["Sarah Dines"])) == ("34.64", "33.95")
    page = text_of(dana.get(declaration_address(dales)))
    assert "Winner John Whitby (Labour) · majority 350 · LAB GAIN FROM CON · 51,272 votes" in page
    # The audit trail and the entries' comparison put figures into words alike.
    assert "→ LAB GAIN from CON, majority 350 (John Whitby 17,759, Sarah Dines 17,409," in page
    assert "turnout 69.17%, electorate 74,123, declared " in page
