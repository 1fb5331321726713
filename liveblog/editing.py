"""Two editors, one post: what changed between two versions of a post, in words, and a
form opened before someone else's save merged with what they saved.

A post's content is the plain data `liveblog.models.post_content` makes (and each
revision keeps). A form saved over a newer version is merged three ways, field by field
and block by block (blocks known by their id): where this editor left a field as it was
when the form was opened, the other's change is kept; where only this editor changed
it, theirs is taken; where both changed it differently, this editor's is kept and the
conflict named (the admin refuses the first such save, showing both). Pure: no
database, only dictionaries (the admin turns the form's data into them and back).
"""

from dataclasses import dataclass, field

from liveblog.markup import to_plain_text
from liveblog.models import BlockKind, block_markup

POST_FIELDS = ("title", "breaking", "pinned", "byline_name", "byline_role")
BLOCK_FIELDS = ("kind", "text", "alt", "caption", "credit")
KIND_WORDS = {
    BlockKind.PARAGRAPH: "paragraph",
    BlockKind.LIST: "list",
    BlockKind.IMAGE: "image",
    BlockKind.RESULT: "result card",
}
FIELD_WORDS = {
    "byline_name": "the byline",
    "byline_role": "the byline's role",
    "title": "the title",
}
BLOCK_FIELD_WORDS = {"alt": "alt text", "caption": "caption", "credit": "credit", "kind": "kind"}
STATUS_WORDS = {"published": "published", "draft": "unpublished"}


def quoted(text):
    return f"“{text}”"


def block_name(block, number):
    """`paragraph 2`: the block's kind and its number in the post, counted from 1."""
    return f"{KIND_WORDS.get(block.get('kind'), 'block')} {number}"


def shown_text(block):
    """A block's words as a reader reads them (its text, or an image's alt text)."""
    if block.get("kind") in (BlockKind.PARAGRAPH, BlockKind.LIST):
        return " ".join(to_plain_text(block.get("text", "")).split())
    return block.get("alt", "")


def same_value(name, kind, one, other):
    """Whether two values of a field are the same once stored (a browser sends a
    textarea's lines with CRLF; the text is stored as its sanitised markup)."""
    if name == "text" and kind in (BlockKind.PARAGRAPH, BlockKind.LIST):
        return block_markup(kind, one or "") == block_markup(kind, other or "")
    return (one or "").strip() == (other or "").strip() if name != "kind" else one == other


@dataclass
class Difference:
    word: str  # for a revision's list of changes: "title", "paragraph 2"
    said: str  # for a person: "the title was “X”, is now “Y”"


def differences(before, after):
    """What changed from one content of a post to another, in the post's order: its
    fields, its seats, then each block changed, added or removed, and their order."""
    found = []
    for name in POST_FIELDS:
        old, new = before.get(name), after.get(name)
        if old == new:
            continue
        if name == "pinned":
            found.append(Difference("pinned", "pinned it" if new else "unpinned it"))
        elif name == "breaking":
            found.append(
                Difference("breaking", "marked it breaking" if new else "took off breaking")
            )
        else:
            words = FIELD_WORDS[name]
            found.append(
                Difference(
                    words.removeprefix("the "), f"{words} was {quoted(old)}, is now {quoted(new)}"
                )
            )
    if before.get("status") != after.get("status"):
        word = STATUS_WORDS.get(after.get("status"), "status")
        found.append(Difference(word, f"{word} it"))
    if before.get("seats") != after.get("seats"):
        found.append(
            Difference(
                "seats",
                f"the seats it is about were {seat_list(before.get('seats'))}, are now "
                f"{seat_list(after.get('seats'))}",
            )
        )
    found += block_differences(before.get("blocks", []), after.get("blocks", []))
    return found


def seat_list(seats):
    return ", ".join(seats or []) or "none"


def block_differences(before, after):
    found = []
    old = {block["id"]: (number, block) for number, block in enumerate(before, 1)}
    new_ids = {block["id"] for block in after}
    for number, block in enumerate(after, 1):
        name = block_name(block, number)
        if block["id"] not in old:
            found.append(Difference(f"added {name}", f"added {name}: {quoted(shown_text(block))}"))
            continue
        _, previous = old[block["id"]]
        said = block_said(name, previous, block)
        if said:
            found.append(Difference(name, "; ".join(said)))
    for block_id, (number, block) in old.items():
        if block_id not in new_ids:
            name = block_name(block, number)
            found.append(
                Difference(f"removed {name}", f"removed {name}: {quoted(shown_text(block))}")
            )
    kept_before = [block["id"] for block in before if block["id"] in new_ids]
    kept_after = [block["id"] for block in after if block["id"] in old]
    if kept_before != kept_after:
        found.append(Difference("order of the blocks", "moved the blocks"))
    return found


