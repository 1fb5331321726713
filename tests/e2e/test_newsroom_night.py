"""The newsroom on the night (issue 14), in a real browser: the results desk declaring a
seat from the nominations, an editor writing a post block by block at a laptop's and a
phone's width, and changes made in the admin reaching an open county page in place."""

import io
import re

import pytest
from django.core.management import call_command
from django.test import Client
from playwright.sync_api import expect

from liveblog.models import Block, LivePage, Post
from liveblog.roles import EDITORS, RESULTS_DESK, roles_setup
from results.documents import read_document
from results.models import Constituency
from results.national import parse_candidates_csv
from tests.conftest import staff_member
from tests.e2e.conftest import WIDTHS, Problems, axe_violations, signed_in
from tests.national_data import FILES, import_national_arguments, national_data
from tests.newsroom.forms import existing_blocks, post_form

# Every form control inside its panel, and the page no wider than the screen: the
# controls that stick out, as [name, right edge, panel's right edge].
CONTROLS_OFF_THEIR_PANEL = """() => {
  const width = document.documentElement.clientWidth;
  const out = [];
  const controls = 'input, select, textarea, button, .select2-container';
  for (const el of document.querySelectorAll(controls)) {
    if (el.type === 'hidden' || el.offsetParent === null) continue;
    const box = el.getBoundingClientRect();
    if (!box.width) continue;
    const panel = el.closest('.inline-related, fieldset, .module, .submit-row, #content-main');
    const edge = Math.min(width, panel ? panel.getBoundingClientRect().right : width);
    if (box.right > edge + 0.5 || box.left < -0.5) {
      out.push([el.name || el.id || el.className, Math.round(box.right), Math.round(edge)]);
    }
  }
  const page = document.documentElement.scrollWidth;
  if (page > width) out.push(['page', page, width]);
  return out;
}"""
SIDEWAYS = """selector => {
  const el = document.querySelector(selector);
  return el.scrollWidth - el.clientWidth;
}"""


@pytest.fixture
def people(site):
    roles_setup()  # the database is emptied after each browser test, groups and all
    return {
        "editor": staff_member("eddie", EDITORS),
        "desk": staff_member("dana", RESULTS_DESK),
    }


@pytest.mark.parametrize("width", [390, 1280])
def test_the_desk_declares_a_seat_typing_only_votes_after_the_nominations(
    site, people, browser, width
):
    folder = national_data()
    names = ("candidates", "constituencies", "notionals")
    call_command("import_national", "--no-results", *import_national_arguments(folder, *names))
    dales = Constituency.objects.get(slug="derbyshire-dales")
    votes = {
        record.name: record.votes
        for record in parse_candidates_csv(read_document(folder / FILES["candidates"]))
        if record.ons_code == dales.ons_code
    }
    page, problems = signed_in(browser, site, "dana", width)
    page.goto(f"{site}/admin/results/declaration/")
    expect(page.locator(".night-progress")).to_contain_text("7 of 650 declared · 643 to go")
    if width >= 1280:
        assert page.evaluate(SIDEWAYS, ".results") <= 0  # every column, none cut off
    assert axe_violations(page) == []
    page.goto(f"{site}/admin/results/declaration/{dales.pk}/change/")
    computed = page.locator("#declaration-computed")
    expect(computed).to_contain_text("Type each candidate's votes")
    rows = page.locator("#candidacies-group tr.form-row:not(.empty-form)")
    assert rows.count() == len(votes)
    for index in range(rows.count()):
        row = rows.nth(index)
        name = row.locator('input[name$="-name"]')
        expect(name).to_be_disabled()  # nominated: the desk does not type names or parties
        row.locator("[data-votes]").fill(str(votes[name.input_value()]))
    page.locator("#id_electorate").fill("74123")
    # Worked out before saving: the winner, majority, shares, verdict and turnout.
    expect(computed).to_have_text(
        "Winner John Whitby (Labour) · majority 350 · LAB GAIN FROM CON · 51,272 votes · "
        "turnout 69.17%"
    )
    whitby = rows.filter(has=page.locator('input[value="John Whitby"]'))
    expect(whitby.locator("[data-share]")).to_have_text("34.64%")
    assert page.evaluate(CONTROLS_OFF_THEIR_PANEL) == []
    assert axe_violations(page) == []
    # The first step only checks: the whole result, then Publish.
    page.get_by_role("button", name="Check the result").click()
    expect(page.locator("h1")).to_have_text("Check this result before it goes to readers")
    page.get_by_role("button", name="Publish this result").click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")

    page.goto(f"{site}/constituencies/derbyshire-dales/")
    expect(page.locator(".headline-verdict")).to_have_text("LAB GAIN FROM CON")
    expect(page.locator(".facts")).to_contain_text("350 votes")
    page.goto(f"{site}/counties/derbyshire/")
    expect(page.locator(".seats")).to_contain_text(
        "Derbyshire Dales LAB GAIN FROM CON John Whitby, Labour, majority 350"
    )
    page.goto(f"{site}/")
    expect(page.locator('.declarations a[href="/constituencies/derbyshire-dales/"]')).to_have_count(
        1
    )
    assert problems.found == []
    page.context.close()


