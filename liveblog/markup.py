"""The markup a post's body allows, and turning imported plain text into it.

Paragraphs and list items may carry inline emphasis and links, nothing else: every
write goes through `sanitise`, which uses nh3 (the Ammonia sanitiser) to drop scripts,
event handlers, `javascript:` links and anything else not on the list, and to close
broken markup. Every other text field (titles, bylines, alt text, captions, credits) is
plain text, escaped by the templates.

What nh3 returns is parsed again (html.parser) and written out here, so that the stored
form never depends on how one version of nh3 escapes attribute values: `<`, `>`, `&` and
`"` are escaped in every attribute, and an attribute holds no line break. Whatever
works on a body after that (splitting a list into items, linking the seats it names)
works on the parsed elements and text, never with a regex over the markup.
"""

import html
import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import nh3

ALLOWED_TAGS = {"strong", "em", "b", "i", "a", "br"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
# Links go to http(s) addresses or the site's own pages (`safe_link`), nowhere else.
ALLOWED_URL_SCHEMES = {"http", "https"}
VOID_TAGS = {"br"}
LINE_BREAK = re.compile(r"\r\n|\r|\n")
# What browsers drop from an address before reading it: controls and spaces.
IGNORED_IN_ADDRESS = re.compile(r"[\x00-\x20\x7f]+")
ATTRIBUTE_SPACE = re.compile(r"[\t\n\r\f]+")


def sanitise(markup):
    """Inline markup made safe to show as it is, in its one written form."""
    cleaned = nh3.clean(
        markup,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )
    return "".join(write(safe_links(event)) for event in parse(cleaned))


def safe_links(event):
    """A link's start tag without its address if it is not `safe_link`'s (nh3 keeps
    `//other.host` and `/\\other.host`, which browsers read as another site)."""
    kind, tag, attributes = event
    if kind != "start" or tag != "a":
        return event
    kept = [(name, value) for name, value in attributes if name != "href" or safe_link(value)]
    return (kind, tag, kept)


def safe_link(url):
    """The address if a link to it is safe: http(s), or this site's (`/...`, `#...`);
    otherwise "" (`javascript:`, `data:`, `vbscript:`, `mailto:`, `//other.host`),
    however it is spelt (case, spaces, controls)."""
    if not isinstance(url, str):
        return ""
    bare = IGNORED_IN_ADDRESS.sub("", url).replace("\\", "/")
    if bare.startswith("#") or (bare.startswith("/") and not bare.startswith("//")):
        return url
    parts = urlsplit(bare)
    if parts.scheme.lower() in ALLOWED_URL_SCHEMES and parts.netloc:
        return url
    return ""


# Attributes nh3 keeps on any allowed tag (Ammonia's generic attributes).
GENERIC_ATTRIBUTES = {"lang", "title"}
# Attributes whose loss changes nothing a reader sees (nh3 writes its own `rel`).
HARMLESS_ATTRIBUTES = {"rel", "target"}
YOUTUBE_ID = re.compile(
    r"(?:youtube(?:-nocookie)?\.com/(?:embed/|watch\?v=|shorts/)|youtu\.be/)([\w-]{6,})"
)
TWEET = re.compile(r"^https?://(?:www\.|mobile\.)?(?:twitter|x)\.com/\w+/status/\d+")


def removed_markup(markup):
    """What `sanitise` would take out of some markup, in words an editor understands:
    `an X (Twitter) post (paste its link instead: https://x.com/...)`, `the style
    attribute on <a>`, `<span>`. Empty if nothing would be lost."""
    found = []
    tweet_links = []
    in_tweet = False

    def note(words):
        if words not in found:
            found.append(words)

    for kind, value, attributes in parse(markup):
        if kind != "start":
            if kind == "end" and value == "blockquote":
                in_tweet = False
            continue
        attrs = {name: (given or "") for name, given in attributes}
        if in_tweet:
            # The embed's own markup goes with it: its link is what to paste instead.
            link = TWEET.match(attrs.get("href", "")) if value == "a" else None
            if link:
                tweet_links.append(link[0])
            continue
        if value not in ALLOWED_TAGS:
            words = removed_element(value, attrs)
            if words == TWEET_WORDS:
                in_tweet = True
            if words:
                note(words)
            continue
        for name, given in attrs.items():
            if name in HARMLESS_ATTRIBUTES:
                continue
            if name not in ALLOWED_ATTRIBUTES.get(value, set()) | GENERIC_ATTRIBUTES:
                note(f"the {name} attribute on <{value}>")
            elif name == "href" and not safe_link(given):
                scheme = urlsplit(IGNORED_IN_ADDRESS.sub("", given)).scheme.lower()
                note(f"a {scheme}: link" if scheme else f"the link to {given.strip()}")
    if TWEET_WORDS in found:
        link = f" (paste its link instead: {tweet_links[-1]})" if tweet_links else ""
        found[found.index(TWEET_WORDS)] = f"{TWEET_WORDS}{link}"
    return found


TWEET_WORDS = "an X (Twitter) post"


def removed_element(tag, attrs):
    source = attrs.get("src", "")
    if tag == "blockquote" and "twitter-tweet" in attrs.get("class", ""):
        return TWEET_WORDS
    if tag == "script" and ("twitter.com" in source or "x.com" in source):
        return None  # the X embed's own script: named with the post
    if tag in {"iframe", "embed", "object", "video"}:
        video = YOUTUBE_ID.search(source)
        if video:
            return (
                "a YouTube video (paste its link instead: "
                f"https://www.youtube.com/watch?v={video[1]})"
            )
        host = urlsplit(source).hostname
        return f"an embedded page from {host}" if host else f"an embedded <{tag}>"
    if tag == "script":
        return "a script"
    if tag == "style":
        return "a style sheet"
    if tag == "img":
        return "a picture (add it as an image block)"
    return f"<{tag}>"


def from_plain_text(text):
    """Plain text (from a document) as body markup that shows exactly that text."""
    return sanitise(html.escape(text, quote=False))


def to_plain_text(markup):
    """The text a reader reads in some body markup."""
    return "".join(value for kind, value, _ in parse(sanitise(markup)) if kind == "text")


def list_items(markup):
    """A list block's items, one a line of its text, each item whole markup.

    Lines are split in the text only, never inside a tag or an attribute; an element
    open across a line break is closed at the end of the line and opened again on the
    next. Items with no text are left out.
    """
    items = []
    item, has_text, open_elements = [], False, []

    def end_item():
        if has_text:
            closing = "".join(f"</{tag}>" for tag, _ in reversed(open_elements))
            items.append(("".join(item) + closing).strip())

    for kind, value, attributes in parse(sanitise(markup)):
        if kind == "text":
            lines = LINE_BREAK.split(value)
            for number, line in enumerate(lines):
                if number:
                    end_item()
                    item = [start_tag(tag, attrs) for tag, attrs in open_elements]
                    has_text = False
                item.append(escape_text(line))
                has_text = has_text or bool(line.strip())
        elif kind == "start":
            item.append(start_tag(value, attributes))
            if value not in VOID_TAGS:
                open_elements.append((value, attributes))
        elif any(tag == value for tag, _ in open_elements):
            while open_elements:
                tag, _ = open_elements.pop()
                item.append(f"</{tag}>")
                if tag == value:
                    break
    end_item()
    return items


def rewrite_text(markup, rewrite):
    """Sanitised markup with each run of text outside a link replaced by
    `rewrite(text)`, which returns markup; text inside links is kept as it is."""
    parts = []
    links_open = 0
    for kind, value, attributes in parse(sanitise(markup)):
        if kind == "text":
            parts.append(escape_text(value) if links_open else rewrite(value))
        else:
            parts.append(write((kind, value, attributes)))
            if value == "a":
                links_open = max(0, links_open + (1 if kind == "start" else -1))
    return "".join(parts)


class _Events(HTMLParser):
    """Markup as a list of events: ("start", tag, attributes), ("end", tag, None) and
    ("text", text, None), with character references resolved. Comments, declarations
    and processing instructions are dropped."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.events = []

    def handle_starttag(self, tag, attrs):
        self.events.append(("start", tag, attrs))

    def handle_startendtag(self, tag, attrs):
        self.events.append(("start", tag, attrs))
        if tag not in VOID_TAGS:
            self.events.append(("end", tag, None))

    def handle_endtag(self, tag):
        if tag not in VOID_TAGS:
            self.events.append(("end", tag, None))

    def handle_data(self, data):
        self.events.append(("text", data, None))


def parse(markup):
    parser = _Events()
    parser.feed(markup)
    parser.close()
    return parser.events


def write(event):
    kind, value, attributes = event
    if kind == "text":
        return escape_text(value)
    if kind == "start":
        return start_tag(value, attributes)
    return f"</{value}>"


def start_tag(tag, attributes):
    written = "".join(
        f" {name}" if value is None else f' {name}="{escape_attribute(value)}"'
        for name, value in attributes
    )
    return f"<{tag}{written}>"


def escape_text(text):
    return html.escape(text, quote=False)


def escape_attribute(value):
    return html.escape(ATTRIBUTE_SPACE.sub(" ", value), quote=True)
