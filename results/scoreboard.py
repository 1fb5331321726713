"""Scoreboards as readers see them, national and per county, computed from the results."""

import copy
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import BooleanField, Count, ExpressionWrapper, Q

from results import colours
from results.arithmetic import change_in_share, percentage, two_party_swing
from results.models import Constituency, NotionalVote, Party, Result

# Every party with a seat is named (folded into "Others 29", Reform UK's 5 seats and its
# 4.1 million votes would go unseen); a party that held seats in 2019 among those
# declared is named too, with its loss. So the computed scoreboard has no line of
# Others (the one a source document printed keeps its own): 14 lines, Labour 412 to UUP 1.
PARTY_FIELDS = ("id", "slug", "name", "short_name", "colour", "is_independent", "counted_with")

OTHERS_COLOUR = colours.GREY

# The swing the night is told by, nationally and in each region: Conservative to Labour,
# as the BBC and the Library give it (2024: 10.77 points over all 650 seats).
SWING_FROM, SWING_TO = "conservative", "labour"


def seats(number):
    return f"{number} seat" if number == 1 else f"{number} seats"


@dataclass(frozen=True)
class ScoreboardRow:
    label: str
    seats: int
    change: int
    party: Party | None = None
    # (label, seats) of the parties whose seats are counted with this one's: the Speaker's
    # with Labour's.
    counted_in: tuple = ()

    @property
    def own_seats(self):
        return self.seats - sum(seats for _, seats in self.counted_in)

    @property
    def colour(self):
        return self.party.colour if self.party else OTHERS_COLOUR

    @property
    def short_name(self):
        return self.party.short_name if self.party else self.label[:3].upper()


@dataclass(frozen=True)
class BarSegment:
    row: ScoreboardRow
    x: int
    width: int


@dataclass(frozen=True)
class Scoreboard:
    rows: tuple[ScoreboardRow, ...]
    total_seats: int
    seats_for_majority: int
    seats_to_go: int

    source: str = "computed"

    @property
    def seats_declared(self):
        return self.total_seats - self.seats_to_go

    @property
    def leader(self):
        return max(self.rows, key=lambda row: row.seats, default=None)

    @property
    def headline(self):
        """One sentence: who has won, or who leads, and how that stands to a majority.

        The majority is said as the press says it: the winner's seats less every other
        seat's (412 - 238 = 174), once all have declared; before, the least it can be."""
        leader = self.leader
        if leader is None or leader.seats == 0:
            return "No seats declared yet."
        if leader.seats >= self.seats_for_majority:
            others = self.total_seats - leader.seats
            if not self.seats_to_go:
                return (
                    f"{leader.label} majority of {leader.seats - others}: "
                    f"{seats(leader.seats)} against {others} for all other parties."
                )
            return (
                f"{leader.label} has won a majority: {seats(leader.seats)}, a majority of at "
                f"least {leader.seats - others} with {self.seats_to_go} still to declare."
            )
        short = self.seats_for_majority - leader.seats
        return (
            f"{leader.label} leads with {seats(leader.seats)}, {short} short of the "
            f"{self.seats_for_majority} needed for a majority."
        )

    @property
    def counted_with_note(self):
        """What the headline's figure holds beyond the party's own seats, said plainly:
        the table of parties shows them apart ("" if nothing is counted with it)."""
        leader = self.leader
        if leader is None or not leader.counted_in:
            return ""
        names = " and ".join(f"the {label}'s" for label, _ in leader.counted_in)
        return (
            f"{leader.label}'s {seats(leader.seats)} include {names}, counted with "
            f"{leader.label} as the night's scoreboards count him: the table below shows "
            f"{leader.label}'s own {leader.own_seats} and "
            f"{' and '.join(f'the {label}' for label, _ in leader.counted_in)} apart."
        )

    def bar(self):
        """The seat bar's segments, in seat units (the bar is `total_seats` wide)."""
        segments = []
        x = 0
        for row in self.rows:
            if row.seats:
                segments.append(BarSegment(row=row, x=x, width=row.seats))
                x += row.seats
        return segments


