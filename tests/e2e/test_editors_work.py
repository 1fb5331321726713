"""Editors' work is never lost (issue 27), in a real browser at a phone's and a laptop's
width: a form refused for one block keeps the photo of another and names only the block
at fault, and the post's history is one click from its form."""

import io

import pytest
from playwright.sync_api import expect

from liveblog.models import Post
from liveblog.roles import EDITORS, roles_setup
from tests.conftest import PASSWORD, staff_member
from tests.e2e.conftest import Problems, axe_violations, login


def png(width=1200, height=800):
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (30, 90, 160)).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.mark.parametrize("width", [390, 1280])
def test_a_refused_post_keeps_its_photo_and_names_only_the_block_at_fault(site, browser, width):
    roles_setup()  # the database is emptied after each browser test, groups and all
    staff_member("eddie", EDITORS, first_name="Eddie", last_name="Mair")
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    problems = Problems(page)
    login(page, site, "eddie", PASSWORD)

    page.goto(f"{site}/admin/liveblog/post/add/")
    page.get_by_label("Live page").select_option(label="Derbyshire: General election 2024 live")
    page.get_by_label("Title").fill("Erewash declares")
    add = page.get_by_role("button", name="Add another Block")
    add.click()
    add.click()
    blocks = page.locator("#blocks-group .inline-related:not(.empty-form)")
    quote, photo = blocks.nth(0), blocks.nth(1)
    quote.locator("textarea").fill("He said: <blockquote>We won, and we won well.</blockquote>")
    photo.locator("[data-kind]").select_option("image")
    photo.locator('input[type="file"]').set_input_files(
        files=[{"name": "count.png", "mimeType": "image/png", "buffer": png()}]
    )
    photo.get_by_label("Alt").fill("Adam Thompson at the count")
    photo.get_by_label("Caption").fill("Adam Thompson celebrates")
    photo.get_by_label("Credit").fill("Kate Linderholm/BBC")
    page.get_by_role("button", name="Publish").click()

    # Refused for the quote alone; the photo is kept, and said to be.
    expect(page.locator(".errornote")).to_be_visible()
    quote, photo = blocks.nth(0), blocks.nth(1)
    expect(quote.locator(".errorlist")).to_have_text(
        "Posts cannot show <blockquote>: saving would drop it. The text is now what readers "
        "would see: check it and save again."
    )
    expect(photo.locator(".errorlist")).to_have_count(0)
    expect(photo.locator(".field-image")).to_contain_text(
        "Your photo count.png is kept (1200 × 800 pixels): you need not choose it again."
    )
    assert axe_violations(page) == []

    page.get_by_role("button", name="Publish").click()
    expect(page.locator(".messagelist")).to_contain_text("readers see it now")
    post = Post.objects.get(title="Erewash declares")
    assert [block.kind for block in post.blocks.all()] == ["paragraph", "image"]
    assert post.blocks.last().image_width == 1200

    # The post's history, one click from its form: who changed what.
    page.goto(f"{site}/admin/liveblog/post/{post.pk}/change/")
    page.get_by_role("link", name="Every version of this post: who changed what").click()
    expect(page.locator("#result_list")).to_contain_text("Eddie Mair")
    assert axe_violations(page) == []
    page.get_by_role("link", name="version 1").click()
    expect(page.locator("#content")).to_contain_text("Erewash declares")
    assert axe_violations(page) == []
    assert problems.found == []
    context.close()
