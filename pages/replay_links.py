"""A replayed page's links keep its moment: one rule for every link on it, whichever
template, fragment or post body it comes from.

A link to a reader page that replays the night (one whose `reader_page` reads `at`)
is given the page's `?at=`; a link to any other page (a download, a feed, a page with
no replay) is left as it is, and so is a link that names its own `at` (the chart's
hours) or says it leaves the replay (`data-leaves-replay`: "See the final result").
"""

import functools
import re
from html import unescape
from urllib.parse import parse_qs, quote

from django.urls import Resolver404, resolve

from pages.params import at_value

# An `<a>`'s address on this site: its path, query and fragment, as the template wrote
# them (HTML-escaped); a tag that says it leaves the replay is not matched.
LINK = re.compile(
    r'(?P<start><a\b(?![^>]*\bdata-leaves-replay)[^>]*?\bhref=")'
    r'(?P<path>/[^"?#]*)(?P<query>\?[^"#]*)?(?P<fragment>#[^"]*)?"'
)


@functools.lru_cache(maxsize=4096)
def replays(path):
    """Whether the page at `path` replays the night: its view reads `at`."""
    try:
        view = resolve(path).func
    except Resolver404:
        return False
    return "at" in getattr(view, "reads", ())


def with_moment(html, at):
    """`html` with each link to a page that replays the night given `?at=` for `at`."""
    value = quote(at_value(at), safe=":")

    def keep(link):
        query = link["query"] or ""
        if not replays(link["path"]) or (query and "at" in parse_qs(unescape(query[1:]))):
            return link[0]
        query = f"{query}&amp;at={value}" if query.strip("?") else f"?at={value}"
        return f'{link["start"]}{link["path"]}{query}{link["fragment"] or ""}"'

    return LINK.sub(keep, html)


def keep_the_moment(response, at):
    """Give a replayed page's links its moment (`at`; None: the page shows now)."""
    if (
        at is None
        or response.status_code != 200
        or response.streaming
        or not response.get("Content-Type", "").startswith("text/html")
    ):
        return response
    response.content = with_moment(response.content.decode(response.charset), at).encode(
        response.charset
    )
    return response