def scoreboard_from_results(election, at=None):
    """The national scoreboard computed from the results declared (by `at`), in one query.

    Conventions, which reproduce the scoreboard the BBC printed on the night:
    - Change is measured against the 2019 result notionally recast on the 2024
      boundaries, over the seats declared so far: a party's seats now minus the seats
      it held notionally among them.
    - The Speaker counts with the party he was elected for (`Party.counted_with`:
      Labour), in 2024 and in 2019 alike: Labour 411 + 1 = 412, against 200 + 1 = 201.
    - Every party with a seat, or with a seat held in 2019 among those declared (named
      with its loss), gets a line, most seats first (ties go to the one that held more
      in 2019); independents, who share one party, are one line, "Independents".
    """
    winner, held = "winner__party__", "constituency__notional_winner__"
    results = Result.objects.all() if at is None else Result.objects.declared_by(at)
    pairs = (
        results.values(
            *(winner + name for name in PARTY_FIELDS), *(held + name for name in PARTY_FIELDS)
        )
        .annotate(seats=Count("pk"))
        .order_by()
    )
    parties = {}
    seats = Counter()
    notional = Counter()
    declared = 0
    for pair in pairs:
        declared += pair["seats"]
        won_by = party_from_values(pair, winner)
        parties[won_by.pk] = won_by
        seats[won_by.pk] += pair["seats"]
        if pair[held + "id"] is not None:
            held_by = party_from_values(pair, held)
            parties[held_by.pk] = held_by
            notional[held_by.pk] += pair["seats"]
    return scoreboard_from_counts(election, seats, notional, parties, declared)


def scoreboard_from_sums(election, sums):
    """The national scoreboard from the standings' sums over every seat (StandingSums, as
    they stood at the moment shown): what scoreboard_from_results gives, without its query.
    On the night the sums are kept, and a declaration changes them by its own seat."""
    won, held = +sums.won, +sums.held  # a party whose seats were all taken away is gone
    parties = {pk: sums.parties[pk] for pk in won.keys() | held.keys() if pk in sums.parties}
    missing = (won.keys() | held.keys()) - parties.keys()
    if missing:  # a party that held a seat in 2019 and stands in none of these
        parties |= Party.objects.in_bulk(missing)
    return scoreboard_from_counts(election, won, held, parties, declared=sum(won.values()))


def scoreboard_from_counts(election, seats, notional, parties, declared):
    """The scoreboard from the seats each party won (`seats`) and held in 2019 among the
    same seats (`notional`), {party pk: seats}, by the conventions of
    scoreboard_from_results."""
    missing = {party.counted_with_id for party in parties.values()} - parties.keys() - {None}
    if missing:  # counted with a party that has no seat here yet: the Speaker, early on
        parties = parties | Party.objects.in_bulk(missing)
    counted_in = counted_into(seats, parties)
    seats, notional = counted_together(seats, parties), counted_together(notional, parties)

    # A party that has lost seats is shown with its loss, even at none won.
    ranked = sorted(
        set(seats) | set(notional),
        key=lambda pk: (-seats[pk], -notional[pk], parties[pk].name),
    )
    rows = [
        ScoreboardRow(
            label=row_label(parties[pk], seats[pk]),
            seats=seats[pk],
            change=seats[pk] - notional[pk],
            party=parties[pk],
            counted_in=tuple(counted_in[pk]),
        )
        for pk in ranked
    ]
    return Scoreboard(
        rows=tuple(rows),
        total_seats=election.total_seats,
        seats_for_majority=election.seats_for_majority,
        seats_to_go=election.total_seats - declared,
    )


def row_label(party, won):
    """A line's label: the party's name; independents, who share one party, as a group."""
    if party.is_independent and won != 1:
        return "Independents"
    return party.name


def counted_into(counts, parties):
    """{party pk: [(label, seats)]}: the seats of the parties counted with each party."""
    counted = defaultdict(list)
    for pk, number in counts.items():
        with_pk = parties[pk].counted_with_id
        if with_pk in parties and number:
            counted[with_pk].append((parties[pk].name, number))
    return counted