def png(width=1200, height=800):
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (30, 90, 160)).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.mark.parametrize("width", [390, 1280])
def test_a_post_with_three_kinds_of_block_added_the_usual_way(site, people, browser, width):
    page, problems = signed_in(browser, site, "eddie", width)
    page.goto(f"{site}/admin/liveblog/post/add/")
    page.get_by_label("Live page").select_option(label="Derbyshire: General election 2024 live")
    page.get_by_label("Title").fill("Erewash declares")
    add = page.get_by_role("button", name="Add another Block")
    for _ in range(3):
        add.click()
    blocks = page.locator("#blocks-group .inline-related:not(.empty-form)")
    expect(blocks).to_have_count(3)
    # Each block shows the fields of its kind, and a new one goes last.
    first, second, third = (blocks.nth(n) for n in range(3))
    expect(first.locator(".field-text")).to_be_visible()
    expect(first.locator(".field-alt")).to_be_hidden()
    text = first.locator("textarea")
    text.fill("Labour's Adam Thompson takes Erewash.")
    text.evaluate("t => t.setSelectionRange(t.value.indexOf('Adam'), t.value.indexOf(' takes'))")
    first.get_by_role("button", name="Bold").click()
    expect(text).to_have_value("Labour's <strong>Adam Thompson</strong> takes Erewash.")
    second.locator("[data-kind]").select_option("list")
    second.locator("textarea").fill("Turnout 62%\nMajority 5,859")
    third.locator("[data-kind]").select_option("image")
    expect(third.locator(".field-text")).to_be_hidden()
    expect(third.locator(".field-caption")).to_be_visible()
    third.locator('input[type="file"]').set_input_files(
        files=[{"name": "count.png", "mimeType": "image/png", "buffer": png()}]
    )
    third.get_by_label("Alt").fill("Adam Thompson at the count")
    third.get_by_label("Caption").fill("Adam Thompson celebrates")
    third.get_by_label("Credit").fill("Kate Linderholm/BBC")
    # The image moves up above the list, with a button.
    third.get_by_role("button", name="Move up: block 3").click()
    assert page.evaluate(CONTROLS_OFF_THEIR_PANEL) == []
    assert axe_violations(page) == []
    expect(page.get_by_role("button", name="Publish")).to_be_visible()
    page.get_by_role("button", name="Save draft").click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")
    expect(page.locator(".errorlist")).to_have_count(0)

    post = Post.objects.get(title="Erewash declares")
    assert not post.is_visible
    assert [(b.position, b.kind) for b in post.blocks.all()] == [
        (0, "paragraph"),
        (1, "image"),
        (2, "list"),
    ]
    assert post.blocks.first().text == "Labour's <strong>Adam Thompson</strong> takes Erewash."
    # Its form now: the post as readers would see it, one click away; nothing off-screen.
    page.goto(f"{site}/admin/liveblog/post/{post.pk}/change/")
    expect(page.get_by_role("link", name="Preview it as they will")).to_be_visible()
    assert page.evaluate(CONTROLS_OFF_THEIR_PANEL) == []
    assert axe_violations(page) == []
    page.get_by_role("button", name="Publish").click()
    expect(page.locator(".messagelist")).to_contain_text("readers see it now")
    page.goto(f"{site}/admin/liveblog/post/")
    if width >= 1280:  # time, status, breaking and pinned, with no sideways scrolling
        assert page.evaluate(SIDEWAYS, ".results") <= 0
    assert axe_violations(page) == []
    assert problems.found == []
    page.context.close()


def admin_client(user):
    client = Client()
    client.force_login(user)
    return client


