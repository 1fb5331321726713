"""The results desk in a real browser at a phone's and a laptop's width (issue 27): a
seat declared with the confirmation step (Enter only checks), no phantom candidate row,
and under double entry a second member's disagreeing entry shown figure by figure with
nothing published. axe finds nothing on the form, the confirmation or the disagreement."""

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from playwright.sync_api import expect

from liveblog.roles import RESULTS_DESK, RESULTS_SUPERVISORS, roles_setup
from results.documents import read_document
from results.models import Constituency, DeclarationEntry, Result
from results.national import parse_candidates_csv
from results.services import declaration_enter, entry_figures
from tests.conftest import staff_member
from tests.e2e.conftest import axe_violations, screenshot, signed_in
from tests.national_data import FILES, import_national_arguments, national_data

WIDTHS = [390, 1280]
# The candidate rows a reader of the page can see (the template row must not be one).
VISIBLE_ROWS = """() => Array.from(document.querySelectorAll('#candidacies-group tr'))
  .filter(row => row.querySelector('input, select') && row.offsetParent !== null
                 && row.getBoundingClientRect().height > 0)
  .map(row => row.id)"""


@pytest.fixture
def dales(site):
    roles_setup()  # the database is emptied after each browser test, groups and all
    staff_member("dana", RESULTS_DESK)
    staff_member("dan", RESULTS_DESK)
    staff_member("sue", RESULTS_SUPERVISORS)
    folder = national_data()
    names = ("candidates", "constituencies", "notionals")
    call_command("import_national", "--no-results", *import_national_arguments(folder, *names))
    return Constituency.objects.get(slug="derbyshire-dales")


def library_votes(dales):
    records = parse_candidates_csv(read_document(national_data() / FILES["candidates"]))
    return {r.name: r.votes for r in records if r.ons_code == dales.ons_code}


def type_votes(page, votes):
    rows = page.locator("#candidacies-group tr.form-row:not(.empty-form)")
    for index in range(rows.count()):
        row = rows.nth(index)
        name = row.locator('input[name$="-name"]').input_value()
        row.locator("[data-votes]").fill(str(votes[name]))
    return rows