def party_from_values(values, prefix):
    """A Party built from the prefixed columns of a values() row, without a query."""
    return Party(
        **{
            ("counted_with_id" if name == "counted_with" else name): values[prefix + name]
            for name in PARTY_FIELDS
        }
    )


def counted_together(counts, parties):
    """Counts with each party's seats moved to the party it is counted with."""
    merged = Counter()
    for pk, number in counts.items():
        with_pk = parties[pk].counted_with_id
        merged[with_pk if with_pk in parties else pk] += number
    return merged


def national_scoreboard(election, at=None, sums=None):
    """The national scoreboard readers see, now or as it stood `at` a moment: always
    computed from the results declared, so that every page, list and the API say the
    same seats declared and to go.

    A scoreboard printed by a source document (published_scoreboard) is a picture of
    one moment: the seeds' says 650 declared whatever the database holds, and a
    correction after it was printed would not be in it. It is kept as data, and never
    shown in place of the seats declared (issue 27: it once said "650 of 650" while 550
    seats were still to declare).

    `sums`: the standings' sums over every seat (StandingSums) as they stood `at` that
    moment, if they are at hand, to compute it from without a query of its own
    (scoreboard_from_sums).
    """
    if election is None:
        return None
    if sums is not None:
        return scoreboard_from_sums(election, sums)
    return scoreboard_from_results(election, at)


def seats_won_by_party(tallies, parties):
    """Seats by party among the declared ones of some seats' tallies (SeatTally), with
    the change since 2019 (notional); `parties`, {pk: Party}, holds every party named.

    A GAIN adds one to the winner and takes one from the party that held the seat
    notionally in 2019; the order is by seats, then change, then name.
    """
    seats = Counter()
    change = Counter()
    for tally in tallies:
        if not tally.declared:
            continue
        seats[tally.winner_party] += 1
        held = tally.notional_winner
        if held is not None and held != tally.winner_party:
            change[tally.winner_party] += 1
            change[held] -= 1
    rows = [
        ScoreboardRow(label=parties[pk].name, seats=seats[pk], change=change[pk], party=parties[pk])
        for pk in seats.keys() | change.keys()
    ]
    return sorted(rows, key=lambda row: (-row.seats, row.change, row.label))


@dataclass(frozen=True)
class PartyStanding:
    """A party's night in an area: candidates, votes and share, seats won, gained, lost."""

    party: Party
    candidates: int
    votes: int
    total_votes: int  # the valid votes in the seats declared
    seats: int
    gained: int
    lost: int
    notional_votes: int = 0  # the party's 2019 notional votes in the same seats
    notional_total: int = 0  # every 2019 notional vote in them; 0 where unknown

    @property
    def share_change(self):
        """Change in share since 2019 (notional), in points; None where the party has no
        2019 figure of its own (independents and new parties were among "others")."""
        return self.change_to(2)

    @property
    def headline_share_change(self):
        return self.change_to(1)

    def change_to(self, places):
        if not self.notional_votes:
            return None
        return change_in_share(
            self.votes, self.total_votes, self.notional_votes, self.notional_total, places
        )

    @property
    def share(self):
        """Of the valid votes, %, to two places."""
        return percentage(self.votes, self.total_votes)

    @property
    def headline_share(self):
        """To one place, rounded from the votes (6.7496% is 6.7%, not 6.75% rounded)."""
        return percentage(self.votes, self.total_votes, places=1)

    @property
    def seats_change(self):
        return self.gained - self.lost


@dataclass(frozen=True)
class SeatTally:
    """One seat's part in the party standings, as it stood at a moment."""

    # (party pk, Party, votes) for each candidate: the pk apart, as Model.pk is a property
    # and the standings add up 4,500 of these after every declaration.
    candidacies: tuple
    notional: tuple  # (party pk or None, votes) for each 2019 notional line
    declared: bool
    winner_party: int | None = None  # pk
    gained_from: int | None = None  # pk
    notional_winner: int | None = None  # pk: the party that held it in 2019, notionally


