"""What every page should show after each declaration, worked out from the House of
Commons Library's CSV files alone (and fixtures/seeds/manifest.toml, which says which
seats make up each seed county: the Library's files leave "County name" empty). Nothing
here imports the site's code: these are the conventions re-derived, so that the site's
own arithmetic is checked, not repeated.

The conventions (as the night's scoreboards printed them, and the README says):
- Change in seats is measured against the 2019 result notionally recast on the 2024
  boundaries (Rallings & Thrasher), over the seats declared so far.
- The Speaker counts with Labour, the party he was elected for, in 2024 and 2019 alike.
- Nationally every party that won a seat or held one in 2019 among those declared is
  named, most seats first (ties: more seats held in 2019 first, then by name);
  independents are one line, "Independents" (issue 30: no line of Others).
- The headline gives the majority as the press does once every seat is in: the largest
  party's seats less all the others' ("Labour majority of 174").
"""

import csv
import tomllib
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from pathlib import Path

CANDIDATES = "HoC-GE2024-results-by-candidate.csv"
CONSTITUENCIES = "HoC-GE2024-results-by-constituency.csv"
TIMES = "HoC-GE2024-winning-members-time-recorded.csv"
NOTIONALS = "RT-2019-notional-results-2024-boundaries.csv"
EXIT_POLL = "exit-poll-2024.csv"  # the broadcasters' poll at 22:00 (party,seats)

# Rallings & Thrasher's 2019 winners as the Library abbreviates the same parties.
NOTIONAL_ABBREVIATIONS = {"Spkr": "Spk", "All": "APNI"}
# The parties Rallings & Thrasher give 2019 votes of their own, by the Library's
# abbreviation (Reform UK against the Brexit Party's vote: the same party, renamed).
# Any other party was among 2019's "others" and has no change in share of its own.
NOTIONAL_VOTES = {
    "Con": "Conv", "Lab": "Labv", "LD": "LDv", "Green": "Grnv", "RUK": "Brxv",
    "SNP": "SNPv", "PC": "PCv", "APNI": "APNIv", "DUP": "DUPv", "SDLP": "SDLPv",
    "SF": "SFv", "UUP": "UUPv",
}  # fmt: skip
COUNTED_WITH = {"Spk": "Lab"}  # the Speaker, with the party he was elected for
INDEPENDENT = "Ind"
TOTAL_SEATS = 650
MAJORITY = 326
PROJECTION_FROM = 3  # seats declared before the projection is shown
# The exit poll leads the home page and the strip until the projection is shown.
EXIT_POLL_UNTIL = PROJECTION_FROM


@dataclass(frozen=True)
class Candidate:
    name: str
    party: str  # the Library's abbreviation
    party_name: str
    votes: int


@dataclass
class Seat:
    ons_code: str
    name: str
    region: str
    country: str
    electorate: int
    declared_at: datetime
    candidates: list = field(default_factory=list)
    notional: str | None = None  # abbreviation of the 2019 notional winner
    notional_votes: dict = field(default_factory=dict)  # {abbreviation: 2019 votes}
    notional_total: int = 0
    county: str | None = None

    @property
    def ranked(self):
        return sorted(self.candidates, key=lambda c: (-c.votes, c.name))

    @property
    def winner(self):
        return self.ranked[0]

    @property
    def majority(self):
        ranked = self.ranked
        return ranked[0].votes - (ranked[1].votes if len(ranked) > 1 else 0)

    @property
    def valid_votes(self):
        return sum(c.votes for c in self.candidates)

    def share_change(self, candidate):
        """The candidate's change in share since 2019 in points, exact and rounded half up
        to two places; None for a party with no 2019 votes of its own here, and
        NotImplemented where the Library's files cannot say (see NOTIONAL_VOTES)."""
        if candidate.party not in NOTIONAL_VOTES:
            return NotImplemented
        then = self.notional_votes.get(candidate.party, 0)
        if not then or not self.notional_total or not self.valid_votes:
            return None
        exact = Fraction(candidate.votes, self.valid_votes) - Fraction(then, self.notional_total)
        return rounded(exact * 100)

    @property
    def swing(self):
        """Butler swing to the winner from the runner-up: half the difference of their
        changes in share (each rounded first, as shown); None if either is unknown."""
        winner, runner_up = self.ranked[:2]
        changes = [self.share_change(winner), self.share_change(runner_up)]
        if any(c is NotImplemented for c in changes):
            return NotImplemented
        if None in changes:
            return None
        return rounded(Fraction(changes[0] - changes[1]) / 2)

    @property
    def gain(self):
        """True for a gain, False for a hold (the Speaker with himself)."""
        return self.winner.party != self.notional


@dataclass(frozen=True)
class Row:
    """A scoreboard line: a party (or Others), its seats and their change since 2019."""

    label: str
    seats: int
    change: int


