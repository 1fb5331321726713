"""Parse a county results page (seed 001) into typed records. No database here.

The page, line by line:

    Full General Election results for Northamptonshire - every constituency result
    <intro paragraphs>
    Results snapshot
    Kettering: LABOUR GAIN                       one line per seat
    KETTERING                                    seat heading, upper or title case
    Result: LABOUR GAIN - majority 3,820         majority is optional
    <note paragraphs>                            optional
    Full result in the 2024 General Election in Kettering:
        (or: Who is standing in the 2024 General Election in Kettering?)
    Rosie Wrighting - Labour - 18,009 (35.85%)   one line per candidate
    Turnout: 64.30%                              optional
    Constituency profile: ...                    the prefix is optional
    <trailing promotional lines>                 after the last seat; ignored

Rules for the cases the format leaves open:
- A seat heading is the line just before a `Result:` line.
- Inside the candidate block, a line ending `%)`, or a short line with ` - ` and no
  closing full stop, is a candidate line and must parse; the block ends at the first
  line that is neither (profiles are long sentences, which may also contain ` - `).
- After the candidates and turnout, the first paragraph is the profile and any further
  ones are notes, except after the last seat, where they are trailing matter.
- Shares are recomputed from the votes (results.arithmetic: two places, halves up) and
  must agree with the printed ones to within 0.01 points; the majority is recomputed
  and must equal the printed one. The computed figures are the ones returned.
"""

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from results import arithmetic
from results.documents import DocumentError, numbered_lines
from results.naming import normalise_name

SHARE_TOLERANCE = Decimal("0.01")

TITLE = re.compile(
    r"^Full General Election results for (?P<county>.+?)\s+[-–]\s+every constituency result$",
    re.IGNORECASE,
)
SNAPSHOT_LINE = re.compile(r"^(?P<name>[^:]+):\s*(?P<party>.+?)\s+(?P<outcome>GAIN|HOLD)$")
RESULT_LINE = re.compile(
    r"^Result:\s*(?P<party>.+?)\s+(?P<outcome>GAIN|HOLD)"
    r"(?:\s*[-–]\s*majority\s+(?P<majority>\S+))?\s*$"
)
FULL_RESULT_LINE = re.compile(
    r"^(?:Full result in the \d{4} General Election in (?P<full>.+?):"
    r"|Who is standing in the \d{4} General Election in (?P<standing>.+?)\?)$"
)
CANDIDATE_LINE = re.compile(
    r"^(?P<name>.+?) - (?P<party>.+) - (?P<votes>\S+) \((?P<share>[^)%]*)%\)$"
)
TURNOUT_LINE = re.compile(r"^Turnout:\s*(?P<turnout>\S+?)%$")
VOTES = re.compile(r"^\d{1,3}(?:,\d{3})*$|^\d+$")
PROFILE_PREFIX = "Constituency profile:"


@dataclass(frozen=True)
class CandidateLine:
    name: str
    party_label: str
    votes: int
    share: Decimal
    line: int


@dataclass(frozen=True)
class SeatResult:
    name: str
    verdict_label: str
    outcome: str
    majority: int
    candidates: tuple[CandidateLine, ...]
    turnout: Decimal | None
    profile: str
    notes: tuple[str, ...]
    line: int
    result_line: int

    @property
    def winner(self):
        return self.candidates[0]


@dataclass(frozen=True)
class ResultsPage:
    county: str
    intro: tuple[str, ...]
    seats: tuple[SeatResult, ...]


def parse_number(text, source, line, what):
    if not VOTES.match(text):
        raise DocumentError(source, line, f"{what} {text!r} is not a whole number")
    return int(text.replace(",", ""))


def parse_percentage(text, source, line, what):
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise DocumentError(source, line, f"{what} {text!r}% is not a number") from None
    if not Decimal(0) <= value <= Decimal(100):
        raise DocumentError(source, line, f"{what} {text}% is not between 0 and 100")
    return value