def read_seat_tallies(seats=None, at=None):
    """{slug: SeatTally} for every seat in `seats` (a Constituency queryset; every seat by
    default), with its result as it stood `at` a moment (None: now). Three queries."""
    seats = Constituency.objects.all() if seats is None else seats
    parties = {
        party.pk: party
        for party in Party.objects.filter(candidacies__constituency__in=seats).distinct()
    }
    return seat_tallies_from_rows(seat_tally_rows(seats, at), notional_rows(seats), parties)


def seat_tally_rows(seats, at=None):
    """The rows of read_seat_tallies: a seat's result and its candidates' votes, one row each."""
    declared = Q(result__isnull=False)
    if at is not None:
        declared &= Q(result__declared_at__lte=at)
    # Worked out by the database: a time read back for each of 4,500 candidates took
    # longer than all the rest; and each party is read once, not once a candidate.
    return (
        seats.order_by("pk")
        .annotate(declared=ExpressionWrapper(declared, output_field=BooleanField()))
        .values_list(
            "slug",
            "declared",
            "result__winner__party",
            "result__gained_from",
            "notional_winner",
            "candidacies__party",
            "candidacies__votes",
        )
    )


def notional_rows(seats):
    """The 2019 notional lines of `seats`: (slug, party pk, votes)."""
    return NotionalVote.objects.filter(constituency__in=seats).values_list(
        "constituency__slug", "party", "votes"
    )


def seat_tallies_from_rows(rows, notional_lines, parties):
    """{slug: SeatTally} from seat_tally_rows' rows, notional_rows' lines and the parties by pk."""
    notional = defaultdict(list)
    for slug, party, votes in notional_lines:
        notional[slug].append((party, votes))
    candidacies, results, held = defaultdict(list), {}, {}
    for slug, is_declared, winner, gained_from, notional_winner, party, votes in rows:
        results[slug] = (winner, gained_from) if is_declared else (None, None)
        held[slug] = notional_winner
        if party is not None:
            candidacies[slug].append((party, parties[party], votes))
    return {
        slug: SeatTally(
            candidacies=tuple(candidacies[slug]),
            notional=tuple(notional[slug]),
            declared=winner is not None,
            winner_party=winner,
            gained_from=gained_from,
            notional_winner=held[slug],
        )
        for slug, (winner, gained_from) in results.items()
    }


def party_standings(seats=None, at=None):
    """Every party with a candidate in `seats` (a Constituency queryset; every seat by
    default), most seats first, then most votes; and the valid votes counted, over the
    seats declared (by `at`), with each party's change in share since the 2019 notional
    result over the same seats. Three queries (read_seat_tallies)."""
    return standings_from(read_seat_tallies(seats, at).values())


def standings_from(tallies):
    """The party standings over some seats' tallies (SeatTally), and the valid votes."""
    return StandingSums.of(tallies).standings()


@dataclass
class StandingSums:
    """What the party standings add up over some seats, seat by seat: each seat's tally
    added (`add`), or taken away again (`add(tally, -1)`), so that sums kept can follow
    a declaration without adding up every seat again (pages.seats).

    Votes are counted by the party each candidate stood for: the Speaker's are his own,
    not Labour's, although his seat counts with Labour's on the scoreboard.
    """

    parties: dict = field(default_factory=dict)
    candidates: Counter = field(default_factory=Counter)
    votes: Counter = field(default_factory=Counter)
    notional: Counter = field(default_factory=Counter)
    won: Counter = field(default_factory=Counter)
    gained: Counter = field(default_factory=Counter)
    lost: Counter = field(default_factory=Counter)
    held: Counter = field(default_factory=Counter)  # seats declared, by their 2019 holder

    @classmethod
    def of(cls, tallies):
        sums = cls()
        for tally in tallies:
            sums.add(tally)
        return sums

    def add(self, tally, sign=1):
        for pk, party, party_votes in tally.candidacies:
            self.parties[pk] = party
            self.candidates[pk] += sign
            if tally.declared:
                self.votes[pk] += sign * party_votes
        if not tally.declared:
            return
        for party_pk, party_votes in tally.notional:
            self.notional[party_pk] += sign * party_votes
        self.won[tally.winner_party] += sign
        if tally.notional_winner is not None:
            self.held[tally.notional_winner] += sign
        if tally.gained_from is not None:
            self.gained[tally.winner_party] += sign
            self.lost[tally.gained_from] += sign

    def copy(self):
        return StandingSums(
            **{name: copy.copy(getattr(self, name)) for name in self.__dataclass_fields__}
        )

    def standings(self):
        """(every party with a candidate, most seats first then most votes; the votes)."""
        total = sum(self.votes.values())
        notional_total = sum(self.notional.values())
        standings = [
            PartyStanding(
                party=party,
                candidates=self.candidates[pk],
                votes=self.votes[pk],
                total_votes=total,
                seats=self.won[pk],
                gained=self.gained[pk],
                lost=self.lost[pk],
                notional_votes=self.notional[pk],
                notional_total=notional_total,
            )
            for pk, party in self.parties.items()
            if self.candidates[pk] > 0  # one whose candidates were all taken away is gone
        ]
        standings.sort(key=lambda row: (-row.seats, -row.votes, row.party.name))
        return standings, total


