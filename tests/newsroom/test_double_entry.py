"""Double entry on the results desk (issue 27, What to build 2), as news agencies run it:
with RESULTS_DOUBLE_ENTRY on, one desk member's confirmed entry is kept, not published;
a second member's own entry that agrees on every figure publishes it, both named in the
audit; one that disagrees publishes nothing and the two are shown side by side, figure
by figure; a supervisor may publish one entry alone."""

import os
import re
import subprocess
import sys

import pytest

from results.models import DeclarationEntry, Result
from tests.newsroom.forms import (
    confirmation_data,
    declaration_address,
    declaration_form,
    declaration_post,
)
from tests.newsroom.test_desk_night import DALES_BALLOT_ORDER, library_votes
from tests.pages import text_of
from tests.snapshots import database_rows

pytestmark = pytest.mark.django_db


def entry(dales, **changes):
    """Derbyshire Dales as the returning officer declared it, with `changes` to votes."""
    votes = library_votes("derbyshire-dales") | changes
    existing = [(c, votes[c.name]) for c in dales.candidacies.all()]
    return declaration_form(dales, [], outcome="", existing=existing, electorate="74123")


def test_the_setting_comes_from_the_environment_and_is_off_by_default():
    def setting(**env):
        environment = {
            key: value for key, value in os.environ.items() if key != "RESULTS_DOUBLE_ENTRY"
        }
        environment |= {"DJANGO_SETTINGS_MODULE": "config.settings", **env}
        code = "from django.conf import settings; print(settings.RESULTS_DOUBLE_ENTRY)"
        run = subprocess.run(
            [sys.executable, "-c", code], env=environment, capture_output=True, text=True
        )
        return run.stdout.strip() or run.stderr

    assert setting() == "False"
    assert setting(RESULTS_DOUBLE_ENTRY="1") == "True"
    assert setting(RESULTS_DOUBLE_ENTRY="off") == "False"


def test_without_double_entry_one_confirmed_entry_publishes(dales, dana):
    response = declaration_post(dana, dales, entry(dales))
    assert response.status_code == 302
    assert Result.objects.get(constituency=dales).verdict == "LAB GAIN FROM CON"
    assert not DeclarationEntry.objects.exists()


def test_one_entry_is_kept_and_not_published(double_entry, dales, dana):
    checked = dana.post(declaration_address(dales), entry(dales))
    page = text_of(checked)
    assert "Keep my entry" in page and "when a second desk member's own entry agrees" in page
    response = declaration_post(dana, dales, entry(dales), follow=True)
    assert not Result.objects.filter(constituency=dales).exists()
    assert "is kept, not published" in text_of(response)
    (kept,) = DeclarationEntry.objects.pending()
    assert (kept.entered_by_name, kept.constituency) == ("dana", dales)
    listing = text_of(dana.get("/admin/results/declaration/", {"q": "Derbyshire Dales"}))
    assert "Derbyshire Dales Derbyshire Awaiting declaration – – Awaiting a second entry" in listing
    # Entered again by the same member: still one entry, still not published.
    declaration_post(dana, dales, entry(dales))
    assert DeclarationEntry.objects.pending().count() == 1
    assert not Result.objects.filter(constituency=dales).exists()


def test_the_second_member_does_not_see_the_first_entry(double_entry, dales, dana, dan):
    declaration_post(dana, dales, entry(dales))
    html = dan.get(declaration_address(dales)).content.decode()
    assert "17759" not in html and "17,759" not in html
    boxes = re.findall(r'<input[^>]*name="candidacies-\d+-votes"[^>]*>', html)
    assert len(boxes) == 7 and not any("value=" in box for box in boxes)
    page = text_of(dan.get(declaration_address(dales)))
    assert "dana entered this seat: type the figures from the returning officer's" in page
    assert "You will not see the other entry's figures: if yours disagrees" in page


def test_two_agreeing_entries_publish_with_both_named(double_entry, dales, dana, dan):
    declaration_post(dana, dales, entry(dales))
    response = declaration_post(dan, dales, entry(dales))
    assert response.status_code == 302
    result = Result.objects.get(constituency=dales)
    assert (result.verdict, result.majority) == ("LAB GAIN FROM CON", 350)
    revision = result.revisions.get()
    assert (revision.changed_by_name, revision.confirmed_by_name) == ("dana", "dan")
    assert set(DeclarationEntry.objects.values_list("revision", flat=True)) == {revision.pk}
    history = text_of(dan.get(declaration_address(dales)))
    assert "dana; confirmed by dan → LAB GAIN from CON, majority 350" in history


