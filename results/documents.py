"""Reading source documents, and the error every parser and importer raises."""

from pathlib import Path

from results.text import XML_INVALID, refused_characters


class DocumentError(Exception):
    """Something in a source document that cannot be read or applied.

    `str()` gives `FILE, line N: message`, which is what staff see.
    """

    def __init__(self, source, line, message):
        self.source = str(source)
        self.line = line
        self.message = message
        super().__init__(f"{self.source}, line {line}: {message}")


def read_document(path):
    """Return the text of a UTF-8 document, or raise DocumentError naming the bad line
    (bytes that are not UTF-8, or a character no page or feed can carry)."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise DocumentError(path, 0, f"cannot be read: {error.strerror}") from error
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise DocumentError(
            path, line, f"is not UTF-8 (byte 0x{data[error.start]:02x} at offset {error.start})"
        ) from error
    if not text.strip():
        raise DocumentError(path, 1, "is empty")
    if found := XML_INVALID.search(text):
        line = text.count("\n", 0, found.start()) + 1
        refused = refused_characters(found.group())
        raise DocumentError(path, line, f"holds {refused}, which no page or feed can carry")
    return text


def numbered_lines(text):
    """(line number, line without trailing whitespace) for each line, counting from 1."""
    return [(number, line.rstrip()) for number, line in enumerate(text.splitlines(), start=1)]