@dataclass(frozen=True)
class Turnout:
    valid_votes: int
    electorate: int
    notional_valid_votes: int = 0  # 2019 (notional) in the same seats; 0 where unknown
    notional_electorate: int = 0

    @property
    def share(self):
        """Valid votes as a percentage of the electorate, as the Library counts it."""
        return percentage(self.valid_votes, self.electorate, places=1)

    @property
    def change(self):
        """Change since 2019 (notional), in points; None where unknown."""
        return change_in_share(
            self.valid_votes,
            self.electorate,
            self.notional_valid_votes,
            self.notional_electorate,
            places=1,
        )


def turnout_of(seats):
    """The turnout over seats with both figures: (valid votes, electorate) pairs, or
    (valid votes, electorate, 2019 notional valid votes, 2019 notional electorate)."""
    seats = [tuple(seat) + (0, 0) for seat in seats if seat[0] and seat[1]]
    then = [seat for seat in seats if seat[2] and seat[3]]
    return Turnout(
        sum(seat[0] for seat in seats),
        sum(seat[1] for seat in seats),
        # Only where every seat counted has its 2019 figures, so like is set beside like.
        sum(seat[2] for seat in then) if len(then) == len(seats) else 0,
        sum(seat[3] for seat in then) if len(then) == len(seats) else 0,
    )


def headline_parties(standings, total_votes, threshold=Decimal(1)):
    """The parties a full table names, each with a seat or at least `threshold` % of the
    vote, and the rest added up as one line of Others (None if there is no rest)."""
    named, rest = [], []
    for row in standings:
        (named if row.seats or row.share >= threshold else rest).append(row)
    if not rest:
        return named, None
    votes = sum(row.votes for row in rest)
    return named, PartyStanding(
        party=None,
        candidates=sum(row.candidates for row in rest),
        votes=votes,
        total_votes=total_votes,
        seats=0,
        gained=0,
        lost=0,
    )


@dataclass(frozen=True)
class Swing:
    """The two-party (Butler) swing over some seats, from one party to the other."""

    points: Decimal  # never negative: the parties are named in the direction of the swing
    from_party: Party
    to_party: Party


def swing_of(standings, from_slug=SWING_FROM, to_slug=SWING_TO):
    """The two-party swing from one party to another (by slug) over the seats of some
    standings (PartyStanding, each over the seats declared, with the 2019 notional votes
    in the same seats): None where either party stood in none of them, or there is no
    2019 figure to measure against."""
    by_slug = {row.party.slug: row for row in standings if row.party is not None}
    away, towards = by_slug.get(from_slug), by_slug.get(to_slug)
    if away is None or towards is None:
        return None
    points = two_party_swing(
        (towards.votes, towards.notional_votes),
        (away.votes, away.notional_votes),
        towards.total_votes,
        towards.notional_total,
    )
    if points is None:
        return None
    if points < 0:
        return Swing(points=-points, from_party=towards.party, to_party=away.party)
    return Swing(points=points, from_party=away.party, to_party=towards.party)
