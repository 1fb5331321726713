"""Parse a captured live page (seeds 000, 002, 003, 004) into typed records. No database.

The page, line by line:

    Election 2024                                  optional: gives the year
    Results: parties by seats
    326 seats for a majority
    0 seats to go
      • Labour: 412 seats, 211 seats gained        or `seats lost`, or `No change`
    Change since 2019
    Summary
      • bullet                                     the summary, until the first post
      1. TITLEpublished at 02:43 British Summer Time 5 July
        Breaking                                   optional
        Alex Smith                                 optional byline: a name line and
        BBC News Online                              a role line, or a name alone
        <body blocks>

Rules for the cases the format leaves open, each tested on the seed lines:
- A post heading is a line indented less than four spaces that starts `N. `. It must
  carry `published at HH:MM [British Summer Time] D Month`; the title is everything
  before the last `published at`. Posts are numbered 1, 2, 3... from the top. A
  missing zone label means UK local time; `GMT` means UTC.
- The year comes from the `Election YYYY` line, else from the caller (`--year`).
- Byline: the first lines of the body. Two consecutive short lines with no closing
  punctuation (`Alex Smith` / `BBC News Online`) are a name and a role. A short line
  alone is a byline only when the same post credits an image to that name
  (`Daisie-Belle Downer` above `...Image source, Daisie-Belle Downer/BBC`); otherwise it
  is a bare image (`Andrea Leadsom` above a paragraph about her). A line of only x's
  (`xxx`) is a placeholder: no author.
- Images: a line directly followed by `Image caption,` is the alt text, and the next
  line with text is the caption; `ALTImage source, CREDIT` is alt text run into its
  credit; `Graphic showing` starts a graphic's alt text. A short line (at most 12
  words) with no closing punctuation and no colon is a bare image whose only trace is
  its alt text (`Leicester GV`, `Signs`). Anything else is a paragraph.
- Bulleted lines (`• ...`) make one list until a line that is not a bullet.
- `Read More` (a stub left by a video link) is dropped; `, external` (a screen-reader
  note left by a link) is removed from the text it interrupts.
"""

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from results.documents import DocumentError, numbered_lines

LONDON = ZoneInfo("Europe/London")
MONTHS = {
    name: number
    for number, name in enumerate(
        [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ],
        start=1,
    )
}
BULLET = "•"

ELECTION_LINE = re.compile(r"^Election (?P<year>\d{4})$")
MAJORITY_LINE = re.compile(r"^(?P<seats>\d+) seats? for a majority$")
TO_GO_LINE = re.compile(r"^(?P<seats>\d+) seats? to go$")
TALLY_LINE = re.compile(
    r"^•\s*(?P<label>[^:]+):\s*(?P<seats>\d+) seats?,\s*"
    r"(?:(?P<change>\d+) seats? (?P<direction>gained|lost)|(?P<none>No change))$"
)
HEADING_START = re.compile(r"^ {0,3}(?P<number>\d+)\.\s")
HEADING = re.compile(
    r"^ {0,3}(?P<number>\d+)\.\s+(?P<title>.+)published at (?P<hour>\d{1,2}):(?P<minute>\d{2})"
    r"(?: (?P<zone>British Summer Time|BST|GMT))? (?P<day>\d{1,2}) (?P<month>[A-Z][a-z]+)$"
)
IMAGE_SOURCE = "Image source, "
IMAGE_CAPTION = "Image caption,"
PLACEHOLDER = re.compile(r"^x+$", re.IGNORECASE)
CLOSING_PUNCTUATION = tuple(".,;:!?\"'”’…)")
MAX_BARE_IMAGE_WORDS = 12
MAX_BYLINE_WORDS = 6


@dataclass(frozen=True)
class Tally:
    label: str
    seats: int
    change: int


@dataclass(frozen=True)
class Scoreboard:
    seats_for_majority: int
    seats_to_go: int
    tallies: tuple[Tally, ...]


@dataclass(frozen=True)
class BodyBlock:
    kind: str  # "paragraph", "list" or "image", as liveblog.models.BlockKind
    text: str = ""
    items: tuple[str, ...] = ()
    alt: str = ""
    caption: str = ""
    credit: str = ""