def edit(client, post, **changes):
    post = Post.objects.get(pk=post.pk)
    data = post_form(title=post.title, live_page=post.live_page, **existing_blocks(post))
    data.update(changes)
    response = client.post(f"/admin/liveblog/post/{post.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]


@pytest.mark.parametrize("width", WIDTHS)
def test_edits_unpublishing_and_pins_reach_an_open_county_page_in_place(
    site, people, browser, width, settings
):
    settings.LIVE_POLL_SECONDS = 1
    context = browser.new_context(viewport={"width": width, "height": 900})
    reader = context.new_page()
    problems = Problems(reader)
    reader.goto(f"{site}/counties/derbyshire/")
    reader.evaluate("window.notReloaded = true")
    editor = admin_client(people["editor"])
    queues = Post.objects.get(title="Queues to get in")
    bolsover = Post.objects.get(title="Bolsover may declare earlier than expected")
    welcome = Post.objects.get(title="Welcome to our election coverage")
    status = reader.locator(".live [role=status]")

    # The reader is reading a post further down; what is above it changes.
    anchor = reader.locator(f"#post-{Post.objects.get(title__startswith='Border towns').pk}")
    anchor.scroll_into_view_if_needed()
    reader.evaluate("window.scrollBy(0, -20)")
    top = anchor.evaluate("el => el.getBoundingClientRect().top")

    edit(editor, queues, title="Queues to get in at Dronfield")
    article = reader.locator(f"#post-{queues.pk}")
    expect(article.locator(".post__title")).to_have_text(
        "Queues to get in at Dronfield", timeout=10000
    )
    expect(article.locator(".updated")).to_contain_text("Updated")
    expect(status).to_contain_text("Updated: Queues to get in at Dronfield")

    editor.post("/admin/liveblog/post/", {"action": "unpublish", "_selected_action": [bolsover.pk]})
    expect(reader.locator(f"#post-{bolsover.pk}")).to_have_count(0, timeout=10000)
    expect(status).to_contain_text("A post was removed")

    edit(editor, welcome, pinned="on")
    pinned = reader.locator(".pinned")
    expect(pinned.locator(f"#post-{welcome.pk}")).to_be_visible(timeout=10000)
    expect(pinned).to_contain_text("Key post")
    expect(status).to_contain_text("Pinned to the top: Welcome to our election coverage")
    expect(reader.locator(f"#post-{welcome.pk}")).to_have_count(1)
    expect(article.locator(".updated")).to_have_count(1)  # a pin is no edit

    # What the reader was reading has not moved, for all that changed above it.
    assert abs(anchor.evaluate("el => el.getBoundingClientRect().top") - top) <= 2
    assert reader.evaluate("window.notReloaded") is True
    assert axe_violations(reader) == []
    assert problems.found == []
    context.close()


def test_a_declaration_drafts_a_post_an_editor_publishes_from_the_awaiting_list(
    site, people, browser
):
    dales = Constituency.objects.get(slug="derbyshire-dales")
    from results.models import Party

    labour, conservative = Party.objects.get(slug="labour"), Party.objects.get(slug="conservative")
    dales.candidacies.create(name="John Whitby", party=labour, votes=17759)
    dales.candidacies.create(name="Sarah Dines", party=conservative, votes=17409)
    from results.services import result_declare

    result_declare(constituency=dales, electorate=74123, user=people["desk"])
    page, problems = signed_in(browser, site, "eddie", 1280)
    page.goto(f"{site}/admin/")
    nav = page.locator("#content-main")
    expect(nav).to_contain_text("Result posts awaiting an editor")
    expect(nav).not_to_contain_text("Constituencies")
    page.get_by_role("link", name="Result posts awaiting an editor").first.click()
    title = "Labour gain Derbyshire Dales from the Conservatives: John Whitby wins by 350 votes"
    expect(page.locator("#result_list")).to_contain_text(title)
    assert axe_violations(page) == []
    page.get_by_role("button", name=f"Publish: {title}").click()
    expect(page.locator(".messagelist")).to_contain_text("readers see it now")
    page.goto(f"{site}/counties/derbyshire/")
    card = page.locator(".result-card")
    expect(card).to_contain_text("LAB GAIN FROM CON")
    expect(card.get_by_role("table")).to_contain_text("John Whitby")
    assert axe_violations(page) == []
    assert problems.found == []
    assert Block.objects.filter(post__drafted_from=dales, kind="result").count() == 1
    assert LivePage.objects.get(county__slug="derbyshire").posts.filter(title=title).count() == 1
    assert re.search("Derbyshire Dales", page.content())
    page.context.close()