def block_said(name, previous, block):
    said = []
    if previous.get("kind") != block.get("kind"):
        said.append(
            f"{name} was a {KIND_WORDS.get(previous.get('kind'))}, is now a "
            f"{KIND_WORDS.get(block.get('kind'))}"
        )
    if not same_value("text", block.get("kind"), previous.get("text"), block.get("text")):
        said.append(
            f"{name} was {quoted(shown_text(previous))}, is now {quoted(shown_text(block))}"
        )
    for part in ("alt", "caption", "credit"):
        if (previous.get(part) or "") != (block.get(part) or ""):
            said.append(
                f"{name}'s {BLOCK_FIELD_WORDS[part]} was {quoted(previous.get(part) or '')}, "
                f"is now {quoted(block.get(part) or '')}"
            )
    if (previous.get("image") or "") != (block.get("image") or ""):
        said.append(
            f"{name}'s photo was replaced"
            if block.get("image")
            else f"{name}'s photo was taken off"
        )
    if previous.get("card") != block.get("card") and "card" in block:
        said.append(f"{name} now gives the figures {quoted(block.get('card'))}")
    return said


def words(before, after, given=()):
    """A revision's list of changes: the words given (what was done: "published"),
    then each thing the content shows changed."""
    found = list(given)
    for difference in differences(before, after):
        if difference.word in STATUS_WORDS.values() and given:
            continue
        if difference.word not in found:
            found.append(difference.word)
    return found


@dataclass
class Merged:
    """A form merged with the saves made after it was opened."""

    fields: dict  # the post's fields and seats, as they are to be saved
    rows: list  # the blocks, as form rows, in the order they are to be saved
    conflicts: list = field(default_factory=list)  # what both changed: in words


def merge(base, theirs, mine):
    """Three-way merge of a form (`mine`: the post's fields, `seats`, and `rows`, each a
    block as the form sent it: `index`, `id`, its fields, `delete`, `image_changed`,
    `position`) with the post as saved since (`theirs`), against the content the form
    was opened at (`base`). Returns a Merged."""
    merged, conflicts = {}, []
    for name in POST_FIELDS:
        value, conflict = merged_value(name, None, base.get(name), theirs.get(name), mine.get(name))
        merged[name] = value
        if conflict:
            words = FIELD_WORDS.get(name, f"the {name}")
            conflicts.append(
                f"You changed {words} too: yours is {quoted(shown_value(mine.get(name)))}, "
                f"theirs {quoted(shown_value(theirs.get(name)))}. Saving again keeps yours."
            )
    base_seats, their_seats = set(base.get("seats", ())), set(theirs.get("seats", ()))
    my_seats = set(mine.get("seats", ()))
    merged["seats"] = sorted((their_seats | (my_seats - base_seats)) - (base_seats - my_seats))
    rows, block_conflicts = merged_rows(
        base.get("blocks", []), theirs.get("blocks", []), mine["rows"]
    )
    return Merged(merged, rows, conflicts + block_conflicts)


def shown_value(value):
    if isinstance(value, bool):
        return "yes" if value else "no"
    return value or ""


def merged_value(name, kind, base, theirs, mine):
    """(value, conflict): theirs where mine is as opened, else mine."""
    if same_value(name, kind, mine, base):
        return theirs, False
    conflict = not same_value(name, kind, theirs, base) and not same_value(name, kind, mine, theirs)
    return mine, conflict


def changed_fields(row, block):
    return any(
        not same_value(name, block.get("kind"), row.get(name), block.get(name))
        for name in BLOCK_FIELDS
        if name in row
    ) or row.get("image_changed")


