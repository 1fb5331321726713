"""Writing one benchmark's section of a document, leaving the others as they are."""


def replace_section(doc, heading, lines):
    """Put `lines` under `## heading` in the file `doc`, replacing what was there (up to
    the next `## ` heading), or at the end if it has no such section."""
    text = doc.read_text() if doc.exists() else ""
    marker = f"## {heading}\n"
    section = marker + "\n" + "\n".join(lines).strip("\n") + "\n"
    if marker in text:
        before, rest = text.split(marker, 1)
        after = rest.split("\n## ", 1)
        text = before + section + ("\n## " + after[1] if len(after) > 1 else "")
    else:
        text = text.rstrip("\n") + "\n\n" + section
    doc.parent.mkdir(exist_ok=True)
    doc.write_text(text)
