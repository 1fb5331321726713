"""A small document tree built with html.parser (lxml is not a dependency): enough to
find elements by attribute, read their text as a reader would, and put one element in
place of another, as the live scripts do."""

from html.parser import HTMLParser

VOID = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
    "track", "wbr",
}  # fmt: skip
# Text a reader never sees.
HIDDEN = {"script", "style", "template", "head", "title"}
# Elements whose text stands apart from its neighbours'.
BLOCKS = {
    "p", "div", "section", "article", "aside", "li", "tr", "td", "th", "h1", "h2", "h3",
    "h4", "h5", "h6", "ul", "ol", "table", "caption", "header", "footer", "nav", "main",
    "dt", "dd", "dl", "figure", "figcaption", "form", "br", "thead", "tbody", "option",
}  # fmt: skip


class Node:
    def __init__(self, tag, attrs=(), parent=None):
        self.tag = tag
        self.attrs = dict(attrs)
        self.children = []  # Nodes and strings
        self.parent = parent

    def __repr__(self):
        return f"<{self.tag} {self.attrs}>"

    def get(self, name, default=None):
        return self.attrs.get(name, default)

    def has(self, name):
        return name in self.attrs

    def classes(self):
        return (self.attrs.get("class") or "").split()

    def walk(self):
        """Every element below this one, in document order."""
        for child in self.children:
            if isinstance(child, Node):
                yield child
                yield from child.walk()

    def find_all(self, tag=None, **attrs):
        """Elements with the tag (any, if None) and attributes: a value, True (present),
        or for `class_` one of its classes."""
        return [node for node in self.walk() if node.matches(tag, attrs)]

    def find(self, tag=None, **attrs):
        return next(iter(self.find_all(tag, **attrs)), None)

    def matches(self, tag, attrs):
        if tag is not None and self.tag != tag:
            return False
        for name, wanted in attrs.items():
            if name == "class_":
                if wanted not in self.classes():
                    return False
                continue
            name = name.replace("_", "-")
            if name not in self.attrs:
                return False
            if wanted is not True and self.attrs[name] != wanted:
                return False
        return True

    def text(self):
        """The text a reader sees, with blocks on lines of their own and spaces tidied."""
        parts = []
        self._text(parts)
        lines = " ".join("".join(parts).split(" ")).split("\n")
        return "\n".join(" ".join(line.split()) for line in lines if line.strip())

    def _text(self, parts):
        if self.tag in HIDDEN or self.has("hidden"):
            return
        if self.tag in BLOCKS:
            parts.append("\n")
        for child in self.children:
            if isinstance(child, Node):
                child._text(parts)
            else:
                parts.append(child.replace("\n", " "))
        if self.tag in BLOCKS:
            parts.append("\n")

    def replace_with(self, other):
        """Put `other` (from another document) where this element is."""
        siblings = self.parent.children
        siblings[siblings.index(self)] = other
        other.parent = self.parent


class Builder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("#document")
        self.current = self.root

    def handle_starttag(self, tag, attrs):
        node = Node(tag, ((name, "" if value is None else value) for name, value in attrs))
        node.parent = self.current
        self.current.children.append(node)
        if tag not in VOID:
            self.current = node

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.current = self.current.parent

    def handle_endtag(self, tag):
        # Close up to the nearest open element of this tag; a stray end tag is ignored.
        node = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.current = node.parent

    def handle_data(self, data):
        self.current.children.append(data)


def parse(html):
    """The document tree of a page (its root)."""
    builder = Builder()
    builder.feed(html)
    builder.close()
    return builder.root
