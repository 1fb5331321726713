"""The markup a post's body allows, and turning imported plain text into it.

Paragraphs and list items may carry inline emphasis and links, nothing else: every
write goes through `sanitise`, which uses nh3 (the Ammonia sanitiser) to drop scripts,
event handlers, `javascript:` links and anything else not on the list, and to close
broken markup. Every other text field (titles, bylines, alt text, captions, credits) is
plain text, escaped by the templates.
"""

import html

import nh3

ALLOWED_TAGS = {"strong", "em", "b", "i", "a", "br"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}


def sanitise(markup):
    """Inline markup made safe to show as it is."""
    return nh3.clean(
        markup,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )


def from_plain_text(text):
    """Plain text (from a document) as body markup that shows exactly that text."""
    return sanitise(html.escape(text, quote=False))


def to_plain_text(markup):
    """The text a reader reads in some body markup."""
    return html.unescape(nh3.clean(markup, tags=set()))
