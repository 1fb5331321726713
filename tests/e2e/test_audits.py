"""Accessibility (axe-core, WCAG 2.2 A and AA), page weight, and clean consoles, per page type."""

import pytest

from liveblog.models import Post
from results.models import Constituency
from tests.e2e.conftest import WIDTHS, Problems, axe_violations, login

READER_PAGES = {
    "home": "/",
    "county": "/counties/leicestershire-and-rutland/",
    "constituency": "/constituencies/kettering/",
    "constituency, sorted": "/constituencies/kettering/?sort=party",
    "party": "/parties/labour/",
    "search": "/search/?q=northampton",
    "search, no match": "/search/?q=atlantis",
    "not found": "/constituencies/atlantis/",
}
HTML_BUDGET = 100 * 1024
CSS_BUDGET = 30 * 1024


def reader_pages():
    pages = dict(READER_PAGES)
    pages["post"] = Post.objects.get(title="Labour gain Loughborough").get_absolute_url()
    return pages


@pytest.mark.parametrize("width", WIDTHS)
def test_reader_pages_have_no_violations_or_console_problems(site, page, width):
    page.set_viewport_size({"width": width, "height": 900})
    problems = Problems(page, expected_statuses={404})
    for name, address in reader_pages().items():
        page.goto(site + address)
        assert axe_violations(page) == [], name
    assert problems.found == []


@pytest.mark.parametrize("width", WIDTHS)
def test_newsroom_admin_pages_have_no_violations(site, page, width, superuser):
    page.set_viewport_size({"width": width, "height": 900})
    login(page, site, superuser.username, "correct horse battery staple")
    post = Post.objects.get(title="Labour gain Loughborough")
    kettering = Constituency.objects.get(slug="kettering")
    admin_pages = {
        "posts": "/admin/liveblog/post/",
        "new post": "/admin/liveblog/post/add/",
        "a post": f"/admin/liveblog/post/{post.pk}/change/",
        "preview": f"/admin/liveblog/post/{post.pk}/preview/",
        "declarations": "/admin/results/declaration/",
        "a declaration": f"/admin/results/declaration/{kettering.pk}/change/",
    }
    problems = Problems(page)
    found = {}
    for name, address in admin_pages.items():
        page.goto(site + address)
        found[name] = axe_violations(page)
    assert found == {name: [] for name in admin_pages}
    assert problems.found == []


def test_page_weight_within_budget(site, page):
    """A 20-post county page in at most 100 KB of HTML; all CSS in at most 30 KB."""
    css = 0
    sizes = {}

    def count(response):
        nonlocal css
        if response.url.endswith(".css"):
            css += len(response.body())

    page.on("response", count)
    for name, address in reader_pages().items():
        response = page.goto(site + address)
        sizes[name] = len(response.body())
    assert page.locator("article.post").count() == 1  # the post page, last
    page.goto(site + "/counties/leicestershire-and-rutland/")
    assert page.locator("article.post").count() == 20
    assert sizes["county"] <= HTML_BUDGET, sizes
    assert all(size <= HTML_BUDGET for size in sizes.values()), sizes
    assert 0 < css <= CSS_BUDGET * len(sizes)  # each page loads the one stylesheet
    stylesheet = page.evaluate("() => [...document.styleSheets].map(s => s.href).filter(Boolean)")
    assert len(stylesheet) == 1
    assert len(page.request.get(stylesheet[0]).body()) <= CSS_BUDGET