def merged_rows(base_blocks, their_blocks, rows):
    """The blocks of a merged form, as rows; with the conflicts, in words."""
    base = {block["id"]: block for block in base_blocks}
    theirs = {block["id"]: block for block in their_blocks}
    mine = {row["id"]: row for row in rows if row.get("id")}
    numbers = {block["id"]: number for number, block in enumerate(their_blocks, 1)}
    conflicts, existing = [], []
    for block in their_blocks:
        row, opened = mine.get(block["id"]), base.get(block["id"])
        if opened is None or row is None:  # theirs, new since (or not in the form)
            existing.append({**row_of(block), "from": None})
            continue
        name = block_name(block, numbers[block["id"]])
        if row.get("delete"):
            theirs_changed = block.get("image") != opened.get("image")
            if theirs_changed or changed_fields({**row_of(block), "image_changed": False}, opened):
                conflicts.append(
                    f"You removed {name}, which they changed since: it is kept. Remove it "
                    "again if you mean to."
                )
                existing.append({**row_of(block), "from": None})
            else:
                existing.append({**row_of(block), "delete": True, "from": None})
            continue
        merged = {**row, "from": row["index"]}
        for part in BLOCK_FIELDS:
            if part not in row:
                continue
            value, conflict = merged_value(
                part, block.get("kind"), opened.get(part), block.get(part), row.get(part)
            )
            merged[part] = value
            if conflict:
                what = name if part == "text" else f"{name}'s {BLOCK_FIELD_WORDS[part]}"
                yours = (
                    row.get(part) if part != "text" else shown_text({**block, "text": row[part]})
                )
                theirs_now = shown_text(block) if part == "text" else block.get(part)
                conflicts.append(
                    f"You changed {what} too: yours is {quoted(yours)}, theirs "
                    f"{quoted(theirs_now)}. Saving again keeps yours."
                )
        existing.append(merged)
    new = []
    for row in rows:
        block_id = row.get("id")
        if block_id and block_id in theirs:
            continue
        if block_id:  # a block they removed since the form was opened
            opened = base.get(block_id)
            if opened is not None and not changed_fields(row, opened):
                continue  # left as it was: their removal stands
            conflicts.append(
                f"They removed the {KIND_WORDS.get(row.get('kind'), 'block')} "
                f"{quoted(shown_text(row))}, which you changed: yours is kept as a new block."
            )
        new.append({**row, "id": None, "from": row["index"]})
    return ordered_rows(base_blocks, existing, new, rows), conflicts


def row_of(block):
    """A stored block as a form row (the form sends what it shows)."""
    return {
        "id": block["id"],
        **{name: block.get(name, "") for name in BLOCK_FIELDS},
        "delete": False,
        "image_changed": False,
    }


def ordered_rows(base_blocks, existing, new, rows):
    """The merged rows in order: the blocks as they stand now unless this editor moved
    them (then in this editor's order), and each new block of theirs after the block it
    followed in their form."""
    submitted = {row["index"]: row for row in rows}

    def position(row):
        # Where the editor put it: a merged row by the row it came from (none: theirs).
        source = submitted.get(row["from"]) if "from" in row else row
        value = source.get("position") if source else None
        return float("inf") if value is None else value

    opened_order = [block["id"] for block in base_blocks]
    my_order = [
        row["id"]
        for row in sorted(rows, key=lambda row: (position(row), row["index"]))
        if row.get("id") in opened_order
    ]
    moved = my_order != [block_id for block_id in opened_order if block_id in my_order]
    if moved:
        existing = sorted(
            existing,
            key=lambda row: (
                position(row),
                opened_order.index(row["id"]) if row["id"] in opened_order else len(opened_order),
            ),
        )
    final = list(existing)
    for row in sorted(new, key=lambda row: (position(row), row["index"])):
        # After the block that came before it in this editor's form, if it is still here.
        before = [
            other["id"] for other in rows if other.get("id") and position(other) < position(row)
        ]
        ids = [other["id"] for other in final]
        at = max((ids.index(block_id) + 1 for block_id in before if block_id in ids), default=None)
        at = len(final) if at is None else at
        # After the blocks they added there since: theirs were written first.
        while at < len(final) and final[at].get("id") and final[at]["id"] not in opened_order:
            at += 1
        final.insert(at, row)
    # Existing blocks first, as the form's initial rows must be; positions say the order.
    for number, row in enumerate(final):
        row["position"] = number
    return [row for row in final if row.get("id")] + [row for row in final if not row.get("id")]