def test_disagreeing_entries_publish_nothing_and_are_shown_figure_by_figure(
    double_entry, dales, dana, dan, sue
):
    declaration_post(dana, dales, entry(dales))
    before = database_rows()
    response = declaration_post(dan, dales, entry(dales, **{"Sarah Dines": 17490}), follow=True)
    assert not Result.objects.filter(constituency=dales).exists()
    assert DeclarationEntry.objects.pending().count() == 2
    assert database_rows()["results.Result"] == before["results.Result"]
    page = text_of(response)
    assert "disagrees with dana's: nothing is published" in page
    assert "The figures that differ are marked below: check them on the sheet." in page
    assert "Your entry disagrees with another: nothing is published." in page
    # Dan sees his own figures only, each marked: never dana's, which he could copy.
    assert "Sarah Dines (CON) 17,490 Differs" in page
    assert "John Whitby (LAB) 17,759 Same" in page
    assert "Electorate 74,123 Same" in page
    html = response.content.decode()
    assert "17,409" not in html and "17409" not in html and "dana (" not in page
    assert html.count('class="entries-differ"') == 1
    # In ballot-paper order, whatever order the entries came in.
    assert (
        re.findall(r'<tr(?: class="entries-differ")?><th scope="row">([^<(]+) \(', html)[:7]
        == DALES_BALLOT_ORDER
    )
    # Dana sees hers only; the supervisor sees both, side by side.
    seen_by_dana = dana.get(declaration_address(dales)).content.decode()
    assert "Sarah Dines (CON) 17,409 Differs" in text_of(dana.get(declaration_address(dales)))
    assert "17,490" not in seen_by_dana and "17490" not in seen_by_dana
    seen_by_sue = text_of(sue.get(declaration_address(dales)))
    assert "The entries disagree: nothing is published." in seen_by_sue
    assert "Sarah Dines (CON) 17,409 17,490 Differs" in seen_by_sue
    assert "John Whitby (LAB) 17,759 17,759 Same" in seen_by_sue
    listing = text_of(dana.get("/admin/results/declaration/", {"q": "Derbyshire Dales"}))
    assert "Entries disagree" in listing
    # Dan checks the sheet again and re-enters: his entry now agrees, and publishes.
    assert declaration_post(dan, dales, entry(dales)).status_code == 302
    assert Result.objects.get(constituency=dales).majority == 350
    assert not DeclarationEntry.objects.pending().exists()


def test_a_supervisor_publishes_one_entry_alone(double_entry, dales, dana, dan, sue):
    declaration_post(dana, dales, entry(dales))
    (kept,) = DeclarationEntry.objects.pending()
    address = f"/admin/results/declaration/{dales.pk}/entries/{kept.pk}/publish/"
    # Not the desk's to do.
    before = database_rows()
    assert dan.get(address).status_code == 403
    assert dan.post(address).status_code == 403
    assert database_rows() == before
    page = sue.get(declaration_address(dales))
    assert "Publish dana's entry alone" in text_of(page)
    assert f'href="{address}"' in page.content.decode()
    # The button leads to the entry's figures in full, as readers will see them.
    checked = sue.get(address)
    shown = text_of(checked)
    assert "Check dana's entry before it goes to readers" in shown
    assert "Derbyshire Dales LAB GAIN FROM CON" in shown
    assert "Majority 350 votes (0.68%) Total valid votes 51,272 Turnout 69.17%" in shown
    assert "John Whitby Labour 17,759 34.64% Sarah Dines" in shown
    assert "Electorate 74,123" in shown
    # One click without the confirmation publishes nothing.
    sue.post(address)
    assert not Result.objects.filter(constituency=dales).exists()
    response = sue.post(address, confirmation_data(checked), follow=True)
    assert "Published dana's entry alone: LAB GAIN from CON, majority 350" in text_of(response)
    revision = Result.objects.get(constituency=dales).revisions.get()
    assert (revision.changed_by_name, revision.confirmed_by_name) == ("dana", "sue")
    # Published: the entry is no longer anyone's to publish.
    assert sue.get(address).status_code == 404


def test_a_supervisor_may_publish_their_own_entry_alone(double_entry, dales, dana, sue):
    checked = sue.post(declaration_address(dales), entry(dales))
    assert "Publish this result on my entry alone (supervisor)" in text_of(checked)
    # A desk member's confirmation page has no such button, and the desk cannot send it.
    assert "on my entry alone" not in text_of(dana.post(declaration_address(dales), entry(dales)))
    response = declaration_post(dana, dales, entry(dales), button="_save")
    assert response.status_code == 302
    assert not Result.objects.filter(constituency=dales).exists()
    state = re.search(r'name="_state" value="([^"]+)"', checked.content.decode()).group(1)
    forged = {**entry(dales), "_alone": "1", "_state": state}
    assert dana.post(declaration_address(dales), forged).status_code == 403
    assert not Result.objects.filter(constituency=dales).exists()
    assert sue.post(declaration_address(dales), forged).status_code == 302
    revision = Result.objects.get(constituency=dales).revisions.get()
    assert (revision.changed_by_name, revision.confirmed_by_name) == ("sue", "sue")
    history = text_of(sue.get(declaration_address(dales)))
    assert "sue, a supervisor, alone → LAB GAIN from CON" in history