@dataclass(frozen=True)
class PostRecord:
    number: int
    title: str
    published_at: datetime
    breaking: bool
    byline_name: str
    byline_role: str
    blocks: tuple[BodyBlock, ...]
    line: int


@dataclass(frozen=True)
class LivePageRecord:
    year: int
    scoreboard: Scoreboard | None
    summary: tuple[str, ...]
    posts: tuple[PostRecord, ...] = field(default=())


def parse_live_page(text, source="<text>", year=None):
    """Parse a live page; raise DocumentError naming the line of any fault."""
    lines = numbered_lines(text)
    if not any(line.strip() for _, line in lines):
        raise DocumentError(source, 1, "is empty")

    first_heading = next(
        (index for index, (_, line) in enumerate(lines) if HEADING_START.match(line)), None
    )
    if first_heading is None:
        raise DocumentError(
            source,
            lines[-1][0],
            "no posts found (expected a heading '1. TITLEpublished at HH:MM D Month')",
        )

    document_year, scoreboard, summary = read_header(lines[:first_heading], source)
    if document_year and year and document_year != year:
        raise DocumentError(
            source, 1, f"the document says Election {document_year}, but the year given is {year}"
        )
    year = document_year or year
    if not year:
        raise DocumentError(
            source, 1, "the document does not say the year (no 'Election YYYY' line): give one"
        )

    posts = read_posts(lines[first_heading:], source, year)
    return LivePageRecord(year=year, scoreboard=scoreboard, summary=summary, posts=posts)


def read_header(lines, source):
    year = None
    seats_for_majority = seats_to_go = None
    tallies = []
    summary = []
    in_summary = False
    for number, raw in lines:
        line = raw.strip()
        if not line:
            continue
        if in_summary:
            summary.append(line.removeprefix(BULLET).strip())
        elif match := ELECTION_LINE.match(line):
            year = int(match["year"])
        elif match := MAJORITY_LINE.match(line):
            seats_for_majority = int(match["seats"])
        elif match := TO_GO_LINE.match(line):
            seats_to_go = int(match["seats"])
        elif line.startswith(BULLET):
            tallies.append(read_tally(line, number, source))
        elif line == "Summary":
            in_summary = True
        # Other header lines ("Results: parties by seats", "Change since 2019") are labels.

    scoreboard = None
    if tallies or seats_for_majority is not None:
        if seats_for_majority is None or seats_to_go is None:
            raise DocumentError(
                source,
                lines[0][0],
                "the scoreboard lacks 'N seats for a majority' or 'N seats to go'",
            )
        scoreboard = Scoreboard(seats_for_majority, seats_to_go, tuple(tallies))
    return year, scoreboard, tuple(summary)


def read_tally(line, number, source):
    match = TALLY_LINE.match(line)
    if not match:
        raise DocumentError(
            source,
            number,
            f"expected a scoreboard line '• PARTY: N seats, N seats gained', found {line!r}",
        )
    change = 0
    if match["change"]:
        change = int(match["change"]) * (1 if match["direction"] == "gained" else -1)
    return Tally(match["label"].strip(), int(match["seats"]), change)


def read_posts(lines, source, year):
    starts = [index for index, (_, line) in enumerate(lines) if HEADING_START.match(line)]
    posts = []
    seen = {}
    for expected, (start, end) in enumerate(
        zip(starts, [*starts[1:], len(lines)], strict=True), start=1
    ):
        post = read_post(lines[start:end], source, year)
        if post.number != expected:
            raise DocumentError(
                source, post.line, f"post {post.number} where post {expected} was expected"
            )
        key = (post.published_at, post.title)
        if key in seen:
            raise DocumentError(
                source,
                post.line,
                f"post {post.number} repeats post {seen[key]} (same title and time)",
            )
        seen[key] = post.number
        posts.append(post)
    return tuple(posts)