def read(folder, name):
    with open(Path(folder) / name, encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


class Night:
    """The 650 seats in the order they declared, and what should be shown after any
    number of them."""

    def __init__(self, folder, manifest):
        folder = Path(folder)
        times = {r["ons_id"]: r["time_recorded"] for r in read(folder, TIMES)}
        rt = {r["ONS code"]: r for r in read(folder, NOTIONALS)}
        notional = {
            code: NOTIONAL_ABBREVIATIONS.get(r["Win19"], r["Win19"]) for code, r in rt.items()
        }
        seats = {}
        for row in read(folder, CONSTITUENCIES):
            code = row["ONS ID"]
            seats[code] = Seat(
                ons_code=code,
                name=row["Constituency name"],
                region=row["Region name"],
                country=row["Country name"],
                electorate=int(row["Electorate"]),
                declared_at=datetime.fromisoformat(times[code]),
                notional=notional.get(code),
                notional_votes={
                    party: number(rt[code][column]) for party, column in NOTIONAL_VOTES.items()
                }
                if code in rt
                else {},
                notional_total=number(rt[code]["total_votes"]) if code in rt else 0,
            )
        party_names = {}
        for row in read(folder, CANDIDATES):
            party = row["Party abbreviation"]
            seats[row["ONS ID"]].candidates.append(
                Candidate(
                    name=f"{row['Candidate first name']} {row['Candidate surname']}".strip(),
                    party=party,
                    party_name=row["Party name"],
                    votes=int(row["Votes"]),
                )
            )
            party_names.setdefault(party, Counter())[row["Party name"]] += 1
        # A party by the name most of its candidates stood under ("Labour", not
        # "Labour and Co-operative").
        self.party_names = {p: names.most_common(1)[0][0] for p, names in party_names.items()}
        with open(manifest, "rb") as file:
            for county in tomllib.load(file)["counties"]:
                for seat in county["constituencies"]:
                    seats[seat["ons_code"]].county = county["name"]
        self.seats = sorted(seats.values(), key=lambda s: (s.declared_at, s.name))
        # (label, seats) of the exit poll, as broadcast, in its order; none without the file.
        self.exit_poll = (
            [(r["party"], int(r["seats"])) for r in read(folder, EXIT_POLL)]
            if (folder / EXIT_POLL).is_file()
            else []
        )

    def name_of(self, party):
        return self.party_names.get(party, party)

    def counted(self, party):
        return COUNTED_WITH.get(party, party)

    # What the pages should say after `n` declarations.

    def declared(self, n):
        return self.seats[:n]

    def scoreboard(self, n):
        """The national scoreboard's lines after n declarations."""
        won = Counter(self.counted(s.winner.party) for s in self.declared(n))
        held = Counter(self.counted(s.notional) for s in self.declared(n) if s.notional)
        parties = set(won) | set(held)
        ranked = sorted(parties, key=lambda p: (-won[p], -held[p], self.name_of(p)))
        return [Row(self.label_of(p, won[p]), won[p], won[p] - held[p]) for p in ranked]

    def label_of(self, party, won):
        return "Independents" if party == INDEPENDENT and won != 1 else self.name_of(party)

    def exit_poll_majority(self):
        """(largest party's label, its seats less every other seat): ("Labour", 170)."""
        label, seats = max(
            ((label, seats) for label, seats in self.exit_poll if label != "Others"),
            key=lambda line: line[1],
        )
        return label, seats - (TOTAL_SEATS - seats)

    def exit_poll_leads(self, n):
        return bool(self.exit_poll) and n < EXIT_POLL_UNTIL

    def projection_basis(self, n):
        """The number of seats the projection rests on, or None where none is shown."""
        return n if PROJECTION_FROM <= n < TOTAL_SEATS else None

    def area(self, n, seats):
        """(declared, {party name: (seats, change)}) of some seats after n declarations:
        every party that won one or lost one (no Speaker rule: a county's own tally)."""
        done = {s.ons_code for s in self.declared(n)}
        declared = [s for s in seats if s.ons_code in done]
        won = Counter(s.winner.party for s in declared)
        held = Counter(s.notional for s in declared if s.notional)
        tally = {
            self.name_of(p): (won[p], won[p] - held[p])
            for p in set(won) | set(held)
            if won[p] or won[p] - held[p]
        }
        return declared, tally

    def in_county(self, county):
        return [s for s in self.seats if s.county == county]

    def in_region(self, region):
        return [s for s in self.seats if s.region == region]

    def votes(self, seats):
        """{party name: votes} over some seats, and all their valid votes."""
        votes = Counter()
        for seat in seats:
            for candidate in seat.candidates:
                votes[self.name_of(candidate.party)] += candidate.votes
        return votes, sum(votes.values())


def rounded(exact, places=2):
    """A Fraction rounded half up (away from zero) to `places`, exactly."""
    units, remainder = divmod(abs(exact.numerator) * 10**places, exact.denominator)
    units += 2 * remainder >= exact.denominator
    return Decimal(-units if exact < 0 else units).scaleb(-places)


def share(votes, total, places=1):
    """A share in %, rounded half up from the votes (as the site says it rounds)."""
    if not total:
        return Decimal(0)
    exact = Decimal(votes) * 100 / Decimal(total)
    return exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def number(cell):
    """A count as the files write it: "37,508", or empty for none."""
    return int(cell.replace(",", "") or 0)
