"""Reading pages as a reader sees them."""

import html as html_lib
import re

# What a wide screen hides: the party under a candidate's name, for phones (site.css).
NARROW_ONLY = re.compile(r'<span class="narrow-only[^"]*">.*?</span>', re.S)


def wide_screen(html):
    """The page's HTML as a laptop shows it."""
    return NARROW_ONLY.sub("", html)


def text_of(response):
    """The page's visible text on a laptop's screen, tags removed and whitespace collapsed."""
    html = wide_screen(response.content.decode())
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return html_lib.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))).strip()