@pytest.mark.parametrize("width", WIDTHS)
def test_the_desk_declares_a_seat_with_a_confirmation_step(site, dales, browser, width):
    votes = library_votes(dales)
    page, problems = signed_in(browser, site, "dana", width)
    page.goto(f"{site}/admin/results/declaration/{dales.pk}/change/")
    # Seven candidates, in ballot-paper order, and no blank eighth (Django's template row).
    rows = page.evaluate(VISIBLE_ROWS)
    assert rows == [f"candidacies-{n}" for n in range(7)], rows
    expect(page.locator('input[name="candidacies-0-name"]')).to_have_value("Kelda Boothroyd")
    expect(page.locator("#candidacies-group [data-votes]").first).to_have_value("")
    # One box typed: the rest are not taken for 0.
    page.locator("#candidacies-group [data-votes]").first.fill("2830")
    expect(page.locator("#declaration-computed")).to_contain_text(
        "6 candidates' votes still to type"
    )
    type_votes(page, votes)
    expect(page.locator("#declaration-computed")).not_to_contain_text("still to type")
    page.locator("#id_electorate").fill("74123")
    screenshot(page, f"desk-declaration-{width}")
    assert page.evaluate(VISIBLE_ROWS) == rows
    assert axe_violations(page) == []

    # Enter in a votes box only checks: the whole result, nothing published.
    page.locator("#candidacies-group [data-votes]").last.press("Enter")
    expect(page.locator("h1")).to_have_text("Check this result before it goes to readers")
    assert not Result.objects.filter(constituency=dales).exists()
    result = page.locator(".confirm-result")
    expect(result.locator("h2")).to_have_text("Derbyshire Dales LAB GAIN FROM CON")
    expect(result.locator(".confirm-facts")).to_contain_text("Majority350 votes (0.68%)")
    expect(result.locator("tbody tr").first).to_have_text("John WhitbyLabour17,75934.64%")
    expect(result.locator(".confirm-facts")).to_contain_text("Turnout69.17%")
    screenshot(page, f"desk-confirmation-{width}")
    assert axe_violations(page) == []

    # Back to change a figure: the figures come back as typed.
    page.get_by_role("button", name="Go back and change").click()
    expect(page.locator(".declaration-editing")).to_contain_text("Nothing is published yet")
    whitby = page.locator('#candidacies-group tr:has(input[value="John Whitby"]) [data-votes]')
    expect(whitby).to_have_value("17759")
    assert page.evaluate(VISIBLE_ROWS) == rows
    page.get_by_role("button", name="Check the result").click()
    page.get_by_role("button", name="Publish this result").click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    assert Result.objects.get(constituency=dales).verdict == "LAB GAIN FROM CON"
    page.goto(f"{site}/constituencies/derbyshire-dales/")
    expect(page.locator(".headline-verdict")).to_have_text("LAB GAIN FROM CON")
    assert problems.found == []
    page.context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_a_disagreeing_second_entry_is_shown_and_nothing_published(
    site, dales, browser, width, settings
):
    settings.RESULTS_DOUBLE_ENTRY = True
    votes = library_votes(dales)
    # Dana's entry, as she confirmed it a minute ago.
    dana = User.objects.get(username="dana")
    candidacies = list(dales.candidacies.select_related("party"))
    figures = entry_figures(
        candidates=[(c, c.name, c.party, votes[c.name]) for c in candidacies], electorate=74123
    )
    declaration_enter(constituency=dales, figures=figures, user=dana)

    page, problems = signed_in(browser, site, "dan", width)
    page.goto(f"{site}/admin/results/declaration/{dales.pk}/change/")
    entries = page.locator(".declaration-entries")
    expect(entries).to_contain_text("dana entered this seat")
    expect(page.locator("#content-main")).not_to_contain_text("17,759")
    type_votes(page, {**votes, "Sarah Dines": 17490})
    page.locator("#id_electorate").fill("74123")
    page.locator("#id_electorate").press("Enter")
    expect(page.locator("h1")).to_have_text("Check this result before it goes to readers")
    page.get_by_role("button", name="Keep my entry").click()

    expect(page.locator(".messagelist")).to_contain_text("nothing is published")
    # Dan sees his own figures, each marked, and none of dana's: he checks the sheet.
    table = page.locator(".entries-compared")
    dines = table.locator("tr", has_text="Sarah Dines (CON)")
    expect(dines).to_have_text("Sarah Dines (CON)17,490Differs")
    expect(dines).to_have_class("entries-differ")
    expect(table.locator("tr", has_text="John Whitby (LAB)")).to_have_text(
        "John Whitby (LAB)17,759Same"
    )
    assert "17,409" not in page.content() and "17409" not in page.content()
    assert not Result.objects.filter(constituency=dales).exists()
    assert DeclarationEntry.objects.pending().count() == 2
    screenshot(page, f"desk-entries-disagree-{width}")
    assert axe_violations(page) == []
    page.goto(f"{site}/admin/results/declaration/?declared=disagree")
    expect(page.locator("#result_list")).to_contain_text("Entries disagree")
    assert axe_violations(page) == []
    assert problems.found == []
    page.context.close()

    # The supervisor sees both entries, and publishes dana's only after checking it.
    page, problems = signed_in(browser, site, "sue", width)
    page.goto(f"{site}/admin/results/declaration/{dales.pk}/change/")
    both = page.locator(".entries-compared tr", has_text="Sarah Dines (CON)")
    expect(both).to_have_text("Sarah Dines (CON)17,40917,490Differs")
    page.get_by_role("link", name="Publish dana's entry alone").click()
    expect(page.locator("h1")).to_have_text("Check dana's entry before it goes to readers")
    expect(page.locator(".confirm-result h2")).to_have_text("Derbyshire Dales LAB GAIN FROM CON")
    assert not Result.objects.filter(constituency=dales).exists()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Publish dana's entry alone").click()
    expect(page.locator(".messagelist")).to_contain_text(
        "Published dana's entry alone: LAB GAIN from CON, majority 350"
    )
    assert Result.objects.get(constituency=dales).majority == 350
    assert problems.found == []
    page.context.close()
