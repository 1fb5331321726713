"""The browser checks themselves: each finds the fault it looks for on a broken page."""

from tests.e2e.conftest import Problems, axe_violations

BROKEN = """<!doctype html><html><head><title>Broken</title></head><body>
<img src="/static/img/favicon.svg">
<p><font color="#bbbbbb">Grey on white, too faint to read.</font></p>
<img src="/no-such-image.png" alt="Missing">
</body></html>"""


def test_axe_finds_violations_on_a_broken_page(site, page):
    page.goto(site + "/")  # an origin for the page, so its requests go to the live server
    page.set_content(BROKEN)
    rules = {rule for rule, _ in axe_violations(page)}
    assert {"image-alt", "color-contrast", "html-has-lang"} <= rules


def test_console_errors_and_failed_requests_are_caught(site, page):
    problems = Problems(page)
    page.goto(site + "/")
    page.set_content(BROKEN)
    page.evaluate("console.error('something broke')")
    page.wait_for_load_state("networkidle")
    assert "console: something broke" in problems.found
    assert any(
        found.startswith("404: ") and "/no-such-image.png" in found for found in problems.found
    )