def parse_results_page(text, source="<text>"):
    """Parse a county results page; raise DocumentError naming the line of any fault."""
    lines = [(number, line.strip()) for number, line in numbered_lines(text) if line.strip()]
    if not lines:
        raise DocumentError(source, 1, "is empty")

    title_number, title = lines[0]
    title_match = TITLE.match(title)
    if not title_match:
        raise DocumentError(
            source,
            title_number,
            "expected a title 'Full General Election results for COUNTY - every "
            f"constituency result', found {title!r}",
        )

    heading_indexes = [
        index
        for index in range(1, len(lines) - 1)
        if lines[index + 1][1].startswith("Result:") and not lines[index][1].startswith("Result:")
    ]
    if not heading_indexes:
        raise DocumentError(
            source, lines[-1][0], "no seats found: no seat heading followed by a 'Result:' line"
        )

    intro, snapshot = read_preamble(lines[1 : heading_indexes[0]], source)
    bounds = [*heading_indexes, len(lines)]
    seats = []
    seen = {}
    for position, (start, end) in enumerate(zip(bounds, bounds[1:], strict=False)):
        is_last = position == len(heading_indexes) - 1
        seat = read_seat(lines[start:end], source, is_last=is_last)
        key = normalise_name(seat.name)
        if key in seen:
            raise DocumentError(
                source, seat.line, f"seat {seat.name!r} appears twice (first on line {seen[key]})"
            )
        seen[key] = seat.line
        check_snapshot(seat, snapshot, source)
        seats.append(seat)

    return ResultsPage(county=title_match["county"].strip(), intro=intro, seats=tuple(seats))


def read_preamble(lines, source):
    """Intro paragraphs, then the `Results snapshot` lines as {normalised name: (...)}."""
    intro = []
    snapshot = {}
    in_snapshot = False
    for number, line in lines:
        if line.lower() == "results snapshot":
            in_snapshot = True
        elif in_snapshot:
            match = SNAPSHOT_LINE.match(line)
            if not match:
                raise DocumentError(
                    source, number, f"expected a snapshot line 'SEAT: PARTY GAIN', found {line!r}"
                )
            snapshot[normalise_name(match["name"])] = (
                match["party"].strip(),
                match["outcome"],
                number,
            )
        else:
            intro.append(line)
    return tuple(intro), snapshot


def read_seat(lines, source, *, is_last):
    heading_number, heading = lines[0]
    result_number, result_text = lines[1]
    verdict = RESULT_LINE.match(result_text)
    if not verdict:
        raise DocumentError(
            source,
            result_number,
            f"expected 'Result: PARTY GAIN|HOLD [- majority N]', found {result_text!r}",
        )

    index = 2
    notes = []
    full_result_name = None
    while index < len(lines):
        number, line = lines[index]
        index += 1
        full_result = FULL_RESULT_LINE.match(line)
        if full_result:
            full_result_name = full_result["full"] or full_result["standing"]
            break
        notes.append(line)
    if full_result_name is None:
        raise DocumentError(
            source,
            heading_number,
            f"seat {heading!r} has no 'Full result in the 2024 General Election in ...:' line",
        )
    if normalise_name(full_result_name) != normalise_name(heading):
        raise DocumentError(
            source,
            lines[index - 1][0],
            f"names {full_result_name!r}, but the seat heading is {heading!r}",
        )
    full_result_number = lines[index - 1][0]

    candidates = []
    names = {}
    while index < len(lines) and looks_like_candidate(lines[index][1]):
        number, line = lines[index]
        candidate = read_candidate(line, number, source)
        # Two candidates may share a name, but not a name and a party.
        key = (normalise_name(candidate.name), normalise_name(candidate.party_label))
        if key in names:
            raise DocumentError(
                source,
                number,
                f"candidate {candidate.name!r} ({candidate.party_label}) appears twice in "
                f"{full_result_name} (first on line {names[key]})",
            )
        names[key] = number
        candidates.append(candidate)
        index += 1
    if not candidates:
        raise DocumentError(
            source, full_result_number, f"no candidate lines for {full_result_name}"
        )

    turnout = None
    if index < len(lines) and (match := TURNOUT_LINE.match(lines[index][1])):
        turnout = parse_percentage(match["turnout"], source, lines[index][0], "turnout")
        index += 1

    paragraphs = [line for _, line in lines[index:]]
    profile = paragraphs[0].removeprefix(PROFILE_PREFIX).strip() if paragraphs else ""
    if not is_last:
        notes.extend(paragraphs[1:])

    candidates = checked_shares(candidates, source)
    majority = checked_majority(candidates, verdict, result_number, source)
    return SeatResult(
        name=display_name(heading, full_result_name),
        verdict_label=verdict["party"].strip(),
        outcome=verdict["outcome"],
        majority=majority,
        candidates=tuple(candidates),
        turnout=turnout,
        profile=profile,
        notes=tuple(notes),
        line=heading_number,
        result_line=result_number,
    )