def read_post(lines, source, year):
    number, heading_line = lines[0]
    heading = HEADING.match(heading_line)
    if not heading:
        raise DocumentError(
            source,
            number,
            f"post heading {heading_line.strip()!r} lacks 'published at HH:MM D Month'",
        )
    published_at = read_time(heading, number, source, year)
    title = heading["title"].strip()
    if not title:
        raise DocumentError(source, number, "post heading has no title")

    body = [(line_number, line.strip()) for line_number, line in lines[1:]]
    breaking = False
    first = next((i for i, (_, line) in enumerate(body) if line), len(body))
    if first < len(body) and body[first][1] == "Breaking":
        breaking = True
        body = body[first + 1 :]

    byline_name, byline_role, body = read_byline(body)
    blocks = read_blocks(body, source)
    return PostRecord(
        number=int(heading["number"]),
        title=title,
        published_at=published_at,
        breaking=breaking,
        byline_name=byline_name,
        byline_role=byline_role,
        blocks=blocks,
        line=number,
    )


def read_time(heading, number, source, year):
    month = MONTHS.get(heading["month"])
    if month is None:
        raise DocumentError(source, number, f"{heading['month']!r} is not a month")
    zone = UTC if heading["zone"] == "GMT" else LONDON
    try:
        return datetime(
            year,
            month,
            int(heading["day"]),
            int(heading["hour"]),
            int(heading["minute"]),
            tzinfo=zone,
        )
    except ValueError as error:
        raise DocumentError(source, number, f"the time is not a real one: {error}") from None


def read_byline(body):
    """(name, role, the rest of the body) from the body's first lines."""
    content = [i for i, (_, line) in enumerate(body) if line]
    if not content:
        return "", "", body
    first = content[0]
    name = body[first][1]
    if PLACEHOLDER.match(name):
        return "", "", body[first + 1 :]
    if not is_short_label(name, MAX_BYLINE_WORDS):
        return "", "", body

    following = body[first + 1][1] if first + 1 < len(body) else ""
    if following and is_short_label(following, 2 * MAX_BYLINE_WORDS) and following != IMAGE_CAPTION:
        return name, following, body[first + 2 :]
    credits = [line.split(IMAGE_SOURCE, 1)[1] for _, line in body if IMAGE_SOURCE in line]
    if not following and any(credit.split("/")[0].strip() == name for credit in credits):
        return name, "", body[first + 1 :]
    return "", "", body


def is_short_label(line, max_words):
    """A name, role or caption-less alt text: short, unpunctuated, not a bullet or image."""
    return (
        len(line.split()) <= max_words
        and not line.endswith(CLOSING_PUNCTUATION)
        and ":" not in line
        and not line.startswith(BULLET)
        and IMAGE_SOURCE not in line
        and line != "Read More"
    )


def read_blocks(body, source):
    blocks = []
    list_items = []

    def close_list():
        if list_items:
            blocks.append(BodyBlock("list", items=tuple(list_items)))
            list_items.clear()

    index = 0
    while index < len(body):
        number, line = body[index]
        index += 1
        if not line:
            continue
        if line.startswith(BULLET):
            list_items.append(clean_text(line.removeprefix(BULLET).strip()))
            continue
        close_list()
        if line == "Read More":
            continue
        if line == IMAGE_CAPTION:
            raise DocumentError(source, number, "'Image caption,' with no image line above it")

        caption = ""
        if index < len(body) and body[index][1] == IMAGE_CAPTION:
            caption_index = next_content(body, index + 1)
            if caption_index is None:
                raise DocumentError(
                    source, body[index][0], "'Image caption,' with no caption after it"
                )
            caption = clean_text(body[caption_index][1])
            index = caption_index + 1

        if IMAGE_SOURCE in line:
            alt, credit = line.split(IMAGE_SOURCE, 1)
            blocks.append(image_block(alt, caption, credit.strip(), source, number))
        elif (
            caption
            or line.startswith("Graphic showing")
            or is_short_label(line, MAX_BARE_IMAGE_WORDS)
        ):
            blocks.append(image_block(line, caption, "", source, number))
        else:
            blocks.append(BodyBlock("paragraph", text=clean_text(line)))
    close_list()
    return tuple(blocks)


def next_content(body, start):
    return next((i for i in range(start, len(body)) if body[i][1]), None)


def image_block(alt, caption, credit, source, number):
    alt = alt.strip()
    if not alt:
        raise DocumentError(source, number, "an image with no alt text")
    return BodyBlock("image", alt=alt, caption=caption, credit=credit)


def clean_text(text):
    """Remove the `, external` notes that links leave behind."""
    return text.replace(", external:", ":").replace(", external", "")