def looks_like_candidate(line):
    """Candidate lines end with a share; a short unfinished line with ` - ` is a broken one."""
    if line.endswith("%)"):
        return True
    return " - " in line and len(line) <= 150 and not line.endswith((".", "?", "!", ":"))


def read_candidate(line, number, source):
    match = CANDIDATE_LINE.match(line)
    if not match:
        parts = line.split(" - ")
        if len(parts) == 2:
            raise DocumentError(
                source,
                number,
                f"candidate line has no party: {line!r} (expected NAME - PARTY - VOTES (SHARE%))",
            )
        raise DocumentError(
            source,
            number,
            f"expected a candidate line 'NAME - PARTY - VOTES (SHARE%)', found {line!r}",
        )
    return CandidateLine(
        name=match["name"].strip(),
        party_label=match["party"].strip(),
        votes=parse_number(match["votes"], source, number, "votes"),
        share=parse_percentage(match["share"].strip(), source, number, "share"),
        line=number,
    )


def checked_shares(candidates, source):
    """Candidates by votes, highest first, with shares recomputed from the votes."""
    total = sum(candidate.votes for candidate in candidates)
    if total == 0:
        raise DocumentError(source, candidates[0].line, "every candidate has 0 votes")
    checked = []
    for candidate in candidates:
        share = arithmetic.share(candidate.votes, total)
        if abs(share - candidate.share) > SHARE_TOLERANCE:
            raise DocumentError(
                source,
                candidate.line,
                f"share {candidate.share}% for {candidate.name} disagrees with the votes: "
                f"{candidate.votes:,} of {total:,} is {share}%",
            )
        checked.append(
            CandidateLine(
                candidate.name, candidate.party_label, candidate.votes, share, candidate.line
            )
        )
    return sorted(checked, key=lambda candidate: (-candidate.votes, candidate.name))


def checked_majority(candidates, verdict, line, source):
    first = candidates[0].votes
    second = candidates[1].votes if len(candidates) > 1 else 0
    if len(candidates) > 1 and first == second:
        raise DocumentError(
            source, line, f"{candidates[0].name} and {candidates[1].name} tie on {first:,} votes"
        )
    majority = arithmetic.majority(candidate.votes for candidate in candidates)
    if verdict["majority"] is not None:
        printed = parse_number(verdict["majority"], source, line, "majority")
        if printed != majority:
            raise DocumentError(
                source,
                line,
                f"majority {printed:,} disagrees with the votes: {candidates[0].name} "
                f"{first:,} - {candidates[1].name} {second:,} = {majority:,}",
            )
    return majority


def check_snapshot(seat, snapshot, source):
    listed = snapshot.get(normalise_name(seat.name))
    if listed and listed[1] != seat.outcome:
        raise DocumentError(
            source,
            seat.result_line,
            f"says {seat.outcome} but the results snapshot (line {listed[2]}) says {listed[1]}",
        )


def display_name(heading, full_result_name):
    """The seat's name in title case, from whichever of the two spellings has case."""
    return full_result_name if not full_result_name.isupper() else heading.title()
